/**
 * The local Flink backend: a session cluster of three plain JVMs on Java 17, from jars that
 * Maven resolves out of src/stack/flink/pom.xml (flink-dist is not on Maven Central).
 *
 *   flink-jobmanager   StandaloneSessionClusterEntrypoint, REST + web UI on 127.0.0.1:8081
 *   flink-taskmanager  TaskManagerRunner, 2 slots, registers with the JobManager's RPC port
 *   sql-gateway        SqlGateway, REST on 127.0.0.1:8083, submits to the JobManager
 *
 * Each process gets its own generated conf dir (.stack/conf/<service>/) rendered by config.ts
 * from the ports chosen at start, so a restarted TaskManager always finds the running
 * JobManager. Readiness is a real check: /overview answers; our TaskManager is registered
 * with slots; the gateway answers /v1/info.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cdsArgs } from '../cds.ts';
import { patchFirst, SPLIT_READER_PATCH_JAR } from './classpath.ts';
import { StackError } from '../errors.ts';
import { waitFor } from '../health.ts';
import { javaBin } from '../java.ts';
import { builtJarOnce, jarsOnce } from '../maven.ts';
import { metricsEnabled } from '../metrics-switch.ts';
import { stackPaths } from '../paths.ts';
import { takePort } from '../ports.ts';
import { spawnService } from '../process.ts';
import type { HealthReport, ServiceName, ServiceRecord, ServiceSpec, StartContext } from '../service.ts';
import {
  DEFAULT_GATEWAY_HEAP_MB,
  DEFAULT_JM_MEMORY,
  DEFAULT_TM_MEMORY,
  FLINK_VERSION,
  type FlinkDirs,
  type FlinkPorts,
  type FlinkRole,
  javaArgs,
  javaEnv,
  jmProcessMb,
  renderConfigYaml,
  renderLog4jProperties,
  tmProcessMb,
} from './config.ts';
import { SqlGatewayClient } from './gateway-client.ts';
import { FlinkRestClient } from './rest-client.ts';
import { startupFlags } from '../jvm-flags.ts';

export const DEFAULT_PORTS = { rest: 8081, rpc: 6123, gateway: 8083, jmMetrics: 9249, tmMetrics: 9250, tm2Metrics: 9251 } as const;
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 120_000;

const pomPath = fileURLToPath(new URL('./pom.xml', import.meta.url));

const reporterPomPath = fileURLToPath(new URL('./prometheus-reporter/pom.xml', import.meta.url));

/** The Prometheus reporter jar (ADR 0070), resolved once into .stack/jars/flink-prometheus-reporter. */
export const reporterJars = jarsOnce(reporterPomPath, () => stackPaths.jars('flink-prometheus-reporter'));

/** Copies the reporter into plugins/metrics-prometheus/, where Flink's plugin loader looks (one classloader per plugin folder). */
async function installReporter(pluginsDir: string): Promise<void> {
  const { jars } = await reporterJars();
  const dir = join(pluginsDir, 'metrics-prometheus');
  mkdirSync(dir, { recursive: true });
  for (const jar of jars) copyFileSync(jar, join(dir, basename(jar)));
}

const icebergPomPath = fileURLToPath(new URL('./iceberg/pom.xml', import.meta.url));

/** Iceberg's Flink runtime and Hadoop's shaded client: on the SQL Gateway's class path only (ADR 0095); jobs ship them as pipeline.jars. */
export const icebergJars = jarsOnce(icebergPomPath, () => stackPaths.jars('iceberg'));

/** Resolves the pom into .stack/jars/flink once per process; a no-op (no Maven) once cached. */
export const flinkJars = jarsOnce(pomPath, () => stackPaths.jars('flink'));

export const splitReaderPatchPom = fileURLToPath(new URL('./kafka-split-reader-patch/pom.xml', import.meta.url));

/**
 * The Kafka connector's split reader, patched (ADR 0122): watermark alignment no longer fails a
 * task by pausing a split that has just finished. Built once (Maven skipped while its sources are
 * unchanged); it goes first on the class path, so its class is the one the JVM loads.
 */
export const splitReaderPatch = builtJarOnce(splitReaderPatchPom, SPLIT_READER_PATCH_JAR);

function flinkDirs(): FlinkDirs {
  const base = stackPaths.data('flink');
  const dirs: FlinkDirs = {
    tmp: join(base, 'tmp'),
    web: join(base, 'web'),
    plugins: join(base, 'plugins'),
    checkpoints: join(base, 'checkpoints'),
    savepoints: join(base, 'savepoints'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return dirs;
}

/** Writes config.yaml + log4j.properties for one process; returns the conf dir. */
function writeConf(service: ServiceName, ports: FlinkPorts, resourceId?: string): string {
  const dir = stackPaths.conf(service);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), renderConfigYaml({ ports, dirs: flinkDirs(), host: HOST, ...(resourceId === undefined ? {} : { resourceId }) }));
  writeFileSync(join(dir, 'log4j.properties'), renderLog4jProperties());
  return dir;
}

