/**
 * static/results/lab-times.json: what `npm run bench:labs -- --record` writes
 * (src/cli/bench-labs.ts) and what the stack page renders (src/components/LabTimes).
 * Every figure is the wall time of `npm run lab <id>` as a user types it, from a stopped stack:
 * the stack's start and stop included.
 */
import type { BenchMachine } from '../bench/machine.ts';

export interface LabTimesRun {
  wallMs: number;
  /** The runner's own step times (the stack step included), by step id. */
  stepsMs: Record<string, number>;
  /** The 1-minute load average when the run began: on shared cores, what else ran. */
  loadAverage1m: number;
}

export interface LabTimesEntry {
  lab: string;
  form: 'short' | 'full';
  runs: LabTimesRun[];
  wall_median_ms: number;
  steps_median_ms: Record<string, number>;
  /** Step titles by id, for the page. */
  stepTitles: Record<string, string>;
  /**
   * The lab run twice on one stack: its first run on a just-started gateway, then again on the
   * same gateway. Each step's time in both, to compare the first submission with the second.
   */
  firstVsSecond?: { first: Record<string, number>; second: Record<string, number> };
}

export interface LabTimesRecord {
  recordedAt: string;
  command: string;
  machine: BenchMachine;
  versions: Record<string, string>;
  labs: LabTimesEntry[];
}
