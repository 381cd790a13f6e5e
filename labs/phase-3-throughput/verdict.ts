/**
 * When is a rate step sustainable? Pure rules, unit-tested (test/unit/throughput-verdict.test.ts).
 * A step is sustainable when the generator reached the rate, the consumer lag stopped growing, the
 * latency stopped growing, every measured window became visible, and no guard fired.
 */
import type { StepStatus } from '../../src/bench/throughput-record.ts';

export interface StepFigures {
  target: number;
  input: number;
  /** Least-squares slope of the lag over the measuring phase (events/s). */
  lagSlope: number;
  lagEnd: number;
  /**
   * Seconds between commits beyond the usual (the exactly-once setup's checkpoint interval): the
   * end lag may hold that much more input, and a window's visibility may vary by that much.
   */
  commitLagSeconds?: number;
  /** Least-squares slope of the per-window p99 (ms per window). */
  p99Slope: number;
  /** Per-window p99 (ms after window end), in window order. */
  windowP99: number[];
  windows: number;
  incompleteWindows: number;
  /** A guard that cut the step short (lag runaway, heap, job failure), if any. */
  guard?: string;
}

/** Input may fall this much short of the target (the acked rate; duplicates add 0.1 %). */
export const INPUT_MIN_SHARE = 0.97;
export const LAG_SLOPE_MIN_ALLOWED = 200;
export const LAG_SLOPE_SHARE = 0.02;
export const LAG_END_SECONDS = 2;
export const P99_SLOPE_MAX_MS = 100;
/**
 * Latency "keeps growing" only when the trend is up AND the last window is this much later than
 * the first: with 3 to 6 windows per step, one slow window (a GC pause, a busy neighbour on a CI
 * machine) tilts the slope without anything running away. A backlog that does run away shows in
 * the lag rule as well.
 */
export const P99_GROWTH_MIN_MS = 1_000;
/**
 * ClickHouse 18.16's Kafka engine shows a window's rows either at once or after the idle end of
 * its next block, about 2 s later, depending on where they land in its read cycle (ADR 0037,
 * `npm run bench:kafka-engine`): two windows' p99 may differ by this much with nothing growing.
 */
export const CLICKHOUSE_READ_CYCLE_MS = 2_500;

export function verdict(f: StepFigures): { status: StepStatus; reason: string } {
  if (f.guard) return { status: 'aborted', reason: f.guard };
  if (f.input < INPUT_MIN_SHARE * f.target) return { status: 'rate_not_reached', reason: `input ${Math.round(f.input)}/s < ${INPUT_MIN_SHARE * 100}% of ${f.target}/s` };
  const maxSlope = Math.max(LAG_SLOPE_SHARE * f.target, LAG_SLOPE_MIN_ALLOWED);
  if (f.lagSlope > maxSlope) return { status: 'unsustainable', reason: `lag grows ${Math.round(f.lagSlope)} events/s (allowed ${Math.round(maxSlope)})` };
  const endSeconds = LAG_END_SECONDS + (f.commitLagSeconds ?? 0);
  if (f.lagEnd > endSeconds * f.target) return { status: 'unsustainable', reason: `lag at the end ${f.lagEnd} > ${endSeconds} s of input` };
  if (f.windows === 0) return { status: 'unsustainable', reason: 'no window was measured' };
  if (f.incompleteWindows > 0) return { status: 'unsustainable', reason: `${f.incompleteWindows} of ${f.windows} windows never became fully visible` };
  const growth = (f.windowP99[f.windowP99.length - 1] ?? 0) - (f.windowP99[0] ?? 0);
  // With exactly-once sinks a window becomes visible at the checkpoint after it fires: anywhere in
  // one checkpoint interval, so one window's p99 may sit that much above another's without anything
  // running away.
  const growthAllowed = P99_GROWTH_MIN_MS + CLICKHOUSE_READ_CYCLE_MS + (f.commitLagSeconds ?? 0) * 1000;
  if (f.p99Slope > P99_SLOPE_MAX_MS && growth > growthAllowed) return { status: 'unsustainable', reason: `p99 latency grows ${Math.round(f.p99Slope)} ms per window (${Math.round(growth)} ms from the first window to the last)` };
  return { status: 'sustainable', reason: '' };
}

/** The highest target such that it and every lower step are sustainable (0 if the first is not). */
export function sustainableRate(steps: readonly { target_events_per_s: number; status: StepStatus }[]): number {
  let best = 0;
  for (const s of [...steps].sort((a, b) => a.target_events_per_s - b.target_events_per_s)) {
    if (s.status !== 'sustainable') break;
    best = s.target_events_per_s;
  }
  return best;
}
