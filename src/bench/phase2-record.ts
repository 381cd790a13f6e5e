/**
 * The shape of static/results/phase-2-bench.json: written by `npm run lab phase-2-bench -- --record`
 * (labs/phase-2-bench), rendered by src/components/Phase2BenchResults. One type for both.
 */
import type { DrainMeasure } from './drain-job.ts';

export interface Phase2Drain extends DrainMeasure {
  job: 'kotlin' | 'sql';
  round: number;
}

export interface Phase2BenchRecord {
  recordedAt: string;
  command: string;
  form: 'full' | 'short';
  machine: { cores: number; memoryGiB: number; cpuModel: string; node: string; loadAverage1m_before: number; loadAverage1m_after: number };
  versions: Record<string, string>;
  /** What both jobs do: the same semantics, the same guarantees. */
  semantics: { parallelism: number; checkpoint_interval_ms: number; state_backend: string; delivery: string; watermarks: string };
  input: { lines: number; valid: number; dlq: number; duplicates: number; late: number; windows: number };
  drains: Phase2Drain[];
  /** Median drain rate per job over the rounds. */
  median_events_per_s: { kotlin: number; sql: number };
  /** Each job's outputs compared with the oracle (results rows, DLQ, duplicates and late counts). */
  equal_to_oracle: { kotlin: boolean; sql: boolean };
  /** End-to-end latency: result record stamped by Flink's producer - (window end + 5 s), open loop at a fixed rate. */
  latency?: { job: 'kotlin' | 'sql'; events_per_s: number; seconds: number; windows: number; p50: number; p95: number; p99: number; max: number }[];
}
