/**
 * The realistic shape's extra Kafka brokers (ADR 0091): `kafka-2` and `kafka-3`, broker-only
 * JVMs that join the cluster of the `kafka` node (node 1, broker and the one KRaft controller).
 *
 *   kafka-2   node 2, PLAINTEXT on 127.0.0.1:9094 (or a free port), JMX exporter on 9405
 *   kafka-3   node 3, PLAINTEXT on 127.0.0.1:9095 (or a free port), JMX exporter on 9406
 *
 * Each has its own data dir (.stack/data/kafka-N), formatted with node 1's cluster id (read from
 * node 1's meta.properties); a dir formatted for an older cluster (node 1's data dir was deleted
 * since) is emptied and formatted again: its replicas belong to topics that no longer exist.
 * Nothing here changes node 1: the default stack starts exactly as without these services.
 * Readiness is a real check: the node answers a metadata request that lists it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cdsArgs } from '../cds.ts';
import { StackError } from '../errors.ts';
import { waitFor } from '../health.ts';
import { javaBin } from '../java.ts';
import { metricsEnabled } from '../metrics-switch.ts';
import { exists, stackPaths } from '../paths.ts';
import { takePort } from '../ports.ts';
import { spawnService } from '../process.ts';
import type { HealthReport, ServiceName, ServiceRecord, ServiceSpec } from '../service.ts';
import { howItEnded, sh } from '../shell.ts';
import { describeBroker, kafkaClient } from './client.ts';
import { removeDeletedPartitionDirs } from './deleted-logs.ts';
import { DEFAULT_HEAP_MB, KAFKA_VERSION, brokerArgs, clusterIdFromMetaProperties, formatArgs, renderBrokerOnlyProperties, renderLog4jProperties, versionFromJars } from './config.ts';
import { jmxAgentArg, jmxAgentJars, kafkaJars, kafkaLayout } from './service.ts';
import { startupFlags } from '../jvm-flags.ts';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 90_000;
/** Node 1: the `kafka` service, broker and the cluster's only controller. */
export const CONTROLLER_NODE_ID = 1;

export interface ExtraBroker {
  name: ServiceName;
  nodeId: number;
  defaultPorts: { broker: number; metrics: number };
}

export const EXTRA_BROKERS: readonly ExtraBroker[] = [
  { name: 'kafka-2', nodeId: 2, defaultPorts: { broker: 9094, metrics: 9405 } },
  { name: 'kafka-3', nodeId: 3, defaultPorts: { broker: 9095, metrics: 9406 } },
];

function nodeOneClusterId(): string {
  const meta = join(kafkaLayout().dataDir, 'meta.properties');
  const id = exists(meta) ? clusterIdFromMetaProperties(readFileSync(meta, 'utf8')) : undefined;
  if (!id) throw new StackError(`No cluster id in ${meta}: the kafka service formats it at its first start; run npm run stack up, then start the extra brokers.`, { service: 'kafka' });
  return id;
}

