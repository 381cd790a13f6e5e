/**
 * What the runbook tests need around the runbooks' own commands: the shared stack, the pipeline CLI
 * (run exactly as a reader runs it), polling with a named deadline, and cleanup of every run.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runDir } from '../../src/cli/pipeline-config.ts';
import { stackBackend } from '../../src/stack/index.ts';
import { repoRoot } from '../../src/stack/paths.ts';
import { howItEnded, sh } from '../../src/stack/shell.ts';

export const log = (line: string) => process.stdout.write(`# ${line}\n`);

/** Runs src/cli/pipeline.ts with these arguments; its stdout, or a rejection with its output. */
export async function pipelineCli(...args: string[]): Promise<string> {
  const out = await sh({ cwd: repoRoot })`${process.execPath} --import tsx src/cli/pipeline.ts ${args}`.timeout(180_000);
  if (!out.ok) throw new Error(`pipeline ${args.join(' ')} failed (${howItEnded(out)}):\n${out.stdall.trim()}`);
  const stdout = out.stdout;
  log(`pipeline ${args.join(' ')}: ${stdout.trim().split('\n').pop() ?? ''}`);
  return stdout;
}

/** The job id that `pipeline.ts start|submit` printed. */
export function jobIdOf(stdout: string): string {
  const m = /^job ([0-9a-f]{32})$/m.exec(stdout);
  if (!m) throw new Error(`pipeline CLI printed no job id:\n${stdout}`);
  return m[1] as string;
}

/** Polls `probe` until it returns a value other than undefined; the error names what was awaited. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 500): Promise<T> {
  const t0 = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`waited ${timeoutMs / 1000} s for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await sleep(everyMs);
  }
}

/** Cancels the run's jobs, drops its topics and tables, deletes its checkpoints and the /tmp/<run>-* files runbooks write. */
export async function removeRun(runId: string): Promise<void> {
  await pipelineCli('remove', '--run', runId);
  rmSync(runDir(stackBackend(), runId).host, { recursive: true, force: true });
  for (const f of readdirSync('/tmp').filter((name) => name.startsWith(`${runId}-`))) rmSync(join('/tmp', f), { force: true });
}

/** A run id nobody else uses on a shared stack: rb_<case>_<time>. */
export function newRunId(label: string): string {
  return `rb_${label}_${Date.now().toString(36)}`;
}
