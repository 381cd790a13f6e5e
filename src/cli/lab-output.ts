import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LabDefinition } from '../lab/contract.ts';
import { checksTable, failureDetails, type LabReport } from '../lab/report.ts';
import type { LabEvent } from '../lab/runner.ts';
import { line, seconds } from './output.ts';

/** How `npm run lab` prints a run (steps with their elapsed time, then the checks): the exercise grader prints the same. */
export function printLabEvent(t0: number): (e: LabEvent) => void {
  const at = () => `[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s]`;
  return (e) => {
    switch (e.kind) {
      case 'lab':
        line(`Lab ${e.id}: ${e.title}`);
        break;
      case 'step-start':
        line(`${at()} ${e.index}/${e.total} ${e.title}...`);
        break;
      case 'step-end':
        line(`${at()}     ${e.ok ? 'done' : 'FAILED'} in ${seconds(e.ms)}${e.error ? `: ${e.error}` : ''}`);
        break;
      case 'note':
        line(`           ${e.text}`);
        break;
    }
  };
}

export function printOutcome(lab: LabDefinition, report: LabReport): void {
  line();
  line(checksTable(report.checks));
  for (const d of failureDetails(report.checks)) line(d);
  if (report.cleanup.length > 0) line(`Cleanup left things behind (remove them by hand, or they stay on the shared stack):\n${report.cleanup.map((e) => `  ${e}`).join('\n')}`);
  const passed = report.checks.filter((c) => c.ok && !c.skipped).length;
  const skipped = report.checks.filter((c) => c.skipped).length;
  line(`${lab.id}: ${report.ok ? 'PASS' : 'FAIL'}, ${passed} of ${report.checks.length} checks passed${skipped ? `, ${skipped} skipped (the table says why)` : ''} in ${seconds(report.durationMs)}`);
}

export function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
  line(`report written to ${path}`);
}

