/**
 * Every exercise graded on the shared stack (labs.test.ts calls this, so it reuses that file's
 * stack): its solution passes the lab's own checks, and its starting files fail them, with every
 * step run, so they fail on the checks and not on a broken statement. Two exercises at a time:
 * the stack's TaskManager has two slots (a lab that needs both is graded alone, after the others).
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
import { runLabForTest } from './run-lab.ts';

export async function exerciseTests(opts: { workRoot: string; log: (line: string) => void }): Promise<void> {
  const exercises = await loadExercises();
  const grade = async (e: Exercise, which: 'solution' | 'start'): Promise<LabReport> => {
    const t0 = Date.now();
    const { report } = await runLabForTest(e.lab, {
      backend: stackBackend(),
      workRoot: opts.workRoot,
      log: opts.log,
      name: `${e.id} (${which})`,
      // sharedStack: two gradings at once; a lab leaves out faults that would fail the other's job.
      options: { ...gradingOptions(e), ...editableOf(await loadLab(e.lab)).option(exerciseSqlDir(e, which)), sharedStack: true },
    });
    opts.log(`${e.id} ${which}: ${report.ok ? 'passes' : 'fails'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return report;
  };
  const gradeBoth = async (e: Exercise) => {
    const solved = await grade(e, 'solution');
    assert.deepEqual(solved.checks.filter((c) => !c.ok).map((c) => c.name), [], `${e.id}: the solution fails checks`);
    const started = await grade(e, 'start');
    assert.deepEqual(started.steps.filter((s) => !s.ok).map((s) => s.id), [], `${e.id}: the starting files must fail on the checks, not in a step`);
    assert.ok(started.checks.some((c) => !c.ok), `${e.id}: the starting files pass every check, so there is nothing to do`);
  };
  const paired = exercises.filter((e) => !BOTH_SLOTS.has(e.lab));
  const alone = exercises.filter((e) => BOTH_SLOTS.has(e.lab));
  describe('exercises: each solution passes its grader, each start fails it', { concurrency: 2 }, () => {
    test('there are exercises to grade', () => assert.ok(exercises.length > 0));
    for (const e of paired) test(`exercise ${e.id}`, () => gradeBoth(e));
  });
  describe('exercises of labs that use both task slots, one at a time', { concurrency: 1 }, () => {
    for (const e of alone) test(`exercise ${e.id}`, () => gradeBoth(e));
  });
}

/**
 * Labs that run two jobs at once (phase 4: the streaming job and the backfill's replay job): beside
 * another exercise's job, the second would wait for a slot and the lab would fail for want of one
 * (seen in CI: the backfill DAG run failed while another exercise held a slot).
 */
const BOTH_SLOTS = new Set(['phase-4']);
