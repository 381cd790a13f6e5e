/**
 * What `npm run lab phase-3-throughput -- --record` writes to static/results/phase-3-throughput.json
 * (the shape is src/bench/throughput-record.ts; the lesson page renders it). Every figure comes
 * from the run's state; nothing here is typed by hand except the goal (issue 5's) and the words
 * that name each setup (configs.ts). Both setups side by side, each figure a median and a range
 * over the runs.
 */
import { machineInfo } from '../../src/bench/machine.ts';
import { type SetupRecord, spreadOf, type ThroughputRecord } from '../../src/bench/throughput-record.ts';
import { configByName, EXACTLY_ONCE_CONFIG, setupText } from './configs.ts';
import type { LabReport } from '../../src/lab/report.ts';
import type { State } from './lab.ts';
import { WATERMARK_DELAY_MS } from '../../src/ctr/event.ts';
import { PRODUCTS } from './plan.ts';
import { sustainableRate } from './verdict.ts';

/** The goal set when the lab was planned (the page calls it "the goal"). */
export const GOAL = { events_per_s: 50_000, stretch_events_per_s: 100_000, p99_ms_beyond_watermark: 1_500, r2_min: 0.5 };

export function buildRecord(s: State, report: LabReport): ThroughputRecord {
  const ratio = (a: number, b: number | undefined) => (b ? Math.round((a / b) * 1000) / 1000 : 0);
  const passThrough = spreadOf(s.passThroughs.map((p) => p.drain_events_per_s));
  // The pass-through run whose rate is the median (its CPU figures belong to that run).
  const ptRun = [...s.passThroughs].sort((a, b) => a.drain_events_per_s - b.drain_events_per_s)[Math.floor((s.passThroughs.length - 1) / 2)];
  const setups: SetupRecord[] = (['exactly-once', 'relaxed'] as const).map((id) => {
    const cfg = configByName(id === 'exactly-once' ? EXACTLY_ONCE_CONFIG : s.finalConfig);
    const ladders = s.ladders.filter((l) => l.setup === id);
    const tops = ladders.map((l) => {
      const rate = sustainableRate(l.run.steps);
      const p99 = l.run.steps.find((x) => x.target_events_per_s === rate)?.latency_ms_after_window_end.p99;
      return { rate, p99 };
    });
    const measured = tops.filter((t) => t.p99 !== undefined) as { rate: number; p99: number }[];
    const sustainable = spreadOf(tops.map((t) => t.rate));
    const e = s.exact[id];
    return {
      id,
      title: id === 'exactly-once' ? "Phase 1's full semantics, exactly-once" : 'Tuned, without delivery guarantees',
      config: cfg.name,
      ...setupText(cfg),
      sustainable_events_per_s: sustainable,
      latency_p99_ms_after_window_end: spreadOf(measured.map((t) => t.p99)),
      latency_p99_ms_beyond_watermark: spreadOf(measured.map((t) => t.p99 - WATERMARK_DELAY_MS)),
      drain_events_per_s: spreadOf(s.drains.filter((d) => d.name === cfg.name).map((d) => d.drain_events_per_s)),
      r1: ratio(sustainable.median, s.genMax?.events_per_s),
      r2: ratio(sustainable.median, passThrough.median),
      correctness: { windows: e?.windows ?? 0, rows: e?.rows ?? 0, events_compared: e?.events ?? 0, equal: !!e && e.rows > 0 && e.differences.length === 0 },
    };
  });
  const exacts = Object.values(s.exact);
  return {
    recordedAt: report.startedAt,
    command: commandOf(s),
    form: s.plan.form,
    runs: s.runs,
    machine: { ...machineInfo(), java: s.java, baseline_busy: s.baselineBusy, load_average: s.load },
    setups,
    versions: { ...report.versions, 'kafka-clients (generator)': '3.9.1' },
    goal: GOAL,
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
      events: ptRun?.events ?? 0,
      ms: ptRun?.ms ?? 0,
      events_per_s: passThrough.median,
      parallelism: ptRun?.parallelism ?? 1,
      cpu_s_per_million: ptRun?.cpu_s_per_million ?? {},
      spread: passThrough,
    },
    tuning: s.tuning,
    correctness: {
      windows: exacts.reduce((a, x) => a + x.windows, 0),
      rows: exacts.reduce((a, x) => a + x.rows, 0),
      events_compared: exacts.reduce((a, x) => a + x.events, 0),
      equal: exacts.length === 2 && exacts.every((x) => x.rows > 0 && x.differences.length === 0),
      duplicates_injected: s.genFinal?.status.dups ?? 0,
      late: s.late,
    },
    steps: s.ladders.flatMap((l) => l.run.steps),
  };
}

/** The command that reproduces this record (the lead re-records on a quiet machine with it). */
function commandOf(s: State): string {
  if (s.plan.form === 'short') return 'npm run lab phase-3-throughput -- --short --record';
  return s.runs === 3 ? 'npm run lab phase-3-throughput -- --record' : `npm run lab phase-3-throughput -- --record --runs ${s.runs}`;
}
