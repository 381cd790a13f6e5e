/**
 * Every exercise graded on the shared stack (labs.test.ts calls this, so it reuses that file's
 * stack): its solution passes the lab's own checks, and its starting files fail them, with every
 * step run, so they fail on the checks and not on a broken statement. Two exercises at a time:
 * the stack's TaskManager has two slots.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadExercises } from '../../src/exercises/catalog.ts';
import type { Exercise } from '../../src/exercises/contract.ts';
import { exerciseSqlDir, gradingOptions } from '../../src/exercises/grade.ts';
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
      options: { ...gradingOptions(e), sqlDir: exerciseSqlDir(e, which) },
    });
    opts.log(`${e.id} ${which}: ${report.ok ? 'passes' : 'fails'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return report;
  };
  describe('exercises: each solution passes its grader, each start fails it', { concurrency: 2 }, () => {
    test('there are exercises to grade', () => assert.ok(exercises.length > 0));
    for (const e of exercises) {
      test(`exercise ${e.id}`, async () => {
        const solved = await grade(e, 'solution');
        assert.deepEqual(solved.checks.filter((c) => !c.ok).map((c) => c.name), [], `${e.id}: the solution fails checks`);
        const started = await grade(e, 'start');
        assert.deepEqual(started.steps.filter((s) => !s.ok).map((s) => s.id), [], `${e.id}: the starting files must fail on the checks, not in a step`);
        assert.ok(started.checks.some((c) => !c.ok), `${e.id}: the starting files pass every check, so there is nothing to do`);
      });
    }
  });
}
