/**
 * What a lesson page shows of an exercise, built from its folder (never typed into the page): the
 * task, hint and solution of exercise.md as HTML, the commands, and for each file what the
 * solution changes in the starting file, as a unified diff.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { structuredPatch } from 'diff';
import { marked } from 'marked';
import { loadLab } from '../lab/registry.ts';
import type { Exercise } from './contract.ts';
import { loadExercises } from './catalog.ts';

export interface ExercisePage {
  id: string;
  lab: string;
  title: string;
  taskHtml: string;
  hintHtml: string;
  solutionHtml: string;
  startCommand: string;
  gradeCommand: string;
  /** Per edited file: the solution as a diff against the starting file. */
  changes: { file: string; diff: string }[];
}

const html = (md: string) => marked.parse(md, { async: false, gfm: true });

/** `@@ -a,b +c,d @@` hunks with three lines of context: what to change, where. */
export function changeOf(file: string, start: string, solution: string): string {
  const patch = structuredPatch(file, file, start, solution, '', '', { context: 3 });
  return patch.hunks.map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join('\n')).join('\n');
}

export async function exercisePage(e: Exercise): Promise<ExercisePage> {
  const lab = await loadLab(e.lab);
  const labSql = lab.sql;
  if (!labSql) throw new Error(`exercise ${e.id}: lab ${e.lab} has no SQL folder`);
  const text = (side: 'start' | 'solution', f: string) => readFileSync((side === 'start' ? e.startFiles : e.solutionFiles).includes(f) ? join(e.dir, side, f) : join(labSql, f), 'utf8');
  return {
    id: e.id,
    lab: e.lab,
    title: e.title,
    taskHtml: html(e.task),
    hintHtml: html(e.hint),
    solutionHtml: html(e.solution),
    startCommand: `npm run lab exercise ${e.id}`,
    gradeCommand: `npm run lab exercise ${e.id} -- --grade`,
    changes: e.files.map((file) => ({ file, diff: changeOf(file, text('start', file), text('solution', file)) })),
  };
}

export async function exercisePages(): Promise<ExercisePage[]> {
  return Promise.all((await loadExercises()).map(exercisePage));
}
