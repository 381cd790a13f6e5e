/**
 * The pipeline configurations the lab measures, as data: the lab runs them and the lesson renders
 * the same list, so the page cannot describe a change the run did not make. Each one changes ONE
 * thing relative to the one before it (`change` says what), so each row of the tuning table is
 * one piece of evidence.
 */

export interface PipelineConfig {
  name: string;
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

export const CONFIGS: readonly PipelineConfig[] = [
  {
    name: 'v0-phase1',
    change: 'Phase 1\'s SQL as it is: raw lines validated in SQL (about 40 JSON function calls per line), COUNT(*) OVER dedup, four sinks; parallelism 1.',
    sql: 'v0-phase1',
    set: P1,
  },
  {
    name: 'v1-json',
    change: 'Input validated upstream: the JSON format parses each line once into typed columns; dedup by ROW_NUMBER (Flink\'s Deduplicate operator); two sinks.',
    sql: 'v1-json',
    set: P1,
  },
  {
    name: 'v1-json-reuse',
    change: '+ pipeline.object-reuse: chained operators pass records without a defensive copy.',
    sql: 'v1-json',
    set: { ...P1, 'pipeline.object-reuse': 'true' },
  },
  {
    name: 'v1-json-reuse-p2',
    change: '+ parallelism 2: two subtasks per operator, each reading two of the four partitions.',
    sql: 'v1-json',
    set: { 'parallelism.default': '2', 'pipeline.object-reuse': 'true' },
  },
];

/** What the short (CI) form ramps, and the full form's fallback when the sweep cannot choose. */
export const DEFAULT_FINAL = 'v1-json-reuse';

export function configByName(name: string): PipelineConfig {
  const c = CONFIGS.find((x) => x.name === name);
  if (!c) throw new Error(`no configuration "${name}"`);
  return c;
}