async function spawnFlink(service: ServiceName, role: FlinkRole, confDir: string, ctx: StartContext): Promise<{ pid: number; logFile: string }> {
  // Iceberg and Hadoop's client on every Flink process's class path, loaded once by the JVM: shipped
  // with each job instead, every job's class loader loaded them again and Hadoop's threads kept them
  // (a TaskManager hit its 256 MB Metaspace after a few dozen Iceberg jobs; ADR 0095). CTR_ICEBERG=off
  // starts without them (to measure what they cost).
  const iceberg = process.env.CTR_ICEBERG !== 'off';
  const jars = patchFirst([...(await flinkJars()).jars, ...(iceberg ? (await icebergJars()).jars : []), (await splitReaderPatch()).jar]);
  const logFile = stackPaths.log(service);
  const args = [...startupFlags(service), ...javaArgs({ role, confDir, classpath: jars, logFile })];
  const cds = cdsArgs(service, { java: javaBin(), classpath: jars, jvmArgs: args });
  if (cds.mode === 'record') ctx.notice(`${service}: no class-data archive yet; this run writes ${cds.archive} when it stops, and later starts map it`);
  const pid = spawnService({
    command: javaBin(),
    args: [...cds.args, ...args],
    logFile,
    cwd: stackPaths.data('flink'),
    env: javaEnv(confDir, flinkDirs().plugins),
  });
  ctx.spawned(pid);
  return { pid, logFile };
}

function requireJobManager(ctx: StartContext, who: string): ServiceRecord {
  const jm = ctx.running['flink-jobmanager'];
  if (!jm) throw new StackError(`${who} needs the Flink JobManager, which is not running: run npm run stack up.`, { service: who });
  return jm;
}

function jmPorts(jm: ServiceRecord): { rest: number; rpc: number } {
  const { rest, rpc } = jm.ports;
  if (rest === undefined || rpc === undefined) throw new StackError('The recorded Flink JobManager has no rest/rpc ports: run npm run stack down, then up.');
  return { rest, rpc };
}

/** A TCP connect to 127.0.0.1:port succeeds (the process is listening); never throws. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port, timeout: 1_000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

const prepare = async (): Promise<{ downloaded: boolean }> => {
  const [cluster, reporter, iceberg, patch] = await Promise.all([flinkJars(), reporterJars(), icebergJars(), splitReaderPatch()]);
  return { downloaded: cluster.downloaded || reporter.downloaded || iceberg.downloaded || patch.built };
};

export const jobManagerService: ServiceSpec = {
  name: 'flink-jobmanager',
  dependsOn: [],
  memoryMb: jmProcessMb(DEFAULT_JM_MEMORY),
  prepare,
  async start(ctx) {
    const rest = await takePort(ctx, 'flink-jobmanager', 'rest', DEFAULT_PORTS.rest, 'the Flink JobManager REST API');
    const rpc = await takePort(ctx, 'flink-jobmanager', 'rpc', DEFAULT_PORTS.rpc, 'the Flink JobManager RPC');
    const metrics = await takePort(ctx, 'flink-jobmanager', 'metrics', DEFAULT_PORTS.jmMetrics, "the Flink JobManager's Prometheus reporter");
    await installReporter(flinkDirs().plugins);
    const confDir = writeConf('flink-jobmanager', { rest, rpc, ...(metricsEnabled() ? { metrics } : {}) });
    const { pid, logFile } = await spawnFlink('flink-jobmanager', 'jobmanager', confDir, ctx);
    const url = `http://${HOST}:${rest}`;
    const startedAt = new Date().toISOString();
    // The TaskManager and the gateway need only the RPC endpoint (the TaskManager retries its
    // registration until the resource manager is up): let them start while the REST API comes up.
    await waitFor(() => portAnswers(rpc), { what: `its RPC port ${rpc} accepting connections`, service: 'flink-jobmanager', timeoutMs: START_TIMEOUT_MS, intervalMs: 50, pid, logFile });
    const ports: Record<string, number> = metricsEnabled() ? { rest, rpc, metrics } : { rest, rpc };
    ctx.reachable({ name: 'flink-jobmanager', pid, ports, url, logFile, version: FLINK_VERSION, startedAt });
    const api = new FlinkRestClient(url, 2_000);
    const overview = await waitFor(() => api.overview().catch(() => undefined), {
      what: `its REST API answering on ${url}/overview`,
      service: 'flink-jobmanager',
      timeoutMs: START_TIMEOUT_MS,
      pid,
      logFile,
    });
    return { name: 'flink-jobmanager', pid, ports, url, logFile, version: overview.version, startedAt };
  },
  async health(rec): Promise<HealthReport> {
    const o = await new FlinkRestClient(rec.url, 2_000).overview();
    return {
      ok: true,
      detail: `${o.taskmanagers} TaskManager(s), ${o.slotsAvailable}/${o.slotsTotal} slots free, ${o.jobsRunning} job(s) running`,
      version: o.version,
    };
  },
};

/** Resource ids of the realistic shape's extra TaskManagers start with this; the default one never does. */
export const EXTRA_TM_ID_PREFIX = 'ctr-extra-tm-';

