/**
 * One configuration of the CTR pipeline on the lab's shared input topic: its names, its topics,
 * its ClickHouse tables, and its Flink job, submitted either unbounded from a point in time (the
 * rate steps) or as a bounded drain of a fixed slice of the topic (the tuning sweep and the
 * pass-through reference). Every job is phase 1's SQL rendered by the pipeline library with this
 * lab's values; the tuned variant and the pass-through put their own files (sql/) in place of
 * phase 1's where they differ.
 */
import { fileURLToPath } from 'node:url';
import { createResultsTables } from '../../src/pipeline/clickhouse.ts';
import { runStatements } from '../../src/pipeline/gateway.ts';
import { type PipelineNames, pipelineNames } from '../../src/pipeline/names.ts';
import { flinkStatements, PIPELINE_SQL, type Sink, type Statement, type Variant } from '../../src/pipeline/render.ts';
import { createTrackedTopics, pipelineTopics } from '../../src/pipeline/topics.ts';
import type { Endpoints } from '../../src/stack/backend.ts';
import type { ResourceTracker } from '../../src/stack/resources.ts';
import { EXACTLY_ONCE, type PipelineConfig, RELAXED_STATE_TTL } from './configs.ts';

const SQL = fileURLToPath(new URL('./sql/', import.meta.url));

/** Where the source starts and whether it stops. */
export type SourceRange =
  | { kind: 'from-time'; startMs: number }
  | { kind: 'slice'; from: Map<number, number>; to: Map<number, number> };

export interface Pipeline {
  id: string;
  vars: PipelineNames;
  jobId?: string;
  /** Where an exactly-once job checkpoints (paths as the TaskManager sees them: StackBackend.sharedDir). */
  dirs?: CheckpointDirs;
}

export interface CheckpointDirs {
  checkpointDir: string;
  rocksdbLogDir: string;
}

const offsetsSpec = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]).map(([p, o]) => `partition:${p},offset:${o}`).join(';');

/** Phase 1's read placeholders for a range: the modes, the positions they need (the scan_offsets slot), auto-commit. */
export function rangeNames(r: SourceRange): Pick<PipelineNames, 'startup_mode' | 'bounded_mode' | 'scan_offsets' | 'auto_commit'> {
  return r.kind === 'from-time'
    ? {
        startup_mode: 'timestamp',
        bounded_mode: 'unbounded',
        scan_offsets: `'scan.startup.timestamp-millis' = '${r.startMs}',`,
        // The group's offsets (what the lab reads as lag) come from the consumer's own
        // auto-commit, once a second: the relaxed setup has no checkpoints to commit them on, and
        // the exactly-once one would commit them only every 5 s.
        auto_commit: 'true',
      }
    : {
        startup_mode: 'specific-offsets',
        bounded_mode: 'specific-offsets',
        scan_offsets: `'scan.startup.specific-offsets' = '${offsetsSpec(r.from)}',\n'scan.bounded.specific-offsets' = '${offsetsSpec(r.to)}',`,
        auto_commit: 'false',
      };
}

export function newPipeline(id: string, ep: Pick<Endpoints, 'internal'>, inputTopic: string, products: number, dirs?: CheckpointDirs): Pipeline {
  const vars: PipelineNames = {
    ...pipelineNames(id, ep, `ctr-throughput ${id}`),
    input_topic: inputTopic,
    // Periodic watermarks (one every 200 ms, not one per event). No idle timeout: the generator
    // writes to every partition all the time, and under backpressure a split the reader has not
    // polled for a while would be declared idle, the watermark would move on without it, and its
    // events would arrive late (measured: thousands of late events in a baseline run).
    watermark_emit: 'on-periodic',
    // Dedup state must be bounded at tens of thousands of events per second: with no TTL every
    // event_id stays on the 480 MB task heap for good. 10 s of processing time is enough for the
    // generator's duplicates (sent right after their original); ADR 0019 records the trade.
    state_ttl: RELAXED_STATE_TTL,
    // A window fires one row per product at once; a Kafka engine block of exactly that size ends
    // as soon as the window's rows are read, and the view writes it at once. With the default
    // (65536) a block ends only once the engine finds no more rows, which on 18.16 took seconds
    // on every window in a side experiment. What remains: a read that the server's
    // stream_flush_interval_ms (500 ms) cuts in the middle of a window leaves the rest of that
    // window waiting in the same way (the lesson shows how often).
    kafka_settings: `kafka_max_block_size = ${products},`,
  };
  return { id, vars, ...(dirs ? { dirs } : {}) };
}

