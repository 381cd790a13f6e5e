/**
 * One run of phase 5's pipeline on the realistic shape: realistic traffic (src/ctr/realistic.ts)
 * replayed at its own pace into a running job that reads 6 partitions at parallelism 2, enriches
 * with the product dimension, applies the broken-clock rule when asked, and writes ClickHouse
 * (through the results topic) and an Iceberg table, both exactly once, committed on checkpoints.
 *
 * The job's input is bounded at the offsets the replay will end at (each partition's line count: a
 * fresh topic, a non-transactional producer, so offsets are 0..n-1): it runs while the lines
 * arrive, so partitions interleave as they would in production and an idle partition is idle in
 * wall-clock time too, and its input source finishes by itself; a drained stop then ends the job
 * (finishRun), every window fired, the last checkpoint committed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { type DimensionVersion, type EnrichedResult, runEnrichedOracle } from '../../src/ctr/dimension.ts';
import type { OracleParams } from '../../src/ctr/oracle.ts';
import { type RealisticTraffic, realisticTraffic, trafficTexts, type TrafficMode } from '../../src/ctr/realistic.ts';
import type { LabContext } from '../../src/lab/contract.ts';
import { createResultsTables } from '../../src/pipeline/clickhouse.ts';
import { FUTURE_TS_VARIANT, withFutureTs } from '../../src/pipeline/clock/future-ts.ts';
import type { LateRecord } from '../../src/pipeline/conservation.ts';
import { type EnrichedNames, enrichedNames, withEnrichment } from '../../src/pipeline/enrich/flink.ts';
import { ENRICHED_CLICKHOUSE, produceDimension, readEnrichedRows } from '../../src/pipeline/enrich/store.ts';
import { icebergNames, type IcebergNames, readIcebergRows, runIcebergJob, trackIcebergNamespace, withIcebergSink } from '../../src/pipeline/iceberg/index.ts';
import { replayTrafficJava } from '../../src/pipeline/ingest-traffic.ts';
import { flinkStatements, PIPELINE_SQL } from '../../src/pipeline/render.ts';
import { createReplicatedTopics, replicatedTopic } from '../../src/pipeline/replicated-topics.ts';
import { streamingNames } from '../../src/pipeline/streaming.ts';
import { INPUT_MAX_MESSAGE_BYTES, isTooLarge } from '../../src/pipeline/ingest.ts';
import { ingestShortfall } from '../../src/pipeline/ingest-shortfall.ts';
import { sqlString } from '../../src/lab/sql.ts';
import { runDir } from '../../src/cli/pipeline-config.ts';
import { clickhouseClient, waitForCount } from '../../src/stack/clickhouse/client.ts';
import { bootstrapServers } from '../../src/stack/endpoints.ts';
import { consumeAll, kafkaClient } from '../../src/stack/kafka/client.ts';
import { IDLE_TIMEOUT_MS, SOURCE_WATERMARKS } from './watermarks.ts';

/** What varies between the lab's runs. */
export interface RunSpec {
  id: 'steady' | 'idle' | 'tm-kill' | 'clock-off';
  /** Appended to the lab's run id: this run's topics, tables and job. */
  tag: string;
  title: string;
  mode: TrafficMode;
  /** A burst from a producer whose clock is a year ahead, halfway through. */
  burst: boolean;
  /** The broken-clock rule (future_ts) in the job. */
  rule: boolean;
  fault?: 'broker' | 'taskmanager';
}

/** How much traffic and how fast: event time runs `speedup` times faster than the wall clock. */
export interface Sizing {
  durationMs: number;
  speedup: number;
}

export const FULL: Sizing = { durationMs: 120_000, speedup: 5 };
export const SHORT: Sizing = { durationMs: 60_000, speedup: 5 };
/** The burst: this many events, spread over every partition, at the middle of the run. */
export const BURST_EVENTS = 60;
/** Checkpoints: Iceberg commits and Kafka transactions complete on each. */
export const CHECKPOINT_INTERVAL = '2 s';
export const PARALLELISM = 2;

