/**
 * The two forms of the lab as data: the full form (the recorded run, about 20 minutes) and the
 * short form CI runs (two low steps, a few minutes). The lesson names these figures from here.
 */

export interface RunPlan {
  form: 'full' | 'short';
  /** The whole lab must end within this (checked in every wait). */
  maxMinutes: number;
  calibrateSeconds: number;
  /** Compare the generator with ProducerPerformance and kafkajs (full form only). */
  alternatives: boolean;
  /** Measure every configuration's drain rate and ramp the baseline too (full form only). */
  sweep: boolean;
  /** Events in each drain slice (capped by what the calibration wrote). */
  drainEvents: number;
  /** The slower baseline reads a smaller slice, so its drain stays under a minute. */
  baselineDrainEvents: number;
  drainTimeoutMs: number;
  baselineTargets: number[];
  targets: number[];
  warmupMs: number;
  measureMs: number;
}

export const PRODUCTS = 1_000;
/** One duplicate per this many events (the pipeline must drop it). */
export const DUP_EVERY = 1_000;

export const FULL: RunPlan = {
  form: 'full',
  maxMinutes: 30,
  calibrateSeconds: 20,
  alternatives: true,
  sweep: true,
  drainEvents: 2_000_000,
  baselineDrainEvents: 150_000,
  drainTimeoutMs: 120_000,
  baselineTargets: [1_000, 5_000, 10_000, 20_000, 40_000],
  targets: [1_000, 10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000],
  warmupMs: 15_000,
  measureMs: 60_000,
};

export const SHORT: RunPlan = {
  form: 'short',
  maxMinutes: 6,
  calibrateSeconds: 5,
  alternatives: false,
  sweep: false,
  drainEvents: 300_000,
  baselineDrainEvents: 0,
  drainTimeoutMs: 90_000,
  baselineTargets: [],
  targets: [1_000, 5_000],
  warmupMs: 10_000,
  measureMs: 40_000,
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