/** The tuned variant writes the results and the late events; no DLQ (the JSON source accepts only valid events), no duplicates topic. */
const V1_SINKS: readonly Sink[] = ['late', 'results'];

function sinksOf(cfg: PipelineConfig): readonly Sink[] | undefined {
  return cfg.sql === 'v1-json' ? V1_SINKS : undefined;
}

/** The configuration's own SETs, after phase 1's settings, so the lesson and the results file name exactly what changed. */
function variantOf(cfg: PipelineConfig): Variant {
  const set = Object.entries(cfg.set).map(([k, v]) => `SET '${k}' = '${v}'`);
  if (cfg.setup === 'exactly-once') return { flink: [`${PIPELINE_SQL}streaming/flink`], set };
  return cfg.sql === 'v1-json' ? { flink: [`${SQL}v1-json`], sinks: V1_SINKS, set } : { set };
}

/**
 * The exactly-once setup's values: phase 1's streaming job files (checkpointing, restarts) filled
 * in, transactional sinks, dedup state for the whole run on RocksDB (phase 1's horizon).
 */
function guaranteeNames(p: Pipeline, cfg: PipelineConfig): Record<string, string> {
  if (cfg.setup !== 'exactly-once') return {};
  if (!p.dirs) throw new Error(`${cfg.name} checkpoints: create its pipeline with checkpoint directories`);
  return {
    delivery_guarantee: 'exactly-once',
    state_ttl: EXACTLY_ONCE.stateTtl,
    state_backend: EXACTLY_ONCE.stateBackend,
    checkpoint_interval: EXACTLY_ONCE.checkpointInterval,
    checkpoint_dir: p.dirs.checkpointDir,
    rocksdb_log_dir: p.dirs.rocksdbLogDir,
    parallelism: cfg.set['parallelism.default'] ?? '1',
    restart_attempts: '30',
    restart_delay: '1 s',
  };
}

/** The statements of a configuration reading `range`: settings, its SETs, source, sinks, views, the statement set. */
export function jobStatements(p: Pipeline, cfg: PipelineConfig, range: SourceRange): Statement[] {
  return flinkStatements({ ...p.vars, ...rangeNames(range), ...guaranteeNames(p, cfg) }, variantOf(cfg));
}

/** The pass-through reference (sql/pass-through): the tuned source into a sink that discards. */
export function passThroughStatements(p: Pipeline, parallelism: number, range: SourceRange): Statement[] {
  const variant = { flink: [`${SQL}v1-json`, `${SQL}pass-through`], without: ['30-views.sql', '35-lateness.sql'], set: [`SET 'parallelism.default' = '${parallelism}'`] };
  return flinkStatements({ ...p.vars, ...rangeNames(range) }, variant);
}

/** Submits statements as the pipeline's job; returns the job id (tracked). */
export async function submit(ep: Endpoints, p: Pipeline, statements: readonly Statement[], track: ResourceTracker): Promise<string> {
  p.jobId = await runStatements(ep, statements, { session: p.id, track });
  return p.jobId;
}

/** The topics a configuration writes (the shared input topic is not among them). */
export async function createPipelineTopics(ep: Endpoints, p: Pipeline, cfg: PipelineConfig, track: ResourceTracker): Promise<void> {
  await createTrackedTopics(ep, pipelineTopics(p.vars, { inputPartitions: null, sinks: sinksOf(cfg) }), track);
}

/** Phase 1's results store, with the latency-tuned Kafka engine block size. */
export async function createClickhouseTables(ep: Endpoints, p: Pipeline, track: ResourceTracker): Promise<void> {
  await createResultsTables(ep, p.vars, { track });
}
