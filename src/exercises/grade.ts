import { join } from 'node:path';
import type { LabDefinition } from '../lab/contract.ts';
import type { LabReport } from '../lab/report.ts';
import { type RunOptions, runLab } from '../lab/runner.ts';
import type { Exercise } from './contract.ts';

/**
 * The exercise's own start/ or solution/ as a `--sql` folder (the test grades both); undefined when
 * the exercise has no such folder: then that side is the lab's own files.
 */
export function exerciseSqlDir(e: Exercise, which: 'start' | 'solution'): string | undefined {
  const files = which === 'start' ? e.startFiles : e.solutionFiles;
  return files.length > 0 ? join(e.dir, which) : undefined;
}

/** The lab options an exercise is graded with: the short form unless its grade.ts says otherwise. */
export function gradingOptions(e: Exercise): Pick<RunOptions, 'eventsFile' | 'seed' | 'short' | 'oracle'> {
  const g = e.grading;
  return {
    eventsFile: g.eventsFile ? join(e.dir, '..', '..', g.eventsFile) : undefined,
    seed: g.seed ?? 42,
    short: g.short ?? true,
    oracle: g.oracle,
  };
}

/** Grades the SQL in `sqlDir` with the lab's own checks: the exercise is solved when every check passes. */
export function gradeExercise(lab: LabDefinition, e: Exercise, sqlDir: string | undefined, run: Omit<RunOptions, 'eventsFile' | 'seed' | 'short' | 'oracle' | 'sqlDir'>): Promise<LabReport> {
  if (lab.id !== e.lab) throw new Error(`exercise ${e.id} belongs to lab ${e.lab}, not ${lab.id}`);
  return runLab(lab, { ...run, ...gradingOptions(e), sqlDir });
}