export interface Collected {
  dlq: { payload: string; reason: string; bytes?: number }[];
  duplicates: { event_id: string }[];
  late: LateRecord[];
  /** Committed records on the results topic. */
  emitted: number;
  clickhouse: EnrichedResult[];
  iceberg: EnrichedResult[];
}

export interface Run {
  spec: RunSpec;
  traffic: RealisticTraffic;
  /** The oracle's options as the job applies them: the record timestamps when the rule is on. */
  params: Omit<OracleParams, 'onAggregated'>;
  names: EnrichedNames;
  ice: IcebergNames;
  jobId?: string;
  /** Event time per wall-clock time of the replay. */
  speedup: number;
  /** Wall-clock span of the replay. */
  replay?: { startedAt: number; endedAt: number };
  out?: Collected;
}

/** The idle stretch: partition 2 quiet from a quarter of the run to 83%: longer than a window plus the watermark delay. */
function idleStretch(durationMs: number) {
  return { partition: 2, fromMs: Math.round(durationMs / 4 / 1000) * 1000, toMs: Math.round((durationMs * 0.83) / 1000) * 1000 };
}

/** An idle run slows down until its quiet stretch lasts 1.4 times the idle timeout in wall-clock time, so idleness shows. */
export function speedupOf(spec: Pick<RunSpec, 'mode'>, sizing: Sizing): number {
  const idle = idleStretch(sizing.durationMs);
  return spec.mode === 'idle' ? Math.min(sizing.speedup, (idle.toMs - idle.fromMs) / (1.4 * IDLE_TIMEOUT_MS)) : sizing.speedup;
}

export function newRun(ctx: Pick<LabContext, 'runId' | 'endpoints' | 'options'>, spec: RunSpec, sizing: Sizing): Run {
  const traffic = realisticTraffic({
    seed: ctx.options.seed,
    mode: spec.mode,
    durationMs: sizing.durationMs,
    idle: idleStretch(sizing.durationMs),
    clockBurst: spec.burst ? { atMs: sizing.durationMs / 2, events: BURST_EVENTS } : false,
  });
  const runId = `${ctx.runId}_${spec.tag}`;
  const base = streamingNames(runId, ctx.endpoints, {
    checkpointInterval: CHECKPOINT_INTERVAL,
    stateBackend: 'hashmap',
    deliveryGuarantee: 'exactly-once',
    checkpointDir: '',
    rocksdbLogDir: '',
    parallelism: PARALLELISM,
    restartAttempts: 10,
    restartDelay: '2 s',
    txnTimeoutMs: 600_000,
    startupMode: 'earliest-offset',
    autoCommit: false,
    partitions: traffic.options.partitions,
  });
  const names = enrichedNames({
    ...(spec.rule ? withFutureTs(base) : base),
    pipeline_name: `ctr-phase-5 ${runId}`,
    bootstrap_servers: bootstrapServers(ctx.endpoints, 'internal'),
    bounded_mode: 'specific-offsets',
    scan_offsets: sourceOptions(traffic),
  });
  return { spec, traffic, speedup: speedupOf(spec, sizing), params: spec.rule ? { clock: { recordTimestamps: traffic.lines.map((l) => l.timestamp) } } : {}, names, ice: icebergNames(runId) };
}

/**
 * The source's extra WITH options (phase 1's `scan_offsets` slot): where the bounded read stops
 * (each partition's line count; a too_large line never reaches the input topic), and the
 * watermark's idleness and alignment (watermarks.ts).
 */
function sourceOptions(t: RealisticTraffic): string {
  const ends = Array.from({ length: t.options.partitions }, (_, p) => t.lines.filter((l) => l.partition === p && !isTooLarge(l.line)).length);
  const offsets = ends.map((n, p) => `partition:${p},offset:${n}`).join(';');
  return [`'scan.bounded.specific-offsets' = ${sqlString(offsets)},`, ...SOURCE_WATERMARKS.map(([k, v]) => `${sqlString(k)} = ${sqlString(v)},`)].join('\n');
}

