import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { LabDefinition } from '../lab/contract.ts';
import { labSqlFiles } from '../lab/sql-overlay.ts';
import { listFiles } from '../pipeline/jvm-job.ts';
import { UsageError } from '../stack/errors.ts';

/**
 * What a learner edits in a lab, and how the lab takes the edited copy: SQL labs take a `--sql`
 * folder mirroring their SQL folder's paths; code labs take a `--job` folder whose files replace the
 * job's sources by name (src/pipeline/jvm-job.ts, labs/phase-2-pyflink/job.ts). Exercises, their pages and their grader
 * go through this, so an exercise works the same way for both kinds.
 */
export interface Editable {
  flag: '--sql' | '--job';
  /** The names an exercise's start/ and solution/ may use. */
  files(): string[];
  /** The lab's own copy of an editable file (the start or solution when an exercise leaves it out). */
  ownFile(file: string): string;
  /** The run option that hands the lab a folder of edited files. */
  option(dir: string | undefined): { sqlDir?: string; overlayDir?: string };
}

export function editableOf(lab: Pick<LabDefinition, 'id' | 'sql' | 'job'>): Editable {
  const { sql, job } = lab;
  if (sql) {
    return { flag: '--sql', files: () => labSqlFiles(sql), ownFile: (f) => join(sql, f), option: (dir) => (dir ? { sqlDir: dir } : {}) };
  }
  if (job) {
    // A Maven project's sources are under src/main; a PyFlink version's files sit in the folder.
    const main = () => (existsSync(join(job, 'pom.xml')) ? listFiles(join(job, 'src', 'main')) : listFiles(job));
    return {
      flag: '--job',
      files: () => main().map((f) => basename(f)),
      ownFile(f) {
        const found = main().filter((p) => basename(p) === f);
        if (found.length !== 1) throw new Error(`${lab.id}: ${found.length === 0 ? 'no' : 'several'} job source file${found.length === 1 ? '' : 's'} named ${f} under ${relative(process.cwd(), job)}`);
        return found[0] as string;
      },
      option: (dir) => (dir ? { overlayDir: dir } : {}),
    };
  }
  throw new Error(`lab ${lab.id} has neither SQL files (sql) nor job sources (job) for an exercise to edit`);
}

/**
 * `--job DIR` before anything starts: each file must replace one of the lab's job files by name,
 * or a misspelt file would leave the original in place and the run would grade the wrong code.
 */
export function checkJobOverlay(lab: Pick<LabDefinition, 'id' | 'sql' | 'job'>, dir: string): void {
  if (!lab.job) throw new UsageError(`${lab.id} has no job sources for --job to replace: ${lab.sql ? 'its pipeline is SQL, so give your copy with --sql DIR' : 'run it without --job'}.`);
  const known = editableOf(lab).files();
  const unknown = listFiles(dir).map((f) => basename(f)).filter((f) => !known.includes(f));
  if (unknown.length > 0) {
    throw new UsageError(`--job ${dir}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a file' : 'are not files'} of ${lab.id}'s job; name each file after the one it replaces (${[...known].sort().join(', ')}).`);
  }
}
