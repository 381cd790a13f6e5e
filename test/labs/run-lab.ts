/**
 * One lab run as the lab tests run it (short form, seed 42, the stack kept for the next run),
 * each step's outcome logged and the checks table printed on failure: test/labs on the local
 * backend and test/docker on containers share it.
 */
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