/** Formats the node's data dir for node 1's cluster; a dir of another cluster is emptied first. */
async function formatForCluster(name: ServiceName, dataDir: string, conf: { jarDir: string; log4jFile: string; logsDir: string; serverProperties: string }, clusterId: string, notice: (m: string) => void): Promise<void> {
  const meta = join(dataDir, 'meta.properties');
  if (exists(meta)) {
    const had = clusterIdFromMetaProperties(readFileSync(meta, 'utf8'));
    if (had === clusterId) return;
    notice(`${name}: its data dir belongs to cluster ${had ?? 'unknown'}, node 1 runs ${clusterId}: emptying ${dataDir}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  const out = await sh`${javaBin()} ${formatArgs({ ...conf, clusterId })}`.timeout(60_000);
  if (!out.ok) {
    throw new StackError(`${name} could not format its data dir ${dataDir}: delete it and start again.`, {
      service: name,
      logTail: [...out.stdall.trim().split('\n').slice(-15), `(${howItEnded(out)})`].join('\n'),
    });
  }
}

/**
 * Makes node 1 create the internal topics (consumer offsets, transaction state) before another
 * broker joins: they have one replica (node 1's defaults, so the one-broker stack works), and
 * created while three brokers run, that replica could land on a broker a drill stops, taking
 * every consumer group (ClickHouse's Kafka engine) or transactional writer (Flink's exactly-once
 * sink) with it. On node 1 they share the controller's fate, which the shape accepts anyway.
 */
export async function pinInternalTopics(nodeOne: string, who: string): Promise<void> {
  const kafka = kafkaClient(nodeOne);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = new Set(await admin.listTopics());
    // Finding a group's coordinator creates __consumer_offsets; a transactional id's, __transaction_state.
    // The coordinator answers NOT_COORDINATOR while it loads the new topic: retried until it is ready.
    if (!topics.has('__consumer_offsets')) await retrying('node 1 creating __consumer_offsets', () => admin.fetchOffsets({ groupId: 'ctr-stack-pin-internal-topics', topics: [] }));
    if (!topics.has('__transaction_state')) {
      await retrying('node 1 creating __transaction_state', async () => {
        // One id per caller: kafka-2 and kafka-3 start together, and a shared id would fence one of them.
        const producer = kafka.producer({ transactionalId: `ctr-stack-pin-internal-topics-${who}`, maxInFlightRequests: 1, idempotent: true });
        await producer.connect();
        try {
          // initProducerId needs the transaction coordinator; an empty transaction's abort sends nothing.
          await (await producer.transaction()).abort();
        } finally {
          await producer.disconnect();
        }
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Retries a Kafka call while it fails with a retriable error, for up to 30 s. */
async function retrying<T>(what: string, fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const retriable = (err as { retriable?: boolean }).retriable === true;
      if (!retriable || Date.now() > deadline) throw new StackError(`${what} failed: ${err instanceof Error ? err.message : String(err)}`, { service: 'kafka' });
    }
    await sleep(200);
  }
}

function extraBrokerService(b: ExtraBroker): ServiceSpec {
  return {
    name: b.name,
    dependsOn: ['kafka'],
    memoryMb: DEFAULT_HEAP_MB + 256,
    prepare: async () => {
      const [broker, agent] = await Promise.all([kafkaJars(), jmxAgentJars()]);
      return { downloaded: broker.downloaded || agent.downloaded };
    },
    async start(ctx) {
      const nodeOne = ctx.running.kafka;
      const controllerPort = nodeOne?.ports.controller;
      if (!nodeOne || controllerPort === undefined) throw new StackError(`${b.name} joins the cluster of the kafka service, which is not running: run npm run stack up --profile realistic.`, { service: b.name });
      const { dir: jarDir, jars } = await kafkaJars();
      const brokerPort = await takePort(ctx, b.name, 'broker', b.defaultPorts.broker, `Kafka broker ${b.nodeId}`);
      const metrics = await takePort(ctx, b.name, 'metrics', b.defaultPorts.metrics, `Kafka broker ${b.nodeId}'s JMX exporter`);
      const confDir = stackPaths.conf(b.name);
      const dataDir = stackPaths.data(b.name);
      const logFile = stackPaths.log(b.name);
      const serverProperties = join(confDir, 'server.properties');
      const log4jFile = join(confDir, 'log4j.properties');
      mkdirSync(confDir, { recursive: true });
      writeFileSync(serverProperties, renderBrokerOnlyProperties({ nodeId: b.nodeId, brokerPort, controller: { nodeId: CONTROLLER_NODE_ID, port: controllerPort }, dirs: { data: dataDir }, host: HOST }));
      writeFileSync(log4jFile, renderLog4jProperties(process.env.DEBUG ? 'DEBUG' : 'INFO'));
      const jvm = { jarDir, log4jFile, logsDir: dirname(logFile), serverProperties };
      await formatForCluster(b.name, dataDir, jvm, nodeOneClusterId(), ctx.notice);
      removeDeletedPartitionDirs(dataDir);
      await pinInternalTopics(nodeOne.url, b.name);

      const args = [...startupFlags(b.name), ...brokerArgs(jvm)];
      // Same jars and layout flags as node 1: the archive is keyed by service, so each node records its own once.
      const cds = cdsArgs(b.name, { java: javaBin(), classpath: [join(jarDir, '*')], jvmArgs: args });
      const pid = spawnService({
        command: javaBin(),
        args: [...cds.args, ...(metricsEnabled() ? [...(cds.mode === 'record' ? ['-XX:+UnlockDiagnosticVMOptions', '-XX:+AllowArchivingWithJavaAgent'] : []), await jmxAgentArg(metrics)] : []), ...args],
        logFile,
        cwd: dataDir,
      });
      ctx.spawned(pid);
      const url = `${HOST}:${brokerPort}`;
      await waitFor(async () => (await describeBroker(url)).brokers.some((n) => n.nodeId === b.nodeId), {
        what: `broker ${b.nodeId} listed in the cluster's metadata on ${url}`,
        service: b.name,
        timeoutMs: START_TIMEOUT_MS,
        intervalMs: 200,
        pid,
        logFile,
      });
      const ports: Record<string, number> = metricsEnabled() ? { broker: brokerPort, metrics } : { broker: brokerPort };
      return {
        name: b.name,
        pid,
        ports,
        url,
        logFile,
        version: versionFromJars(jars) ?? KAFKA_VERSION,
        instanceId: String(b.nodeId),
        startedAt: new Date().toISOString(),
      };
    },
    async health(rec: ServiceRecord): Promise<HealthReport> {
      const d = await describeBroker(rec.url);
      const listed = d.brokers.some((n) => n.nodeId === b.nodeId);
      return {
        ok: listed,
        detail: listed ? `node ${b.nodeId} of ${d.brokers.length} broker(s), broker only (node ${CONTROLLER_NODE_ID} is the controller), cluster ${d.clusterId}` : `node ${b.nodeId} missing from its own metadata answer`,
        version: rec.version,
      };
    },
  };
}

export const extraBrokerServices: ServiceSpec[] = EXTRA_BROKERS.map(extraBrokerService);
