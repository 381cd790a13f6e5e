/**
 * The pipeline configurations the lab measures, as data: the lab runs them and the lesson renders
 * the same list, so the page cannot describe a change the run did not make. Each one changes ONE
 * thing relative to the one before it (`change` says what), so each row of the tuning table is
 * one piece of evidence.
 */

/**
 * The two setups the lab publishes side by side. exactly-once: phase 1's full semantics (a DLQ,
 * deduplication over the whole run, transactional sinks, checkpoints every 5 s), what the recovery
 * drills prove correct. relaxed: what the tuning trades away for speed (no checkpoints,
 * at-least-once sinks, a 10 s dedup horizon; from v1-json on, no DLQ either).
 */
export type SetupId = 'exactly-once' | 'relaxed';

/** What a configuration guarantees, in words the results file and the page carry next to every figure. */
export interface SetupText {
  delivery: string;
  checkpointing: string;
  input: string;
  dedup: string;
  watermarks: string;
}

export interface PipelineConfig {
  name: string;
  setup: SetupId;
  /** What this configuration changes, relative to the previous one (the lesson shows it). */
  change: string;
  /**
   * Which SQL: phase 1's files as they are (v0-phase1), or with sql/v1-json's files in place of
   * phase 1's source and numbering (pipeline.ts).
   */
  sql: 'v0-phase1' | 'v1-json';
  /** Session SETs sent after phase 1's 00-settings.sql. */
  set: Record<string, string>;
}

const P1 = { 'parallelism.default': '1' };

/** The exactly-once configuration's job settings: phase 1's streaming files (labs/phase-1/sql/streaming/flink). */
export const EXACTLY_ONCE = { checkpointInterval: '5 s', stateBackend: 'rocksdb', stateTtl: '0 ms' } as const;
/** The checkpoint interval in seconds: the exactly-once job commits its input offsets that often. */
export const EXACTLY_ONCE_COMMIT_SECONDS = 5;
/** The relaxed configurations' dedup horizon (pipeline.ts, ADR 0019). */
export const RELAXED_STATE_TTL = '10 s';

export const CONFIGS: readonly PipelineConfig[] = [
  {
    name: 'v0-phase1-eo',
    setup: 'exactly-once',
    change: 'Phase 1\'s full semantics: raw lines validated in SQL (about 40 JSON function calls per line) with a DLQ, COUNT(*) OVER dedup remembering every event_id for the whole run (RocksDB), four transactional sinks (exactly-once), checkpoints every 5 s; parallelism 1.',
    sql: 'v0-phase1',
    set: P1,
  },
  {
    name: 'v0-phase1',
    setup: 'relaxed',
    change: 'The same SQL without delivery guarantees: no checkpoints, at-least-once sinks, event_ids remembered for 10 s of processing time (heap state).',
    sql: 'v0-phase1',
    set: P1,
  },
  {
    name: 'v1-json',
    setup: 'relaxed',
    change: 'Input validated upstream: the JSON format parses each line once into typed columns; dedup by ROW_NUMBER (Flink\'s Deduplicate operator); two sinks.',
    sql: 'v1-json',
    set: P1,
  },
  {
    name: 'v1-json-reuse',
    setup: 'relaxed',
    change: '+ pipeline.object-reuse: chained operators pass records without a defensive copy.',
    sql: 'v1-json',
    set: { ...P1, 'pipeline.object-reuse': 'true' },
  },
  {
    name: 'v1-json-reuse-p2',
    setup: 'relaxed',
    change: '+ parallelism 2: two subtasks per operator, each reading two of the four partitions.',
    sql: 'v1-json',
    set: { 'parallelism.default': '2', 'pipeline.object-reuse': 'true' },
  },
];

/** What the short (CI) form ramps, and the full form's fallback when the sweep cannot choose. */
export const DEFAULT_FINAL = 'v1-json-reuse';
/** The configuration the exactly-once ladder ramps. */
export const EXACTLY_ONCE_CONFIG = 'v0-phase1-eo';

/** What a configuration guarantees, for the results file: every figure names its setup with these words. */
export function setupText(cfg: PipelineConfig): SetupText {
  const json = cfg.sql === 'v1-json';
  const p = cfg.set['parallelism.default'] ?? '1';
  const eo = cfg.setup === 'exactly-once';
  return {
    delivery: eo ? 'exactly-once: transactional Kafka sinks committed on checkpoints, read read_committed' : 'none end to end: at-least-once Kafka sinks, no checkpoints (a failure loses the windows in flight)',
    checkpointing: eo ? `every ${EXACTLY_ONCE.checkpointInterval}, exactly-once mode, ${EXACTLY_ONCE.stateBackend}` : 'off',
    input: json ? 'JSON format: one parse per line; a bad line fails the job (no DLQ, no duplicates topic)' : 'raw lines validated in SQL; invalid lines go to the DLQ with their reason',
    dedup: eo ? 'every event_id for the whole run (no TTL)' : `event_ids for ${RELAXED_STATE_TTL} of processing time (state TTL)`,
    watermarks: `periodic (200 ms), max ts - 5 s; parallelism ${p}${cfg.set['pipeline.object-reuse'] ? ', object reuse' : ''}`,
  };
}

export function configByName(name: string): PipelineConfig {
  const c = CONFIGS.find((x) => x.name === name);
  if (!c) throw new Error(`no configuration "${name}"`);
  return c;
}
