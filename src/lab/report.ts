import Table from 'cli-table3';
import type { CtrCounts, CtrResult } from '../ctr/event.ts';
import type { BackendName } from '../stack/backend.ts';
import type { CheckResult } from './contract.ts';

/** The report JSON of DESIGN.md "Labs", plus the step timings. */
export interface LabReport<R = unknown> {
  lab: string;
  ok: boolean;
  backend: BackendName;
  versions: Record<string, string>;
  startedAt: string;
  durationMs: number;
  counts: CtrCounts;
  results: CtrResult[];
  checks: CheckResult[];
  steps: { id: string; title: string; ms: number; ok: boolean }[];
  /** What cleanup could not do (a topic it could not delete, a job it could not cancel): empty when clean. */
  cleanup: string[];
  /** The lab's own results shape for `--record` (LabDefinition.record), when it has one. */
  record?: R;
}

/**
 * The report without what changes from run to run (times, versions), so that "the same file
 * gives the same report" can be checked by comparing these.
 */
export function stableReport(r: LabReport): Omit<LabReport, 'startedAt' | 'durationMs' | 'steps' | 'versions' | 'record' | 'cleanup'> {
  const { startedAt: _s, durationMs: _d, steps: _st, versions: _v, record: _r, cleanup: _c, ...rest } = r;
  return rest;
}

export function checksTable(checks: readonly CheckResult[]): string {
  const table = new Table({ head: ['check', 'expected', 'actual', 'result'], style: { head: [], border: [] }, wordWrap: true, colWidths: [34, 30, 30, 9] });
  for (const c of checks) table.push([c.name, c.expected, c.actual, c.skipped ? 'skipped' : c.ok ? 'pass' : 'FAIL']);
  return table.toString();
}

export function failureDetails(checks: readonly CheckResult[]): string[] {
  return checks.filter((c) => !c.ok && c.details?.length).flatMap((c) => [`${c.name}:`, ...(c.details ?? []).map((d) => `  ${d}`)]);
}

export const EMPTY_COUNTS: CtrCounts = { produced: 0, valid: 0, dlq: 0, duplicates: 0, late: 0 };