/**
 * A TaskManager service. The default one (`flink-taskmanager`) lets Flink name it and takes the
 * first new TaskManager that registers; an extra one (`flink-taskmanager-2`, ADR 0091) names
 * itself, so both can start at once without taking each other's registration for their own.
 */
function taskManagerSpec(name: ServiceName, defaultMetricsPort: number, extra: boolean): ServiceSpec {
  return {
    name,
    dependsOn: ['flink-jobmanager'],
    memoryMb: tmProcessMb(DEFAULT_TM_MEMORY),
    prepare,
    async start(ctx) {
      const jm = requireJobManager(ctx, name);
      const { rest, rpc } = jmPorts(jm);
      const api = new FlinkRestClient(jm.url, 2_000);
      // A TaskManager that died recently stays listed until its heartbeat times out: wait for a new one.
      const before = new Set((await api.taskManagers().catch(() => [])).map((t) => t.id));
      const metrics = await takePort(ctx, name, 'metrics', defaultMetricsPort, `the Flink TaskManager's Prometheus reporter (${name})`);
      await installReporter(flinkDirs().plugins);
      const resourceId = extra ? `${EXTRA_TM_ID_PREFIX}${name}-${randomBytes(4).toString('hex')}` : undefined;
      const confDir = writeConf(name, { rest, rpc, ...(metricsEnabled() ? { metrics } : {}) }, resourceId);
      const { pid, logFile } = await spawnFlink(name, 'taskmanager', confDir, ctx);
      const mine = (id: string) => (resourceId ? id === resourceId : !before.has(id) && !id.startsWith(EXTRA_TM_ID_PREFIX));
      const tm = await waitFor(
        async () => (await api.taskManagers()).find((t) => mine(t.id) && t.slotsNumber > 0),
        { what: `registering with the JobManager at ${jm.url} with free slots`, service: name, timeoutMs: START_TIMEOUT_MS, pid, logFile },
      );
      const ports: Record<string, number> = metricsEnabled() ? { metrics } : {};
      if (tm.rpcPort) ports.rpc = tm.rpcPort;
      if (tm.dataPort) ports.data = tm.dataPort;
      return {
        name,
        pid,
        ports,
        url: jm.url,
        instanceId: tm.id,
        logFile,
        version: jm.version,
        startedAt: new Date().toISOString(),
      };
    },
    async health(rec): Promise<HealthReport> {
      const url = `${rec.url}/taskmanagers/${encodeURIComponent(rec.instanceId ?? '')}`;
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) return { ok: false, detail: `not registered with the JobManager (HTTP ${res.status} from ${url})` };
      const body = (await res.json()) as { slotsNumber?: number; freeSlots?: number };
      const slots = body.slotsNumber ?? 0;
      return { ok: slots > 0, detail: `registered, ${body.freeSlots ?? 0}/${slots} slots free`, version: rec.version };
    },
  };
}

export const taskManagerService: ServiceSpec = taskManagerSpec('flink-taskmanager', DEFAULT_PORTS.tmMetrics, false);

/** The realistic shape's second TaskManager (ADR 0091): same JobManager, same slots and memory. */
export const secondTaskManagerService: ServiceSpec = taskManagerSpec('flink-taskmanager-2', DEFAULT_PORTS.tm2Metrics, true);

export const sqlGatewayService: ServiceSpec = {
  name: 'sql-gateway',
  dependsOn: ['flink-jobmanager'],
  memoryMb: DEFAULT_GATEWAY_HEAP_MB + 128,
  prepare,
  async start(ctx) {
    const jm = requireJobManager(ctx, 'sql-gateway');
    const { rest, rpc } = jmPorts(jm);
    const gateway = await takePort(ctx, 'sql-gateway', 'rest', DEFAULT_PORTS.gateway, 'the Flink SQL Gateway');
    const confDir = writeConf('sql-gateway', { rest, rpc, gateway });
    const { pid, logFile } = await spawnFlink('sql-gateway', 'gateway', confDir, ctx);
    const url = `http://${HOST}:${gateway}`;
    const client = new SqlGatewayClient(url, { requestTimeoutMs: 2_000 });
    const info = await waitFor(() => client.info().catch(() => undefined), {
      what: `answering on ${url}/v1/info`,
      service: 'sql-gateway',
      timeoutMs: START_TIMEOUT_MS,
      pid,
      logFile,
    });
    return { name: 'sql-gateway', pid, ports: { rest: gateway }, url, logFile, version: info.version, startedAt: new Date().toISOString() };
  },
  async health(rec): Promise<HealthReport> {
    const info = await new SqlGatewayClient(rec.url, { requestTimeoutMs: 2_000 }).info();
    return { ok: true, detail: `${info.productName} ${info.version}`, version: info.version };
  },
};

/** In start order: the TaskManager and the gateway both depend on the JobManager only. */
export const flinkServices: ServiceSpec[] = [jobManagerService, taskManagerService, sqlGatewayService];
