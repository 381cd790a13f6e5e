/**
 * Runs one version of the Python job: copies jobs/ into the run's folder, lays an overlay folder
 * (--job DIR: an exercise's start/ or solution/, or your own) over the version's files by name,
 * writes the plan, and runs the program with the venv's Python. The program submits the job to
 * the cluster and prints its id; the command is returned so the lab can print it for a rerun.
 */
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failureLines, sh } from '../../src/stack/shell.ts';
import { venvPython } from '../../src/stack/pyflink/venv.ts';
import type { Plan } from './plan.ts';

export const JOBS_DIR = fileURLToPath(new URL('./jobs/', import.meta.url));
export const VERSIONS = ['v1', 'v2'] as const;
export type Version = (typeof VERSIONS)[number];

export interface RecoveryFlags {
  parallelism: number;
  /** '0' = no checkpoints. */
  checkpointInterval: string;
  checkpointDir?: string;
  stateBackend: 'hashmap' | 'rocksdb';
  restart: 'none' | 'fixed-delay';
  restartAttempts: number;
  restartDelay: string;
}

export const DEFAULT_FLAGS: RecoveryFlags = { parallelism: 1, checkpointInterval: '0', stateBackend: 'hashmap', restart: 'none', restartAttempts: 10, restartDelay: '2 s' };

/** The files an overlay folder holds (plain files, no sub-folders): what it replaces by name. */
export function overlayFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`--job ${dir}: no such folder`);
  return readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
}

/** jobs/ copied under `workDir`, the overlay's files laid over `version`'s: returns the job.py to run. */
export function stageJob(workDir: string, version: Version, overlay?: string): string {
  const root = join(workDir, 'jobs');
  cpSync(JOBS_DIR, root, { recursive: true, filter: (src) => !/__pycache__|\.pytest_cache/.test(src) });
  if (overlay) for (const f of overlayFiles(overlay)) cpSync(join(overlay, f), join(root, version, f));
  return join(root, version, 'job.py');
}

export function jobArgs(planFile: string, f: RecoveryFlags): string[] {
  return [
    '--plan', planFile,
    '--parallelism', String(f.parallelism),
    '--checkpoint-interval', f.checkpointInterval,
    ...(f.checkpointDir ? ['--checkpoint-dir', f.checkpointDir] : []),
    '--state-backend', f.stateBackend,
    '--restart', f.restart,
    '--restart-attempts', String(f.restartAttempts),
    '--restart-delay', f.restartDelay,
  ];
}

export interface Submitted {
  jobId: string;
  /** The command as a learner would type it (from the repository root). */
  command: string;
  ms: number;
}

export async function submitJob(o: { workDir: string; version: Version; overlay?: string; plan: Plan; flags: RecoveryFlags; tag: string }): Promise<Submitted> {
  const script = stageJob(join(o.workDir, o.tag), o.version, o.overlay);
  const planFile = join(o.workDir, o.tag, 'plan.json');
  writeFileSync(planFile, JSON.stringify(o.plan, null, 2));
  const args = jobArgs(planFile, o.flags);
  const t0 = Date.now();
  // About 20 s on a quiet machine (a JVM, the planner, Python); minutes on a contended one (82-250 s seen at load 15-40).
  const out = await sh`${venvPython()} ${script} ${args}`.timeout('600s');
  const last = out.stdout.trim().split('\n').at(-1) ?? '';
  const jobId = out.exitCode === 0 ? (JSON.parse(last) as { job_id?: string }).job_id : undefined;
  if (!jobId) throw new Error(`the Python job did not submit:\n${failureLines(out)}`);
  const rel = (p: string) => relative(process.cwd(), p) || p;
  return { jobId, command: [rel(venvPython()), rel(script), ...args.map((a) => (/[\s']/.test(a) ? `'${a}'` : a))].join(' '), ms: Date.now() - t0 };
}