/** The run's topics (replicated: 6 partitions, RF 3, min ISR 2; the dimension compacted) and its ClickHouse store. */
export async function createRunResources(ctx: LabContext, r: Run): Promise<void> {
  const n = r.names;
  // The traffic's record timestamps are from 2023, and the sinks stamp records with event time too:
  // with time-based retention a broker deletes such segments at its first retention check (seen
  // when kafka-2 came back from the drill: two partitions emptied under the job). Replays of old
  // data need retention by size or none.
  const keep = { 'retention.ms': '-1' };
  await createReplicatedTopics(
    ctx.endpoints,
    [
      replicatedTopic(n.input_topic, undefined, { ...keep, 'max.message.bytes': String(INPUT_MAX_MESSAGE_BYTES) }),
      replicatedTopic(n.dimension_topic, undefined, { 'cleanup.policy': 'compact' }),
      ...[n.dlq_topic, n.duplicates_topic, n.late_topic, n.results_topic].map((t) => replicatedTopic(t, undefined, keep)),
    ],
    ctx.track,
  );
  await createResultsTables(ctx.endpoints, n, { variant: ENRICHED_CLICKHOUSE, track: ctx.track });
  trackIcebergNamespace(ctx.track, r.ice);
  await produceDimension(bootstrapServers(ctx.endpoints), n.dimension_topic, r.traffic.dimension);
}

/** Phase 1's statements, streaming and checkpointed, with the clock rule, the enrichment and the Iceberg sink. */
export async function submitRun(ctx: LabContext, r: Run): Promise<string> {
  const dir = runDir(ctx.stack, r.names.prefix.replace(/_$/, '')).internal;
  const names = { ...r.names, checkpoint_dir: `file://${dir}/checkpoints`, rocksdb_log_dir: `${dir}/rocksdb-logs` };
  const variant = { flink: [`${PIPELINE_SQL}streaming/flink`, ...(r.spec.rule ? (FUTURE_TS_VARIANT.flink ?? []) : [])] };
  const enriched = withEnrichment(flinkStatements(names, variant), names);
  const stmts = withIcebergSink(enriched, names.results_table, r.ice, { category: 'category', advertiser: 'advertiser', spend_micros: 'spend_micros' });
  r.jobId = await runIcebergJob(ctx.endpoints, stmts, { session: names.prefix, track: ctx.track });
  return r.jobId;
}

/** Replays the traffic at the run's pace; `onProgress` gets the share of lines sent (0..1). */
/** Replays the traffic at the run's pace once `beforeStart` resolves (the job reading); `onProgress` gets the share of lines sent (0..1). */
export async function replay(ctx: LabContext, r: Run, beforeStart: () => Promise<unknown>, onProgress?: (share: number) => void): Promise<void> {
  let startedAt = 0;
  const total = r.traffic.lines.length;
  const start = async () => {
    await beforeStart();
    startedAt = Date.now();
  };
  await replayTrafficJava(bootstrapServers(ctx.endpoints), r.names, r.traffic.lines, { speedup: r.speedup, signal: ctx.signal, beforeStart: start, ...(onProgress ? { onTick: (sent: number) => onProgress(sent / total) } : {}) });
  r.replay = { startedAt, endedAt: Date.now() };
}

/** Resolves once every task of the job runs (or has finished: the dimension's source). */
export async function jobReading(ctx: Pick<LabContext, 'endpoints' | 'signal'>, jobId: string, timeoutMs = 120_000): Promise<void> {
  const rest = new FlinkRestClient(ctx.endpoints.flinkRest);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const d = await rest.jobDetails(jobId);
    if (d.state === 'RUNNING' && d.vertices.every((v) => v.status === 'RUNNING' || v.status === 'FINISHED')) return;
    if (['FAILED', 'CANCELED', 'FINISHED'].includes(d.state)) throw new Error(`job ${jobId} is ${d.state} before any traffic: ${(await rest.jobFailure(jobId)) ?? 'see the Flink UI'}`);
    if (Date.now() > until) throw new Error(`job ${jobId} did not start all its tasks within ${timeoutMs / 1000} s`);
    await sleep(200, undefined, { signal: ctx.signal });
  }
}

