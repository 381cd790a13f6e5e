/**
 *   npm run lab exercise list                       the exercises, their labs and titles
 *   npm run lab exercise <id> [-- --reset]          copies the starting files into exercises/<id>/
 *   npm run lab exercise <id> -- --grade [--sql DIR] grades exercises/<id>/ (or DIR) with the lab's own checks
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import Table from 'cli-table3';
import { loadExercises } from '../exercises/catalog.ts';
import type { Exercise } from '../exercises/contract.ts';
import { gradeExercise, gradingOptions } from '../exercises/grade.ts';
import { copyStart, workspaceOf } from '../exercises/workspace.ts';
import { loadLab } from '../lab/registry.ts';
import { stackBackend } from '../stack/index.ts';
import { repoRoot } from '../stack/paths.ts';
import { printLabEvent, printOutcome } from './lab-output.ts';
import { formatStackEvent, line, seconds, UsageError } from './output.ts';

interface Flags {
  grade: boolean;
  reset: boolean;
  sql?: string;
  backend: string;
  clickhouseImage?: string;
}

const rel = (p: string) => relative(process.cwd(), p) || '.';

export async function exerciseCommand(args: string[], flags: Flags): Promise<number> {
  const [id, ...extra] = args;
  const exercises = await loadExercises();
  if (!id) throw new UsageError('Name an exercise: npm run lab exercise list shows them; then npm run lab exercise <id>.');
  if (extra.length) throw new UsageError(`One exercise at a time (got ${args.join(', ')}).`);
  if (id === 'list') return list(exercises);
  const exercise = exercises.find((e) => e.id === id);
  if (!exercise) throw new UsageError(`Unknown exercise "${id}": one of ${exercises.map((e) => e.id).join(', ')}.`);
  if (flags.grade) return grade(exercise, flags);
  if (flags.sql) throw new UsageError('--sql goes with --grade (grade another folder than exercises/<id>/).');
  return start(exercise, flags.reset);
}

function list(exercises: Exercise[]): number {
  const table = new Table({ head: ['exercise', 'lab', 'title'], style: { head: [], border: [] } });
  for (const e of exercises) table.push([e.id, e.lab, e.title]);
  line(table.toString());
  line('Start one with: npm run lab exercise <exercise>');
  return 0;
}

async function start(e: Exercise, reset: boolean): Promise<number> {
  const lab = await loadLab(e.lab);
  if (!lab.sql) throw new Error(`exercise ${e.id}: lab ${e.lab} has no SQL folder to overlay`);
  const { dir, copied, kept } = copyStart(e, lab.sql, { reset });
  line(`Exercise ${e.id}: ${e.title}`);
  line();
  line(e.task);
  line();
  if (copied.length) line(`Copied to ${rel(dir)}/ (git ignores it): ${copied.join(', ')}`);
  if (kept.length) line(`Kept your copies in ${rel(dir)}/: ${kept.join(', ')} (add -- --reset to start them over)`);
  line(`Edit ${e.files.map((f) => join(rel(dir), f)).join(', ')}, then grade your copy with the lab's own checks:`);
  line(`  npm run lab exercise ${e.id} -- --grade`);
  line(`Or run the lab on it and read every step: npm run lab ${e.lab} -- --sql ${rel(dir)}${gradingHint(e)}`);
  line(`The hint and the solution: ${lab.lesson}#${e.id} (collapsed until you open them).`);
  return 0;
}

/** The flags the grade adds, for the plain lab command above (an events file, the short form). */
function gradingHint(e: Exercise): string {
  const o = gradingOptions(e);
  return `${o.short && !o.eventsFile ? ' --short' : ''}${o.eventsFile ? ` --events ${rel(o.eventsFile)}` : ''}${o.oracle ? ' (the grade also changes the oracle: use --grade)' : ''}`;
}

async function grade(e: Exercise, flags: Flags): Promise<number> {
  const dir = flags.sql ?? workspaceOf(e.id);
  if (!flags.sql && !existsSync(dir)) throw new UsageError(`No copy of ${e.id} yet: run npm run lab exercise ${e.id} first (it copies the starting files into ${rel(dir)}/).`);
  const lab = await loadLab(e.lab);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    line(`Grading ${rel(dir)}/ for exercise ${e.id} with ${e.lab}'s checks`);
    const report = await gradeExercise(lab, e, dir, {
      backend: stackBackend(flags.backend, { clickhouseImage: flags.clickhouseImage }),
      workRoot: join(repoRoot, '.stack', 'runs'),
      keep: false,
      signal: controller.signal,
      onEvent: printLabEvent(Date.now()),
      stackListener: (ev) => line(`           ${formatStackEvent(ev)}`),
    });
    printOutcome(lab, report);
    const failing = report.checks.filter((c) => !c.ok).length;
    line(report.ok ? `Exercise ${e.id}: solved (every check passed in ${seconds(report.durationMs)}). Compare with the solution on ${lab.lesson}#${e.id}.` : `Exercise ${e.id}: not yet, ${failing} check(s) fail. Read the differing rows above; the hint is on ${lab.lesson}#${e.id}.`);
    return report.ok ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
