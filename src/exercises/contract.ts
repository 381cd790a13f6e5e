/**
 * An exercise is a folder, labs/<lab>/exercises/<id>/ (ADR 0050; docs/contributing/exercises.md):
 * - exercise.md: `# Title`, then `## Task`, `## Hint` and `## Solution` (why the solution works);
 * - start/ and solution/: the learner's starting files and the solution, each an overlay of the
 *   lab's SQL files by their paths under the lab's SQL folder (what `--sql DIR` takes); a file
 *   missing from one of them is the lab's own file;
 * - grade.ts (optional): how to run the lab when grading needs more than its short form.
 * The grade is the lab's own checks against the oracle: all pass, solved.
 */
import type { OracleParams } from '../ctr/oracle.ts';

export interface Grading {
  /** Replay this file (a path relative to the lab's folder, e.g. data/boundary-on-time.jsonl) instead of the dataset. */
  eventsFile?: string;
  seed?: number;
  /** The short dataset (default true: grading should take seconds, not minutes). */
  short?: boolean;
  /** Oracle semantics the exercise changes (a window size). */
  oracle?: OracleParams;
}

/** grade.ts default-exports one of these. */
export function defineGrading(grading: Grading): Grading {
  return grading;
}

export interface Exercise {
  id: string;
  lab: string;
  /** labs/<lab>/exercises/<id>, absolute. */
  dir: string;
  title: string;
  task: string;
  hint: string;
  solution: string;
  /** Paths under the lab's SQL folder the learner edits: every file of start/ and solution/. */
  files: string[];
  /** Files start/ holds (the others start as the lab's own). */
  startFiles: string[];
  /** Files solution/ holds (for the others, the lab's own file is the solution). */
  solutionFiles: string[];
  grading: Grading;
}
