import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../stack/paths.ts';
import type { Exercise } from './contract.ts';

/** The learner's copies live here, git-ignored: tracked files are never edited by an exercise. */
export const WORKSPACE = join(repoRoot, 'exercises');

export const workspaceOf = (id: string) => join(WORKSPACE, id);

/**
 * Copies the exercise's starting files into exercises/<id>/: start/'s version of each file, the
 * lab's own for the others. A copy already there is the learner's work: kept unless `reset`.
 */
export function copyStart(exercise: Exercise, labSql: string, opts: { reset: boolean }): { dir: string; copied: string[]; kept: string[] } {
  const dir = workspaceOf(exercise.id);
  const copied: string[] = [];
  const kept: string[] = [];
  for (const file of exercise.files) {
    const to = join(dir, file);
    if (existsSync(to) && !opts.reset) {
      kept.push(file);
      continue;
    }
    const from = exercise.startFiles.includes(file) ? join(exercise.dir, 'start', file) : join(labSql, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    copied.push(file);
  }
  return { dir, copied, kept };
}
