/**
 * Pure rendering of the container backend's configuration: the local backend's own renderers
 * (kafka/config.ts, flink/config.ts, clickhouse/config.ts) with the addresses a container
 * needs. Every service listens on all of its container's interfaces; the pipeline's own
 * traffic uses network aliases (kafka:19092, jobmanager:6123); Node clients on the host use
 * the ports published on 127.0.0.1. No I/O here: services.ts copies these strings into
 * /etc/ctr of each container when it creates it.
 */
import { renderConfigXml, renderUsersXml, serverArgs } from '../clickhouse/config.ts';
import { COMPILE_LONG_METHODS } from '../jvm-flags.ts';
import { patchFirst } from '../flink/classpath.ts';
import { type FlinkRole, flinkConfigEntries, javaArgs, javaEnv, renderLog4jProperties as flinkLog4j } from '../flink/config.ts';
import { brokerArgs, formatArgs, renderLog4jProperties as kafkaLog4j, renderServerProperties } from '../kafka/config.ts';
import type { ServiceName } from '../service.ts';

/** The name each service has on the stack's Docker network. */
export const ALIAS: Record<ServiceName, string> = {
  kafka: 'kafka',
  clickhouse: 'clickhouse',
  'flink-jobmanager': 'jobmanager',
  'flink-taskmanager': 'taskmanager',
  'sql-gateway': 'sql-gateway',
  // Observability runs on the local backend only (ADR 0070): no containers carry these names yet.
  prometheus: 'prometheus',
  'pipeline-exporter': 'pipeline-exporter',
  // The realistic shape is local-only for now (ADR 0091): the docker backend refuses these names.
  'kafka-2': 'kafka-2',
  'kafka-3': 'kafka-3',
  'flink-taskmanager-2': 'taskmanager-2',
};

/** Ports inside the containers (the documented defaults); the host side is chosen free at start. */
export const PORT = {
  kafkaInternal: 19092,
  kafkaExternal: 9092,
  kafkaController: 9093,
  clickhouseHttp: 8123,
  clickhouseTcp: 9000,
  flinkRest: 8081,
  flinkRpc: 6123,
  gateway: 8083,
} as const;

/** Paths inside the containers (the images create them). */
export const CPATH = {
  conf: '/etc/ctr',
  data: '/var/lib/ctr',
  logs: '/var/log/ctr',
  jars: '/opt/jars',
  /** The bind mount of <stack dir>/shared: checkpoints, savepoints, profiles. */
  shared: '/stack-shared',
} as const;

/** The address Flink jobs and ClickHouse's Kafka engine use: the broker's listener on the network. */
export const INTERNAL_KAFKA = `${ALIAS.kafka}:${PORT.kafkaInternal}`;

/** A file to copy into a container. */
export interface ContainerFile {
  target: string;
  content: string;
}

export interface ContainerPlan {
  command: string[];
  env: Record<string, string>;
  files: ContainerFile[];
}

/**
 * Replaces (or appends) `key=value` lines of a .properties text, keeping everything else as
 * rendered: one server.properties for both backends, with the container's listeners.
 */
