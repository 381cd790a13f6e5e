/**
 * One lab run as the lab tests run it (short form, seed 42, the stack kept for the next run),
 * each step's outcome logged and the checks table printed on failure: test/labs on the local
 * backend and test/docker on containers share it.
 */
import assert from 'node:assert/strict';
import type { LabOptions } from '../../src/lab/contract.ts';
import { loadLab } from '../../src/lab/registry.ts';
import { checksTable, failureDetails, type LabReport } from '../../src/lab/report.ts';
import { runLab } from '../../src/lab/runner.ts';
import type { StackBackend } from '../../src/stack/backend.ts';

export async function runLabForTest(
  id: string,
  opts: {
    backend: StackBackend;
    workRoot: string;
    log: (line: string) => void;
    name?: string;
    options?: Partial<LabOptions>;
    /** The run's jobs have ended (its cleanup goes on): see RunOptions.onJobsEnded. */
    onJobsEnded?: () => void;
  },
): Promise<{ report: LabReport; declared: number }> {
  const lab = await loadLab(id);
  const name = opts.name ?? id;
  const report = await runLab(lab, {
    backend: opts.backend,
    workRoot: opts.workRoot,
    seed: 42,
    short: true,
    ...opts.options,
    keep: true,
    onJobsEnded: opts.onJobsEnded,
    signal: new AbortController().signal,
    onEvent: (e) => {
      if (e.kind === 'step-end') opts.log(`${name} ${e.id}: ${e.ok ? 'done' : 'FAILED'} in ${(e.ms / 1000).toFixed(1)} s${e.error ? ` ${e.error}` : ''}`);
    },
  });
  if (!report.ok) opts.log([checksTable(report.checks), ...failureDetails(report.checks)].join('\n'));
  return { report, declared: lab.checks.length };
}

/**
 * Every check passed, and every declared one ran. The assertion names each failing check with
 * what it saw (a failed step: which one and its error), so a CI log cut to the assertion still
 * says why.
 */
export function assertEveryCheckPassed(report: LabReport, declared: number): void {
  assert.deepEqual(failingChecks(report), [], 'failing checks');
  assert.equal(report.checks.length, declared, 'every declared check ran');
}

/** "name: actual" of each failing check; a failed step alone (the checks after it did not run). */
export function failingChecks(report: Pick<LabReport, 'checks'>): string[] {
  const failing = report.checks.filter((c) => !c.ok);
  const stepFailed = failing.find((c) => c.name === 'every step ran');
  return (stepFailed ? [stepFailed] : failing).map((c) => `${c.name}: ${c.actual}`);
}
