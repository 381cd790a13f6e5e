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
  {
    name: 'DLQ payloads',
    explain: 'Each DLQ record carries what the oracle says it should: the line unchanged, its bytes in base64 for not_utf8, its first bytes and its length for too_large. Compared as a multiset of records; differing ones are listed.',
  },
  { name: 'duplicates count', explain: 'Events on the duplicates topic equal the oracle\'s repeated event_ids.' },
  { name: 'late count', explain: 'Events on the late-events topic equal the oracle\'s late events (window closed when they arrived).' },
];

/** PIPELINE_CHECKS, in order: what the run left behind (collect.ts) against the oracle. */
export function pipelineChecks(o: OracleOutput, out: PipelineOutputs): CheckResult[] {
  const [rows, once, dlq, reasons, payloads, duplicates, late] = PIPELINE_CHECKS.map((c) => c.name) as [string, string, string, string, string, string, string];
  return [
    compareResults(rows, o.results, out.rows),
    compareCount(once, o.results.length, out.emitted),
    compareCount(dlq, o.counts.dlq, out.dlq.length),
    compareTally(reasons, tally(o.dlq, (d) => d.reason), tally(out.dlq, (d) => d.reason)),
    compareRecords(payloads, o.dlq, out.dlq),
    compareCount(duplicates, o.counts.duplicates, out.duplicates.length),
    compareCount(late, o.counts.late, out.late.length),
  ];
}

type DlqRecord = PipelineOutputs['dlq'][number];
const recordKey = (d: DlqRecord) => JSON.stringify([d.reason, d.payload, d.bytes ?? null]);
/** A record for a detail line: its reason, length and the start of its payload (a payload may be 600 KB). */
const shortRecord = (d: DlqRecord) => `${d.reason}${d.bytes === undefined ? '' : ` (${d.bytes} bytes)`}: ${JSON.stringify(d.payload.slice(0, 60))}${d.payload.length > 60 ? `... (${d.payload.length} chars)` : ''}`;

/** The DLQ records as multisets: every expected record once, nothing else. */
export function compareRecords(name: string, expected: readonly DlqRecord[], actual: readonly DlqRecord[], maxDetails = 10): CheckResult {
  const want = new Map<string, { record: DlqRecord; n: number }>();
  for (const d of expected) want.set(recordKey(d), { record: d, n: (want.get(recordKey(d))?.n ?? 0) + 1 });
  const unexpected: DlqRecord[] = [];
  for (const d of actual) {
    const w = want.get(recordKey(d));
    if (w && w.n > 0) w.n--;
    else unexpected.push(d);
  }
  const missing = [...want.values()].flatMap((w) => Array.from({ length: w.n }, () => w.record));
  const details = [...missing.map((d) => `missing    ${shortRecord(d)}`), ...unexpected.map((d) => `unexpected ${shortRecord(d)}`)];
  const ok = details.length === 0;
  return {
    name,
    expected: `${expected.length} records as the oracle writes them`,
    actual: ok ? `${actual.length} records, all equal` : `${missing.length} missing, ${unexpected.length} unexpected`,
    ok,
    ...(ok ? {} : { details: [...details.slice(0, maxDetails), ...(details.length > maxDetails ? [`... and ${details.length - maxDetails} more`] : [])] }),
  };
}

/** The report's counts, from what the pipeline wrote (zeros but `produced` when nothing was collected). */
export function pipelineCounts(produced: number, out: PipelineOutputs | undefined): CtrCounts {
  if (!out) return { produced, valid: 0, dlq: 0, duplicates: 0, late: 0 };
  return { produced, valid: produced - out.dlq.length - out.duplicates.length, dlq: out.dlq.length, duplicates: out.duplicates.length, late: out.late.length };
}
