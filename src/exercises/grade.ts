import { join } from 'node:path';
import type { LabDefinition } from '../lab/contract.ts';
import type { LabReport } from '../lab/report.ts';
import { type RunOptions, runLab } from '../lab/runner.ts';
import type { Exercise } from './contract.ts';

/** The folders a grade can run: the learner's copy, or the exercise's own start/ and solution/ (the test). */
export const startDir = (e: Exercise) => join(e.dir, 'start');
export const solutionDir = (e: Exercise) => join(e.dir, 'solution');

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
export function gradeExercise(lab: LabDefinition, e: Exercise, sqlDir: string, run: Omit<RunOptions, 'eventsFile' | 'seed' | 'short' | 'oracle' | 'sqlDir'>): Promise<LabReport> {
  if (lab.id !== e.lab) throw new Error(`exercise ${e.id} belongs to lab ${e.lab}, not ${lab.id}`);
  return runLab(lab, { ...run, ...gradingOptions(e), sqlDir });
}
