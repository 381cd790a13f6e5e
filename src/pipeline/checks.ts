/**
 * Phase 1's checks against the oracle, as data (the lesson page lists them) and as one function:
 * a lab with phase 1's semantics declares PIPELINE_CHECKS and returns pipelineChecks(...).
 */
import type { CtrCounts } from '../ctr/event.ts';
import type { OracleOutput } from '../ctr/oracle.ts';
import { compareCount, compareResults, compareTally, tally } from '../lab/compare.ts';
import type { CheckResult, CheckSpec } from '../lab/contract.ts';
import type { PipelineOutputs } from './collect.ts';

export const PIPELINE_CHECKS: readonly CheckSpec[] = [
  { name: 'ClickHouse rows equal the oracle', explain: 'Every (product_id, window_start) row read with FINAL has the oracle\'s impressions, clicks and ctr; missing, extra and differing rows are listed.' },
  { name: 'each window emitted once', explain: 'The results topic holds exactly one message per window the oracle computes: no window fired twice, none missing.' },
  { name: 'DLQ count', explain: 'Lines on the DLQ topic equal the oracle\'s invalid lines.' },
  { name: 'DLQ reasons', explain: 'The DLQ reasons, counted per reason, equal the oracle\'s.' },
  { name: 'duplicates count', explain: 'Events on the duplicates topic equal the oracle\'s repeated event_ids.' },
  { name: 'late count', explain: 'Events on the late-events topic equal the oracle\'s late events (window closed when they arrived).' },
];

/** PIPELINE_CHECKS, in order: what the run left behind (collect.ts) against the oracle. */
export function pipelineChecks(o: OracleOutput, out: PipelineOutputs): CheckResult[] {
  const [rows, once, dlq, reasons, duplicates, late] = PIPELINE_CHECKS.map((c) => c.name) as [string, string, string, string, string, string];
  return [
    compareResults(rows, o.results, out.rows),
    compareCount(once, o.results.length, out.emitted),
    compareCount(dlq, o.counts.dlq, out.dlq.length),
    compareTally(reasons, tally(o.dlq, (d) => d.reason), tally(out.dlq, (d) => d.reason)),
    compareCount(duplicates, o.counts.duplicates, out.duplicates.length),
    compareCount(late, o.counts.late, out.late.length),
  ];
}

/** The report's counts, from what the pipeline wrote (zeros but `produced` when nothing was collected). */
export function pipelineCounts(produced: number, out: PipelineOutputs | undefined): CtrCounts {
  if (!out) return { produced, valid: 0, dlq: 0, duplicates: 0, late: 0 };
  return { produced, valid: produced - out.dlq.length - out.duplicates.length, dlq: out.dlq.length, duplicates: out.duplicates.length, late: out.late.length };
}
