import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { filesUnder } from '../lab/sql-overlay.ts';
import { labIds } from '../lab/registry.ts';
import { repoRoot } from '../stack/paths.ts';
import type { Exercise, Grading } from './contract.ts';
import { parseExerciseMarkdown } from './markdown.ts';

const files = (dir: string) => (existsSync(dir) ? filesUnder(dir) : []);

/** One exercise folder, read and checked (its id starts with its lab's id). */
export async function loadExercise(lab: string, id: string): Promise<Exercise> {
  const dir = join(repoRoot, 'labs', lab, 'exercises', id);
  if (!id.startsWith(`${lab}-`)) throw new Error(`labs/${lab}/exercises/${id}: an exercise id starts with its lab's id ("${lab}-...")`);
  const text = parseExerciseMarkdown(readFileSync(join(dir, 'exercise.md'), 'utf8'), `labs/${lab}/exercises/${id}/exercise.md`);
  const startFiles = files(join(dir, 'start'));
  const solutionFiles = files(join(dir, 'solution'));
  if (startFiles.length + solutionFiles.length === 0) throw new Error(`labs/${lab}/exercises/${id}: start/ and solution/ hold no file (one of them must: a file missing from the other is the lab's own)`);
  let grading: Grading = {};
  if (existsSync(join(dir, 'grade.ts'))) {
    const mod = (await import(pathToFileURL(join(dir, 'grade.ts')).href)) as { default?: Grading };
    if (!mod.default) throw new Error(`labs/${lab}/exercises/${id}/grade.ts must default-export defineGrading({...})`);
    grading = mod.default;
  }
  return { id, lab, dir, ...text, files: [...new Set([...startFiles, ...solutionFiles])].sort(), startFiles, solutionFiles, grading };
}

/** Every exercise of every lab, in lab order then id order; ids must be unique across labs. */
export async function loadExercises(): Promise<Exercise[]> {
  const out: Exercise[] = [];
  for (const lab of labIds()) {
    const root = join(repoRoot, 'labs', lab, 'exercises');
    if (!existsSync(root)) continue;
    for (const id of readdirSync(root).sort()) out.push(await loadExercise(lab, id));
  }
  const seen = new Set<string>();
  for (const e of out) {
    if (seen.has(e.id)) throw new Error(`two exercises have the id ${e.id}: ids are unique across labs`);
    seen.add(e.id);
  }
  return out;
}
