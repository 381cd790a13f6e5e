/**
 * Every exercise graded on the shared stack (labs.test.ts calls this, so it reuses that file's
 * stack): its solution passes the lab's own checks, and its starting files fail them, with every
 * step run, so they fail on the checks and not on a broken statement. Each of the two is its own
 * test, and they all share the stack's TaskManager slots (slot-pool.ts, ADRs 0104 and 0119): two
 * gradings at a time, the one expected to take longest first (its lab's time in this run's lab
 * test), each holding the slots its jobs take.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadExercises } from '../../src/exercises/catalog.ts';
import type { Exercise } from '../../src/exercises/contract.ts';
import { editableOf } from '../../src/exercises/editable.ts';
import { exerciseSqlDir, gradingOptions } from '../../src/exercises/grade.ts';
import { loadLab } from '../../src/lab/registry.ts';
import type { LabReport } from '../../src/lab/report.ts';
import { stackBackend } from '../../src/stack/index.ts';
import { failingChecks, runLabForTest } from './run-lab.ts';
import type { SlotPool } from './slot-pool.ts';

export async function exerciseTests(opts: {
  workRoot: string;
  log: (line: string) => void;
  /** How long the lab's own test took in this run (ms), if it ran: the longest gradings start first. */
  labMs?: (lab: string) => number | undefined;
  /** The stack's TaskManager slots, shared with the other gradings and replays of this file. */
  pool: SlotPool;
}): Promise<void> {
  const exercises = await loadExercises();
  const grade = async (e: Exercise, which: 'solution' | 'start', release: () => void): Promise<LabReport> => {
    const t0 = Date.now();
    const { report } = await runLabForTest(e.lab, {
      backend: stackBackend(),
      workRoot: opts.workRoot,
      log: opts.log,
      name: `${e.id} (${which})`,
      // Its slots go to the next grading as soon as its jobs have ended; its cleanup goes on beside it.
      onJobsEnded: release,
      // sharedStack: two gradings at once; a lab leaves out faults that would fail the other's job.
      options: { ...gradingOptions(e), ...editableOf(await loadLab(e.lab)).option(exerciseSqlDir(e, which)), sharedStack: true },
    });
    opts.log(`${e.id} ${which}: ${report.ok ? 'passes' : 'fails'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return report;
  };
  // Asked when the test starts, after the lab tests above it have run and been timed.
  const inPool = <T>(e: Exercise, fn: (release: () => void) => Promise<T>) =>
    opts.pool.run({ slots: slotsOf(e.lab, opts.pool.capacity), expected: opts.labMs?.(e.lab) ?? 0, ...(EXCLUSIVE[e.lab] ? { exclusive: EXCLUSIVE[e.lab] } : {}) }, fn);
  // Every test starts at once and waits in the pool for its slots.
  describe('exercises: each solution passes its grader, each start fails it', { concurrency: true }, () => {
    test('there are exercises to grade', () => assert.ok(exercises.length > 0));
    for (const e of exercises) {
      test(`exercise ${e.id}: the solution passes every check`, () =>
        inPool(e, async (release) => {
          const solved = await grade(e, 'solution', release);
          assert.deepEqual(failingChecks(solved), [], `${e.id}: the solution fails checks`);
        }));
      test(`exercise ${e.id}: the starting files run every step and fail a check`, () =>
        inPool(e, async (release) => {
          const started = await grade(e, 'start', release);
          // The step's error in the message: a CI log cut to the assertion still says why.
          const stepFailed = started.checks.find((c) => c.name === 'every step ran' && !c.ok);
          assert.deepEqual(started.steps.filter((s) => !s.ok).map((s) => s.id), [], `${e.id}: the starting files must fail on the checks, not in a step: ${stepFailed?.actual ?? 'no error recorded'}`);
          assert.ok(started.checks.some((c) => !c.ok), `${e.id}: the starting files pass every check, so there is nothing to do`);
        }));
    }
  });
}

/**
 * The slots a lab's grading takes at once (the others take one): phase 4 runs two jobs at once (the
 * streaming job and the backfill's replay job; seen in CI: the backfill DAG run failed for want of
 * a slot), phase 5 runs at parallelism 2, and phase 0's slot-shortage step asks for one more slot
 * than the cluster has, so it runs alone.
 */
function slotsOf(lab: string, capacity: number): number {
  if (lab === 'phase-0') return capacity;
  return lab === 'phase-4' || lab === 'phase-5' ? Math.min(2, capacity) : 1;
}

/** Phase 4's DAGs allow one active run each (ctr_watch: max_active_runs=1): its two gradings take turns. */
const EXCLUSIVE: Record<string, string> = { 'phase-4': 'airflow' };
