/**
 * The reference oracle: the CTR pipeline's semantics (event.ts, DESIGN.md "The CTR pipeline") in
 * plain TypeScript, without Flink. Labs compare what Flink and ClickHouse produced with this.
 *
 * Lines are bytes (line.ts: a string is its UTF-8), as Kafka carries them; a file becomes lines with
 * splitLines, on "\n" only. Lines are processed strictly in order, with maxTs = the largest ts over the VALID lines seen so
 * far (duplicates included: in Flink the watermark is generated at the source, before
 * deduplication). The watermark is maxTs - WATERMARK_DELAY_MS.
 * - An invalid line goes to the DLQ with its reason; it does not move maxTs.
 * - A valid line whose event_id was seen on an earlier valid line (late or not) is a duplicate:
 *   counted and dropped; then maxTs = max(maxTs, ts).
 * - Otherwise the event_id is marked seen. The event is late iff maxTs is defined and
 *   windowStart(ts) + WINDOW_MS <= maxTs - WATERMARK_DELAY_MS, with maxTs from BEFORE this line
 *   (Flink emits the record, then the watermark). Late events are counted and listed, never
 *   aggregated; the others add one impression or click to (product_id, windowStart(ts)).
 *   Then maxTs = max(maxTs, ts).
 * - At the end of the input every window closes: one result row per (product_id, window_start)
 *   that aggregated at least one event.
 */
import { WATERMARK_DELAY_MS, WINDOW_MS, windowStart, type CtrCounts, type CtrEvent, type CtrResult } from './event.ts';
import { type DlqRecord, dlqRecord, type InputLine } from './line.ts';
import { validateLine } from './validate.ts';

export { splitLines } from './line.ts';

/**
 * Line numbers are 1-based: line 1 is lines[0]. The rest is the DLQ record (line.ts): the original
 * line as payload, unchanged (a trailing "\r" included), but in base64 for not_utf8 and a prefix
 * plus `bytes` for too_large.
 */
export interface DlqEntry extends DlqRecord {
  line: number;
}

export interface LateEntry {
  line: number;
  event: CtrEvent;
  windowStart: number;
  /** The watermark when the event arrived (maxTs before this line - WATERMARK_DELAY_MS). */
  watermark: number;
}

export interface DuplicateEntry {
  line: number;
  event_id: string;
}

export interface OracleOutput {
  counts: CtrCounts;
  /** In byOracleOrder: product_id, then window_start. */
  results: CtrResult[];
  dlq: DlqEntry[];
  late: LateEntry[];
  duplicates: DuplicateEntry[];
}

/**
 * The oracle's order of result rows: product_id by plain JS string comparison (`<`, UTF-16 code
 * units, not localeCompare: the same on every machine and locale), then window_start.
 */
export function byOracleOrder(a: Pick<CtrResult, 'product_id' | 'window_start'>, b: Pick<CtrResult, 'product_id' | 'window_start'>): number {
  return a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : a.window_start - b.window_start;
}

/**
 * What an exercise may change in the semantics (an exercise's grade.ts: five-second windows); the
 * defaults are the pipeline's (event.ts), and every lab runs with them.
 */
export interface OracleParams {
  windowMs?: number;
  /**
   * Sees every event the windows aggregate (on time, first occurrence), in input order: the
   * enrichment oracle (dimension.ts) builds on it without repeating these rules.
   */
  onAggregated?: (event: CtrEvent) => void;
}

export function runOracle(lines: readonly InputLine[], params: OracleParams = {}): OracleOutput {
  const windowMs = params.windowMs ?? WINDOW_MS;
  if (!Number.isInteger(windowMs) || windowMs <= 0) throw new Error(`the oracle's window size must be a positive whole number of ms (got ${windowMs})`);
  const dlq: DlqEntry[] = [];
  const late: LateEntry[] = [];
  const duplicates: DuplicateEntry[] = [];
  const seen = new Set<string>();
  /** product_id -> window_start -> counts */
  const windows = new Map<string, Map<number, { impressions: number; clicks: number }>>();
  let maxTs: number | undefined;
  let valid = 0;

  lines.forEach((input, index) => {
    const line = index + 1;
    const checked = validateLine(input);
    if (!checked.ok) {
      dlq.push({ line, ...dlqRecord(input, checked.reason) });
      return;
    }
    const { event } = checked;
    if (seen.has(event.event_id)) {
      duplicates.push({ line, event_id: event.event_id });
    } else {
      seen.add(event.event_id);
      valid += 1;
      const start = windowMs === WINDOW_MS ? windowStart(event.ts) : event.ts - (event.ts % windowMs);
      if (maxTs !== undefined && start + windowMs <= maxTs - WATERMARK_DELAY_MS) {
        late.push({ line, event, windowStart: start, watermark: maxTs - WATERMARK_DELAY_MS });
      } else {
        let perProduct = windows.get(event.product_id);
        if (perProduct === undefined) windows.set(event.product_id, (perProduct = new Map()));
        let cell = perProduct.get(start);
        if (cell === undefined) perProduct.set(start, (cell = { impressions: 0, clicks: 0 }));
        if (event.event_type === 'impression') cell.impressions += 1;
        else cell.clicks += 1;
        params.onAggregated?.(event);
      }
    }
    maxTs = maxTs === undefined ? event.ts : Math.max(maxTs, event.ts);
  });

  const results: CtrResult[] = [];
  for (const [product_id, perProduct] of windows) {
    for (const [window_start, { impressions, clicks }] of perProduct) {
      results.push({ product_id, window_start, impressions, clicks, ctr: impressions === 0 ? null : clicks / impressions });
    }
  }
  results.sort(byOracleOrder);

  return {
    counts: { produced: lines.length, valid, dlq: dlq.length, duplicates: duplicates.length, late: late.length },
    results,
    dlq,
    late,
    duplicates,
  };
}
