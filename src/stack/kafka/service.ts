/**
 * The local Kafka backend: one JVM running kafka.Kafka in KRaft mode (broker + controller),
 * from jars that Maven resolves out of src/stack/kafka/pom.xml.
 *
 *   broker      PLAINTEXT on 127.0.0.1:9092 (or a free port): what clients use
 *   controller  CONTROLLER on 127.0.0.1:9093 (or a free port): KRaft quorum only
 *
 * The data dir (.stack/data/kafka) is formatted once with StorageTool and kept across
 * restarts, so a failure drill can kill the broker and start it again on the same log.
 * Readiness is a real check: the broker answers a metadata request and lists itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cdsArgs } from '../cds.ts';
import { StackError } from '../errors.ts';
import { waitFor } from '../health.ts';
import { javaBin } from '../java.ts';
import { jarsOnce } from '../maven.ts';
import { metricsEnabled } from '../metrics-switch.ts';
import { exists, stackPaths } from '../paths.ts';
import { takePort } from '../ports.ts';
import { spawnService } from '../process.ts';
import type { HealthReport, ServiceRecord, ServiceSpec } from '../service.ts';
import { howItEnded, sh } from '../shell.ts';
import { describeBroker } from './client.ts';
import { removeDeletedPartitionDirs } from './deleted-logs.ts';
import {
  DEFAULT_HEAP_MB,
  KAFKA_VERSION,
  brokerArgs,
  clusterIdFromBytes,
  formatArgs,
  renderLog4jProperties,
  renderServerProperties,
  versionFromJars,
} from './config.ts';
import { startupFlags } from '../jvm-flags.ts';

export const DEFAULT_PORTS = { broker: 9092, controller: 9093, metrics: 9404 } as const;
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 90_000;

const pomPath = fileURLToPath(new URL('./pom.xml', import.meta.url));

const agentPomPath = fileURLToPath(new URL('./jmx-exporter/pom.xml', import.meta.url));
const agentRulesPath = fileURLToPath(new URL('./jmx-exporter/kafka.yml', import.meta.url));

/** The Prometheus JMX exporter agent (ADR 0071), resolved once into .stack/jars/jmx-exporter. */
export const jmxAgentJars = jarsOnce(agentPomPath, () => stackPaths.jars('jmx-exporter'));

/** `-javaagent:<jar>=127.0.0.1:<port>:<rules>`: the agent serves /metrics on loopback only. */
export async function jmxAgentArg(port: number): Promise<string> {
  const jar = (await jmxAgentJars()).jars.find((j) => j.includes('jmx_prometheus_javaagent'));
  if (!jar) throw new StackError('The JMX exporter agent jar is missing from .stack/jars/jmx-exporter: delete that folder and start again.', { service: 'kafka' });
  return `-javaagent:${jar}=${HOST}:${port}:${agentRulesPath}`;
}

/** Resolves the pom into the shared jar cache once per process; a no-op (no Maven) once cached. */
export const kafkaJars = jarsOnce(pomPath, () => stackPaths.jars('kafka'));

export interface KafkaLayout {
  confDir: string;
  serverProperties: string;
  log4jFile: string;
  dataDir: string;
  logFile: string;
}

export function kafkaLayout(): KafkaLayout {
  const confDir = stackPaths.conf('kafka');
  return {
    confDir,
    serverProperties: join(confDir, 'server.properties'),
    log4jFile: join(confDir, 'log4j.properties'),
    dataDir: stackPaths.data('kafka'),
    logFile: stackPaths.log('kafka'),
  };
}

function newClusterId(): string {
  for (;;) {
    const id = clusterIdFromBytes(randomBytes(16));
    if (id) return id;
  }
}

/** Formats the data dir when it has no meta.properties yet; an existing log is kept as is. */
async function formatOnce(layout: KafkaLayout, jarDir: string): Promise<boolean> {
  if (exists(join(layout.dataDir, 'meta.properties'))) return false;
  mkdirSync(layout.dataDir, { recursive: true });
  const args = formatArgs({ jarDir, log4jFile: layout.log4jFile, logsDir: dirname(layout.logFile), serverProperties: layout.serverProperties, clusterId: newClusterId() });
  const out = await sh`${javaBin()} ${args}`.timeout(60_000);
  if (!out.ok) {
    const tail = [...out.stdall.trim().split('\n').slice(-15), `(${howItEnded(out)})`].join('\n');
    throw new StackError(`Kafka could not format its data dir ${layout.dataDir}: delete it (npm run stack down, then rm -r it) and start again.`, {
      service: 'kafka',
      logTail: tail,
    });
  }
  return true;
}

