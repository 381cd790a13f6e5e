/**
 * Grades one exercise's solution and starting files side by side, round after round, on one
 * shared stack with every lab's services, as test/labs does: a grading that fails now and then in
 * CI shows here how often, and its step's error (ADR 0118 measured its fix this way).
 *
 *   npm run grade:repeat -- phase-5-catalogue-entry --rounds 6
 *
 * Exit 1 when any grading went wrong: the solution failed a check, or the starting files failed in
 * a step (they must fail on a check). The stack is left running, as `npm run lab` leaves it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { line, UsageError } from '../../src/cli/output.ts';
import { runCli } from '../../src/cli/run.ts';
import { loadExercises } from '../../src/exercises/catalog.ts';
import { editableOf } from '../../src/exercises/editable.ts';
import { exerciseSqlDir, gradingOptions } from '../../src/exercises/grade.ts';
import { loadAllLabs, loadLab } from '../../src/lab/registry.ts';
import { ensureStack, stackBackend } from '../../src/stack/index.ts';
import { failingChecks, runLabForTest } from './run-lab.ts';

/** How many of a wrong check's detail lines to print. */
const DETAIL_LINES = 8;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { rounds: { type: 'string', default: '5' } } });
  const exercises = await loadExercises();
  const e = exercises.find((x) => x.id === positionals[0]);
  if (!e) throw new UsageError(`name an exercise: npm run grade:repeat -- <id> [--rounds N], one of ${exercises.map((x) => x.id).join(', ')}`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds takes a whole number of rounds, 1 or more (got "${values.rounds}")`);
  const services = [...new Set((await loadAllLabs()).flatMap((l) => l.services))];
  await ensureStack(stackBackend(), { services });
  const lab = await loadLab(e.lab);
  const workRoot = mkdtempSync(join(tmpdir(), 'grade-repeat-'));
  const wrong: string[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const grade = async (which: 'solution' | 'start') => {
        const t0 = Date.now();
        const { report } = await runLabForTest(e.lab, {
          backend: stackBackend(),
          workRoot,
          log: () => {},
          name: `${round} ${which}`,
          options: { ...gradingOptions(e), ...editableOf(lab).option(exerciseSqlDir(e, which)), sharedStack: true },
        });
        const stepFailed = report.checks.find((c) => c.name === 'every step ran' && !c.ok);
        const problem = which === 'solution' ? failingChecks(report).join('; ') : (stepFailed?.actual ?? '');
        line(`round ${round} ${which}: ${problem ? `WRONG: ${problem}` : 'as expected'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        // What a wrong check saw, its first lines: which rows differ says more than how many.
        if (which === 'solution' && problem) for (const c of report.checks.filter((x) => !x.ok)) for (const d of (c.details ?? []).slice(0, DETAIL_LINES)) line(`    ${c.name}: ${d}`);
        if (problem) wrong.push(`round ${round} ${which}`);
      };
      await Promise.all([grade('solution'), grade('start')]);
    }
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
  line(`${e.id}: ${2 * rounds - wrong.length} of ${2 * rounds} gradings as expected${wrong.length ? `; wrong: ${wrong.join(', ')}` : ''}`);
  return wrong.length ? 1 : 0;
}

runCli(main);
