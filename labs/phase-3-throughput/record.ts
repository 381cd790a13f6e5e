/**
 * What `npm run lab phase-3-throughput -- --record` writes to static/results/phase-3-throughput.json
 * (the shape is src/bench/throughput-record.ts; the lesson page renders it). Every figure comes
 * from the run's state; nothing here is typed by hand except the goal, which is the issue's.
 */
import { machineInfo } from '../../src/bench/machine.ts';
import type { ThroughputRecord } from '../../src/bench/throughput-record.ts';
import type { LabReport } from '../../src/lab/report.ts';
import type { State } from './lab.ts';
import { WATERMARK_DELAY_MS } from '../../src/ctr/event.ts';
import { PRODUCTS } from './plan.ts';
import { sustainableRate } from './verdict.ts';

/** Issue 5's goal. */
export const GOAL = { events_per_s: 50_000, stretch_events_per_s: 100_000, p99_ms_beyond_watermark: 1_500, r2_min: 0.5 };

export function buildRecord(s: State, report: LabReport): ThroughputRecord {
  const final = s.ladders.find((l) => l.config === s.finalConfig)?.run.steps ?? [];
  const sustainable = sustainableRate(final);
  const atTop = final.find((x) => x.target_events_per_s === sustainable);
  const p99 = atTop?.latency_ms_after_window_end.p99 ?? 0;
  const ratio = (a: number, b: number | undefined) => (b ? Math.round((a / b) * 1000) / 1000 : 0);
  return {
    recordedAt: report.startedAt,
    command: s.plan.form === 'full' ? 'npm run lab phase-3-throughput -- --record' : 'npm run lab phase-3-throughput -- --short --record',
    form: s.plan.form,
    machine: { ...machineInfo(), java: s.java, baseline_busy: s.baselineBusy },
    versions: { ...report.versions, 'kafka-clients (generator)': '3.9.1' },
    goal: GOAL,
    sustainable_events_per_s: sustainable,
    r1: ratio(sustainable, s.genMax?.events_per_s),
    r2: ratio(sustainable, s.passThrough?.drain_events_per_s),
    latency_p99_ms_after_window_end: p99,
    latency_p99_ms_beyond_watermark: atTop ? p99 - WATERMARK_DELAY_MS : 0,
    final_config: s.finalConfig,
    products: PRODUCTS,
    generator: {
      max_events_per_s: s.genMax?.events_per_s ?? 0,
      events: s.genMax?.events ?? 0,
      ms: s.genMax?.ms ?? 0,
      cpu_s_per_million: s.genMax?.cpu_s_per_million ?? {},
      alternatives: s.alternatives,
    },
    pass_through: {
      events: s.passThrough?.events ?? 0,
      ms: s.passThrough?.ms ?? 0,
      events_per_s: s.passThrough?.drain_events_per_s ?? 0,
      parallelism: s.passThrough?.parallelism ?? 1,
      cpu_s_per_million: s.passThrough?.cpu_s_per_million ?? {},
    },
    tuning: s.tuning,
    correctness: {
      windows: s.exact?.windows ?? 0,
      rows: s.exact?.rows ?? 0,
      events_compared: s.exact?.events ?? 0,
      equal: !!s.exact && s.exact.rows > 0 && s.exact.differences.length === 0,
      duplicates_injected: s.genFinal?.status.dups ?? 0,
      late: s.late,
    },
    steps: s.ladders.flatMap((l) => l.run.steps),
  };
}
