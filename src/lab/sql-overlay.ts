/**
 * A learner's copy of a lab's SQL (`npm run lab <id> -- --sql DIR`, and exercise grading): a folder
 * whose files replace the lab's SQL files of the same relative path; every other file is the lab's
 * own. The overlay is bound to one lab run with AsyncLocalStorage, so every read of a SQL file in
 * that run (renderSql, readSql) sees it without each lab passing a folder around, and runs side by
 * side in one process (the exercise test grades several at once) each see their own (ADR 0050).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../stack/errors.ts';

export interface SqlOverlay {
  /** The lab's SQL folder (absolute): the names the overlay may use. */
  labSql: string;
  /** The learner's folder (absolute). */
  dir: string;
}

const current = new AsyncLocalStorage<SqlOverlay>();

/** Runs fn with the overlay in force for every SQL file it reads (none: the lab's own files). */
export function withSqlOverlay<T>(overlay: SqlOverlay | undefined, fn: () => Promise<T>): Promise<T> {
  return overlay ? current.run(overlay, fn) : fn();
}

/** The file to read for one of a lab's SQL files: the learner's copy when the run has one, else the file itself. */
export function sqlPath(file: string): string {
  const overlay = current.getStore();
  if (!overlay) return file;
  const abs = resolve(file);
  if (!abs.startsWith(overlay.labSql + sep)) return file;
  const mine = join(overlay.dir, relative(overlay.labSql, abs));
  return existsSync(mine) ? mine : file;
}

/** A path as the user would type it: relative to where they are when it is inside, else absolute. */
function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return r && !r.startsWith('..') ? r : path;
}

/** Relative paths of the files under dir (hidden files and editor backups left out), sorted. */
export function filesUnder(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, root));
    else out.push(relative(root, path));
  }
  return out.sort();
}

/** The SQL files of a lab's folder (what an overlay may replace); a PyFlink lab's job folder also has its Python files. */
export function labSqlFiles(labSql: string): string[] {
  return filesUnder(labSql).filter((f) => f.endsWith('.sql') || f.endsWith('.py'));
}

/**
 * Checks a learner's folder against the lab's SQL before anything starts: the folder exists and
 * each file in it names one of the lab's SQL files. One sentence when not.
 */
export function sqlOverlay(labId: string, labSql: string | undefined, dir: string): SqlOverlay {
  if (!labSql) throw new UsageError(`Lab ${labId} has no SQL files, so --sql does not apply to it: run it without --sql.`);
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new UsageError(`--sql ${dir}: no such folder; give a folder holding your copies of ${labId}'s SQL files, named as in ${shown(labSql)} (e.g. ${labSqlFiles(labSql)[0] ?? 'a .sql file'}).`);
  }
  const known = new Set(labSqlFiles(labSql));
  const unknown = filesUnder(abs).filter((f) => !known.has(f));
  if (unknown.length > 0) {
    throw new UsageError(`--sql ${dir}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not one of the SQL files ${labId} runs (${shown(labSql)}); name each file as the one it replaces: ${[...known].join(', ')}.`);
  }
  return { labSql: resolve(labSql), dir: abs };
}