export const kafkaService: ServiceSpec = {
  name: 'kafka',
  dependsOn: [],
  // 512 MB heap + metaspace, threads, page-cache-free direct buffers (measured RSS ~350 MB idle).
  memoryMb: DEFAULT_HEAP_MB + 256,
  prepare: async () => {
    const [broker, agent] = await Promise.all([kafkaJars(), jmxAgentJars()]);
    return { downloaded: broker.downloaded || agent.downloaded };
  },
  async start(ctx) {
    const { dir: jarDir, jars } = await kafkaJars();
    const broker = await takePort(ctx, 'kafka', 'broker', DEFAULT_PORTS.broker, 'the Kafka broker');
    const controller = await takePort(ctx, 'kafka', 'controller', DEFAULT_PORTS.controller, 'the Kafka KRaft controller');
    const metrics = await takePort(ctx, 'kafka', 'metrics', DEFAULT_PORTS.metrics, "the Kafka broker's JMX exporter");
    const layout = kafkaLayout();
    mkdirSync(layout.confDir, { recursive: true });
    writeFileSync(layout.serverProperties, renderServerProperties({ ports: { broker, controller }, dirs: { data: layout.dataDir }, host: HOST }));
    writeFileSync(layout.log4jFile, renderLog4jProperties(process.env.DEBUG ? 'DEBUG' : 'INFO'));
    await formatOnce(layout, jarDir);
    removeDeletedPartitionDirs(layout.dataDir);

    const args = [...startupFlags('kafka'), ...brokerArgs({ jarDir, log4jFile: layout.log4jFile, logsDir: dirname(layout.logFile), serverProperties: layout.serverProperties })];
    const cds = cdsArgs('kafka', { java: javaBin(), classpath: [join(jarDir, '*')], jvmArgs: args });
    if (cds.mode === 'record') ctx.notice(`kafka: no class-data archive yet; this run writes ${cds.archive} when it stops, and later starts map it`);
    const pid = spawnService({
      command: javaBin(),
      // The agent goes outside `args`: the class-data archive's key stays the broker's own flags.
      // Writing an archive with an agent loaded needs AllowArchivingWithJavaAgent (a diagnostic flag).
      args: [...cds.args, ...(metricsEnabled() ? [...(cds.mode === 'record' ? ['-XX:+UnlockDiagnosticVMOptions', '-XX:+AllowArchivingWithJavaAgent'] : []), await jmxAgentArg(metrics)] : []), ...args],
      logFile: layout.logFile,
      cwd: layout.dataDir,
    });
    ctx.spawned(pid);

    const url = `${HOST}:${broker}`;
    const ports: Record<string, number> = metricsEnabled() ? { broker, controller, metrics } : { broker, controller };
    await waitFor(async () => (await describeBroker(url)).brokers.length > 0, {
      what: `its broker answering metadata requests on ${url}`,
      service: 'kafka',
      timeoutMs: START_TIMEOUT_MS,
      intervalMs: 200,
      pid,
      logFile: layout.logFile,
    });
    return {
      name: 'kafka',
      pid,
      ports,
      url,
      logFile: layout.logFile,
      version: versionFromJars(jars) ?? KAFKA_VERSION,
      startedAt: new Date().toISOString(),
    };
  },
  async health(rec: ServiceRecord): Promise<HealthReport> {
    const d = await describeBroker(rec.url);
    const ok = d.brokers.length > 0;
    return {
      ok,
      // No controller figure: a KRaft broker names a random broker as "controller" to clients; node 1 is the quorum.
      detail: ok ? `${d.brokers.length} broker(s), cluster ${d.clusterId}` : 'no broker in the metadata answer',
      version: rec.version,
    };
  },
};
