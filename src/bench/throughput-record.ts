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

export interface DrainRecord {
  name: string;
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
}

export interface ThroughputRecord {
  recordedAt: string;
  command: string;
  form: 'full' | 'short';
  machine: { cores: number; memoryGiB: number; cpuModel: string; node: string; java: string; baseline_busy: number };
  versions: Record<string, string>;
  goal: { events_per_s: number; stretch_events_per_s: number; p99_ms_beyond_watermark: number; r2_min: number };
  sustainable_events_per_s: number;
  r1: number;
  r2: number;
  latency_p99_ms_after_window_end: number;
  latency_p99_ms_beyond_watermark: number;
  final_config: string;
  products: number;
  generator: {
    max_events_per_s: number;
    events: number;
    ms: number;
    cpu_s_per_million: Record<string, number>;
    alternatives: { kind: string; events_per_s: number; note: string }[];
  };
  pass_through: { events: number; ms: number; events_per_s: number; parallelism: number; cpu_s_per_million: Record<string, number> };
  tuning: DrainRecord[];
  correctness: { windows: number; rows: number; events_compared: number; equal: boolean; duplicates_injected: number; late: number };
  steps: StepRecord[];
}
