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
 * Phase 5's options (OracleParams), each off unless given: the broken-clock rule (future_ts,
 * clock.ts), a watermark per partition for one interleaving of several partitions, and no lateness
 * at all (the totals the conservation check needs, src/pipeline/conservation.ts).
 */
import { checkSkew, isFutureTs, ALLOWED_CLOCK_SKEW_MS } from './clock.ts';
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
  /**
   * The broken-clock rule (clock.ts), for pipelines that opt in: each line's Kafka record timestamp
   * (recordTimestamps[i] for lines[i]) and the allowed skew (ALLOWED_CLOCK_SKEW_MS unless given).
   * A line that is otherwise a valid event and whose ts is more than the skew ahead of its record
   * timestamp goes to the DLQ as future_ts: like any invalid line it does not move maxTs and does
   * not mark its event_id seen.
   */
  clock?: { recordTimestamps: readonly number[]; allowedSkewMs?: number };
  /**
   * The partition of each line, the lines in the order one consumer read them (an interleaving of
   * several partitions): the watermark is then the smallest over the partitions of each one's max
   * ts - 5 s, as a source with a watermark per partition makes it. It is undefined (nothing is late)
   * until every partition that has lines has had a valid event, and a partition whose last line has
   * been read no longer holds it back (a finished split). Without it: the max over all lines.
   */
  partitions?: readonly number[];
  /**
   * No event is late: every valid, deduplicated event is counted in its window (late stays empty).
   * The totals the interleaving-tolerant checks compare with (src/pipeline/conservation.ts).
   */
  everyEventOnTime?: boolean;
}

export function runOracle(lines: readonly InputLine[], params: OracleParams = {}): OracleOutput {
  const windowMs = params.windowMs ?? WINDOW_MS;
  if (!Number.isInteger(windowMs) || windowMs <= 0) throw new Error(`the oracle's window size must be a positive whole number of ms (got ${windowMs})`);
  const clock = params.clock;
  const allowedSkewMs = clock?.allowedSkewMs ?? ALLOWED_CLOCK_SKEW_MS;
  if (clock) {
    checkSkew(allowedSkewMs);
    if (clock.recordTimestamps.length !== lines.length) throw new Error(`the oracle got ${clock.recordTimestamps.length} record timestamps for ${lines.length} lines: give one per line`);
  }
  const watermarkAt = params.partitions === undefined ? undefined : partitionWatermark(params.partitions, lines.length);
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
    if (clock && isFutureTs(event.ts, clock.recordTimestamps[index], allowedSkewMs)) {
      dlq.push({ line, ...dlqRecord(input, 'future_ts') });
      return;
    }
    const maxTsBefore = watermarkAt ? watermarkAt.maxTs(index) : maxTs;
    if (seen.has(event.event_id)) {
      duplicates.push({ line, event_id: event.event_id });
    } else {
      seen.add(event.event_id);
      valid += 1;
      const start = windowMs === WINDOW_MS ? windowStart(event.ts) : event.ts - (event.ts % windowMs);
      if (!params.everyEventOnTime && maxTsBefore !== undefined && start + windowMs <= maxTsBefore - WATERMARK_DELAY_MS) {
        late.push({ line, event, windowStart: start, watermark: maxTsBefore - WATERMARK_DELAY_MS });
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
    watermarkAt?.saw(index, event.ts);
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

/**
 * The per-partition watermark of OracleParams.partitions: maxTs(i) is what the watermark is made of
 * before line i (the smallest max ts over the partitions still being read), saw(i, ts) records a
 * valid line's ts in its partition.
 */
function partitionWatermark(partitions: readonly number[], lineCount: number): { maxTs: (index: number) => number | undefined; saw: (index: number, ts: number) => void } {
  if (partitions.length !== lineCount) throw new Error(`the oracle got ${partitions.length} partitions for ${lineCount} lines: give one per line`);
  const last = new Map<number, number>();
  partitions.forEach((p, i) => {
    if (!Number.isInteger(p) || p < 0) throw new Error(`line ${i + 1}'s partition must be a whole number >= 0 (got ${p})`);
    last.set(p, i);
  });
  const maxTs = new Map<number, number>();
  return {
    maxTs(index) {
      let min: number | undefined;
      for (const [p, lastIndex] of last) {
        if (lastIndex < index) continue;
        const m = maxTs.get(p);
        if (m === undefined) return undefined;
        min = min === undefined ? m : Math.min(min, m);
      }
      return min;
    },
    saw(index, ts) {
      const p = partitions[index] as number;
      maxTs.set(p, Math.max(maxTs.get(p) ?? ts, ts));
    },
  };
}