/**
 * Ends the job once its input source has read to the end offsets (that source FINISHED): the
 * dimension's source reads on, as a live changelog would, so the job does not finish by itself. A
 * stop-with-savepoint with drain emits the final watermark (every open window fires) and commits
 * the last Kafka transactions and Iceberg files, then the job is FINISHED.
 */
export async function finishRun(ctx: Pick<LabContext, 'endpoints' | 'signal' | 'stack'>, r: Run, timeoutMs = 300_000): Promise<string> {
  const rest = new FlinkRestClient(ctx.endpoints.flinkRest);
  const jobId = r.jobId as string;
  const until = Date.now() + timeoutMs;
  const source = `Source: ${r.names.source_table}[`;
  for (;;) {
    const d = await rest.jobDetails(jobId);
    if (d.vertices.some((v) => v.name.startsWith(source) && v.status === 'FINISHED')) break;
    if (['FAILED', 'CANCELED', 'FINISHED'].includes(d.state)) throw new Error(`job ${jobId} is ${d.state} before its input was read: ${(await rest.jobFailure(jobId)) ?? 'see the Flink UI'}`);
    if (Date.now() > until) throw new Error(`job ${jobId} did not read its input to the end within ${timeoutMs / 1000} s`);
    await sleep(500, undefined, { signal: ctx.signal });
  }
  const dir = runDir(ctx.stack, r.names.prefix.replace(/_$/, '')).internal;
  await rest.stopWithSavepoint(jobId, { drain: true, targetDirectory: `file://${dir}/savepoints` });
  return rest.waitForJob(jobId, { states: ['FINISHED'], timeoutMs: 120_000 });
}

/** The job has FINISHED (its last checkpoint committed): quiet this long means a topic is read to its end. */
const QUIET_MS = 1_500;
const INGEST_TIMEOUT_MS = 90_000;

export async function collect(ctx: Pick<LabContext, 'endpoints'>, r: Run): Promise<Collected> {
  const kafka = kafkaClient(bootstrapServers(ctx.endpoints));
  const read = async <T>(topic: string): Promise<T[]> => (await consumeAll(kafka, topic, { readUncommitted: false, idleMs: QUIET_MS })).map((m) => JSON.parse(m.value) as T);
  const n = r.names;
  const [dlq, duplicates, late, results] = await Promise.all([read<Collected['dlq'][number]>(n.dlq_topic), read<{ event_id: string }>(n.duplicates_topic), read<LateRecord>(n.late_topic), read<unknown>(n.results_topic)]);
  const ch = clickhouseClient(ctx.endpoints.clickhouseHttp);
  try {
    const landed = await waitForCount(ch, `SELECT count() AS n FROM ${n.results_table}`, results.length, INGEST_TIMEOUT_MS);
    if (landed < results.length) throw await ingestShortfall(ctx.endpoints, n, landed, results.length, INGEST_TIMEOUT_MS);
  } finally {
    await ch.close();
  }
  const iceberg = (await readIcebergRows(ctx.endpoints, r.ice)).map((x) => ({ ...x, category: x.category ?? '', advertiser: x.advertiser ?? '', spend_micros: x.spend_micros ?? 0 }));
  return { dlq, duplicates, late, emitted: results.length, clickhouse: await readEnrichedRows(ctx.endpoints, n), iceberg };
}

/** The enrichment oracle of the run, every event on time (the rows a run with nothing late gives) or as the single-order oracle says. */
export function enrichedOracle(r: Run, everyEventOnTime: boolean) {
  return runEnrichedOracle(trafficTexts(r.traffic), r.traffic.dimension as DimensionVersion[], { ...r.params, ...(everyEventOnTime ? { everyEventOnTime: true } : {}) });
}

/** Arrival time of the broken-clock burst, when the run has one. */
export function burstArrival(r: Run): number | undefined {
  return r.traffic.options.clockBurst ? r.traffic.options.startTs + r.traffic.options.clockBurst.atMs : undefined;
}