export function overrideProperties(text: string, overrides: Record<string, string>): string {
  const left = new Map(Object.entries(overrides));
  const lines = text.split('\n').map((line) => {
    const key = /^([^#=\s][^=]*)=/.exec(line)?.[1];
    if (key === undefined || !left.has(key)) return line;
    const value = left.get(key);
    left.delete(key);
    return `${key}=${value}`;
  });
  const tail = lines.at(-1) === '' ? lines.pop() : undefined;
  for (const [k, v] of left) lines.push(`${k}=${v}`);
  if (tail !== undefined) lines.push(tail);
  return lines.join('\n');
}

/**
 * Kafka with two client listeners: INTERNAL (kafka:19092) for the stack's own traffic and the
 * broker's replication, EXTERNAL advertised as 127.0.0.1:<published port> for Node clients on
 * the host, which is why the host port is chosen before the container starts.
 */
export function kafkaServerProperties(externalHostPort: number): string {
  const rendered = renderServerProperties({
    ports: { broker: PORT.kafkaExternal, controller: PORT.kafkaController },
    dirs: { data: `${CPATH.data}/data` },
    host: ALIAS.kafka,
  });
  return overrideProperties(rendered, {
    listeners: `INTERNAL://0.0.0.0:${PORT.kafkaInternal},EXTERNAL://0.0.0.0:${PORT.kafkaExternal},CONTROLLER://0.0.0.0:${PORT.kafkaController}`,
    'advertised.listeners': `INTERNAL://${INTERNAL_KAFKA},EXTERNAL://127.0.0.1:${externalHostPort}`,
    'listener.security.protocol.map': 'INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'INTERNAL',
    'controller.quorum.voters': `1@localhost:${PORT.kafkaController}`,
  });
}

/**
 * The broker's command: format the data dir once (a restarted container keeps it, as a
 * restarted local broker keeps .stack/data/kafka), then exec the broker, so the JVM is pid 1
 * (`docker kill` reaches it; `jcmd 1` finds it).
 */
export function kafkaPlan(opts: { externalHostPort: number; clusterId: string; level?: 'INFO' | 'DEBUG' }): ContainerPlan {
  const serverProperties = `${CPATH.conf}/server.properties`;
  const jvm = { jarDir: CPATH.jars, log4jFile: `${CPATH.conf}/log4j.properties`, logsDir: CPATH.logs };
  const format = formatArgs({ ...jvm, serverProperties, clusterId: opts.clusterId });
  const broker = brokerArgs({ ...jvm, serverProperties });
  const q = (args: readonly string[]) => args.map(shellQuote).join(' ');
  return {
    command: ['bash', '-c', `set -e; [ -f ${CPATH.data}/data/meta.properties ] || java ${q(format)}; exec java ${q(broker)}`],
    env: {},
    files: [
      { target: serverProperties, content: kafkaServerProperties(opts.externalHostPort) },
      { target: jvm.log4jFile, content: kafkaLog4j(opts.level ?? 'INFO') },
    ],
  };
}

/** POSIX single quotes where a shell would otherwise split or expand (the classpath's `*`). */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

const FLINK_ROLE: Partial<Record<ServiceName, FlinkRole>> = {
  'flink-jobmanager': 'jobmanager',
  'flink-taskmanager': 'taskmanager',
  'sql-gateway': 'gateway',
};

/** config.yaml for one Flink container: the local rendering, with the network's names and wildcard binds. */
export function flinkConfigYaml(service: ServiceName): string {
  const entries = flinkConfigEntries({
    ports: { rest: PORT.flinkRest, rpc: PORT.flinkRpc, gateway: service === 'sql-gateway' ? PORT.gateway : undefined },
    dirs: {
      tmp: `${CPATH.data}/tmp`,
      web: `${CPATH.data}/web`,
      plugins: `${CPATH.data}/plugins`,
      checkpoints: `${CPATH.shared}/checkpoints`,
      savepoints: `${CPATH.shared}/savepoints`,
    },
    host: ALIAS['flink-jobmanager'],
  });
  const overrides: Record<string, string> = {
    'jobmanager.bind-host': '0.0.0.0',
    'taskmanager.host': ALIAS['flink-taskmanager'],
    'taskmanager.bind-host': '0.0.0.0',
    'rest.bind-address': '0.0.0.0',
    'sql-gateway.endpoint.rest.address': ALIAS['sql-gateway'],
    'sql-gateway.endpoint.rest.bind-address': '0.0.0.0',
  };
  const yaml = (v: string | number | boolean) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  const lines = entries.map(([k, v]) => `${k}: ${yaml(overrides[k] ?? v)}`);
  return `# Generated by src/stack/docker/render.ts from src/stack/flink/config.ts, for the ${ALIAS[service]} container.\n${lines.join('\n')}\n`;
}

/** One Flink process: the local command line, with the image's jars (in the order the local backend uses) and paths. */
export function flinkPlan(service: ServiceName, jars: readonly string[]): ContainerPlan {
  const role = FLINK_ROLE[service];
  if (!role) throw new Error(`${service} is not a Flink service`);
  const conf = CPATH.conf;
  const args = [...(role === 'taskmanager' ? COMPILE_LONG_METHODS : []), ...javaArgs({ role, confDir: conf, classpath: patchFirst([...jars].sort()).map((j) => `${CPATH.jars}/${j}`), logFile: `${CPATH.logs}/${service}.log` })];
  return {
    command: ['java', ...args],
    env: javaEnv(conf, `${CPATH.data}/plugins`),
    files: [
      { target: `${conf}/config.yaml`, content: flinkConfigYaml(service) },
      { target: `${conf}/log4j.properties`, content: flinkLog4j() },
    ],
  };
}

/**
 * ClickHouse: the local config on all interfaces, logging to stdout too (`docker logs`), and
 * the `default` user reachable from the host (through the engine's port forwarding) and the
 * network. The project's image runs Debian's /usr/sbin/clickhouse-server; an official image
 * (`--clickhouse-image`) runs `clickhouse server`, after making the folders our image makes.
 */
export function clickhousePlan(image: 'project' | 'official' = 'project'): ContainerPlan {
  const configFile = `${CPATH.conf}/config.xml`;
  const usersFile = `${CPATH.conf}/users.xml`;
  const d = CPATH.data;
  const dirs = { data: `${d}/data`, tmp: `${d}/tmp`, userFiles: `${d}/user_files`, formatSchemas: `${d}/format_schemas` };
  const config = renderConfigXml({
    ports: { http: PORT.clickhouseHttp, tcp: PORT.clickhouseTcp },
    dirs,
    logFile: `${CPATH.logs}/clickhouse.log`,
    errorLogFile: `${CPATH.logs}/clickhouse.err.log`,
    usersFile,
    host: '0.0.0.0',
    console: true,
  });
  const command =
    image === 'project'
      ? serverArgs(['/usr/sbin/clickhouse-server'], configFile)
      : ['bash', '-c', `mkdir -p ${[...Object.values(dirs), CPATH.logs].join(' ')} && exec ${serverArgs(['clickhouse', 'server'], configFile).join(' ')}`];
  return {
    command,
    env: {},
    files: [
      { target: configFile, content: config },
      { target: usersFile, content: renderUsersXml({ networks: ['::/0'] }) },
    ],
  };
}
