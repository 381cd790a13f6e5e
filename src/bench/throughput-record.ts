/**
 * The shape of static/results/phase-3-throughput.json: written by the throughput lab's --record
 * run (labs/phase-3-throughput/record.ts), rendered by src/components/ThroughputResults. One type
 * for both, so the page cannot read a field the lab does not write.
 */

export type StepStatus = 'sustainable' | 'unsustainable' | 'rate_not_reached' | 'aborted';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

export interface StepRecord {
  config: string;
  /** Which run of `--runs N` (1-based); absent in a one-run record. */
  run?: number;
  target_events_per_s: number;
  status: StepStatus;
  /** Why the step is not sustainable ('' when it is). */
  reason: string;
  input_events_per_s: number;
  consumed_events_per_s: number;
  /** Events counted in the ClickHouse rows of the windows measured / their duration. */
  output_events_per_s: number;
  lag: { start: number; end: number; slope_events_per_s: number };
  latency_ms_after_window_end: Percentiles & { window_p99: number[]; slope_ms_per_window: number; windows: number; incomplete_windows: number; resolution_ms: number };
  /** When Flink's producer stamped the row (the results topic's CreateTime) - window end. */
  emit_latency_ms_after_window_end?: Percentiles;
  backpressure: Record<string, { level: 'ok' | 'low' | 'high'; ratio_max: number; busy_ratio_max: number }>;
  cpu_s_per_million: Record<string, number>;
  machine_busy: number;
  tm_heap_used_max_mb: number;
  series: { t: number; input: number; lag: number }[];
}

/** A figure measured over several runs: the median, the range, and each run's value in run order. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export interface DrainRecord {
  name: string;
  /** Which setup the configuration belongs to (see SetupRecord). */
  setup?: 'exactly-once' | 'relaxed';
  change: string;
  sql: string;
  set: Record<string, string>;
  events: number;
  ms: number;
  drain_events_per_s: number;
  /** 'finished', or 'timeout' when the slice was not read in time (the rate is then a partial one). */
  outcome: 'finished' | 'timeout';
  cpu_s_per_million: Record<string, number>;
  machine_busy: number;
  busiest_vertex: string;
  busy_ratio: number;
  /** A JFR profile of the TaskManager during the drain: sample shares per thread and per top-of-stack method. */
  profile?: { samples: number; threads: { thread: string; share: number }[]; top: { method: string; share: number }[] };
  /** The drain rate over every run (drain_events_per_s is then the median run's, whose other figures this row shows). */
  spread?: Spread;
}

/**
 * One setup the lab publishes: what it guarantees (every figure on the site names these), which
 * configuration ramped it, and its headline figures over the runs.
 */
export interface SetupRecord {
  id: 'exactly-once' | 'relaxed';
  title: string;
  config: string;
  delivery: string;
  checkpointing: string;
  input: string;
  dedup: string;
  watermarks: string;
  /** The highest step that, with every lower one, was sustainable, per run. */
  sustainable_events_per_s: Spread;
  /** p99 result latency at that step, after the window end and beyond the 5 s watermark delay, per run. */
  latency_p99_ms_after_window_end: Spread;
  latency_p99_ms_beyond_watermark: Spread;
  /** The configuration's drain rate (a bounded read as fast as it can), per run; empty in the short form. */
  drain_events_per_s: Spread;
  /** sustainable (median) / the generator alone, and / the pass-through job (median). */
  r1: number;
  r2: number;
  /** ClickHouse against the generator's counts over this setup's sustainable windows. */
  correctness: { windows: number; rows: number; events_compared: number; equal: boolean };
}

export interface ThroughputRecord {
  recordedAt: string;
  command: string;
  form: 'full' | 'short';
  /** How many times the drains and the ladders ran (`--runs N`); each figure is a median and a range over them. */
  runs: number;
  /** What a reader must know about this recording that its fields do not say (e.g. recorded before a setup existed). */
  note?: string;
  /** load_average: the machine's 1, 5 and 15 minute load averages when the run started and when it ended (other work on the machine shows here). */
  machine: { cores: number; memoryGiB: number; cpuModel: string; node: string; java: string; baseline_busy: number; load_average: { start: number[]; end: number[] } };
  /** The exactly-once setup first (the headline), then the relaxed one. */
  setups: SetupRecord[];
  versions: Record<string, string>;
  goal: { events_per_s: number; stretch_events_per_s: number; p99_ms_beyond_watermark: number; r2_min: number };
  final_config: string;
  products: number;
  generator: {
    max_events_per_s: number;
    events: number;
    ms: number;
    cpu_s_per_million: Record<string, number>;
    alternatives: { kind: string; events_per_s: number; note: string }[];
  };
  /** events_per_s: the median over the runs (spread: every run). */
  pass_through: { events: number; ms: number; events_per_s: number; parallelism: number; cpu_s_per_million: Record<string, number>; spread?: Spread };
  tuning: DrainRecord[];
  /** Over both setups' sustainable windows (each setup's share is in setups[].correctness). */
  correctness: { windows: number; rows: number; events_compared: number; equal: boolean; duplicates_injected: number; late: number };
  steps: StepRecord[];
}

/** A Spread from per-run values (rounded to whole numbers: events/s and ms). */
export function spreadOf(values: readonly number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length === 0 ? 0 : s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { median: Math.round(median), min: Math.round(s[0] ?? 0), max: Math.round(s[s.length - 1] ?? 0), runs: values.map((v) => Math.round(v)) };
}
