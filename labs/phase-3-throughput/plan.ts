/**
 * The two forms of the lab as data: the full form (the recorded run: about 30 minutes per run,
 * three runs with --record) and the short form CI runs (one run: one exactly-once step and two
 * relaxed ones, a few minutes). The lesson names these figures from here.
 */

export interface RunPlan {
  form: 'full' | 'short';
  /** The whole lab must end within this for one run (checked in every wait)... */
  maxMinutes: number;
  /** ...plus this for each further run of `--runs N`. */
  minutesPerExtraRun: number;
  calibrateSeconds: number;
  /** Compare the generator with ProducerPerformance and kafkajs (full form only). */
  alternatives: boolean;
  /** Measure every configuration's drain rate (full form only). */
  sweep: boolean;
  /** Events in each drain slice (capped by what the calibration wrote). */
  drainEvents: number;
  /** Phase 1's slower SQL reads a smaller slice, so its drain stays under a minute. */
  baselineDrainEvents: number;
  drainTimeoutMs: number;
  /** The exactly-once setup's steps (phase 1's full semantics: thousands, not tens of thousands). */
  exactlyOnceTargets: number[];
  targets: number[];
  warmupMs: number;
  measureMs: number;
}

export const PRODUCTS = 1_000;
/** One duplicate per this many events (the pipeline must drop it). */
export const DUP_EVERY = 1_000;

export const FULL: RunPlan = {
  form: 'full',
  maxMinutes: 45,
  minutesPerExtraRun: 30,
  calibrateSeconds: 20,
  alternatives: true,
  sweep: true,
  drainEvents: 2_000_000,
  baselineDrainEvents: 150_000,
  drainTimeoutMs: 120_000,
  exactlyOnceTargets: [1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 8_000, 10_000],
  targets: [1_000, 10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000],
  warmupMs: 15_000,
  measureMs: 60_000,
};

export const SHORT: RunPlan = {
  form: 'short',
  // A guard, not a target: on a quiet machine the short form takes about 5 minutes.
  maxMinutes: 10,
  minutesPerExtraRun: 4,
  calibrateSeconds: 5,
  alternatives: false,
  sweep: false,
  drainEvents: 300_000,
  baselineDrainEvents: 0,
  drainTimeoutMs: 90_000,
  exactlyOnceTargets: [500],
  // One step per setup: CI checks that the measuring works end to end, not where the limit is.
  targets: [5_000],
  warmupMs: 8_000,
  // Two full 10 s windows at least, for the latency and exactness figures (25 s left one at times,
  // and a verdict on one window and a few lag samples failed a CI run once).
  measureMs: 32_000,
};

/**
 * Ramp targets up to and including the first one above the configuration's drain rate: a
 * closed-loop maximum bounds what an open-loop step can sustain, and one failing step shows where.
 */
export function targetsUpTo(targets: readonly number[], drainRate: number | undefined): number[] {
  if (!drainRate) return [...targets];
  const i = targets.findIndex((t) => t > drainRate);
  return i < 0 ? [...targets] : targets.slice(0, i + 1);
}

/** `--runs N`, else 3 for a full --record (a figure is a median and a range), else 1 (CI's short form stays one quick run). */
export function runsOf(options: { runs?: number; record?: boolean; short: boolean }): number {
  return options.runs ?? (options.record && !options.short ? 3 : 1);
}
