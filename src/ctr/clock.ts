/**
 * The broken clock (event.ts's opt-in reason future_ts, ADR 0100): an event whose `ts` is more than
 * ALLOWED_CLOCK_SKEW_MS ahead of its Kafka record timestamp goes to the DLQ.
 *
 * Why a rule at all: validation accepts any ts up to year 9999, and the watermark follows the
 * largest ts seen, so ONE event from a source whose clock runs a year ahead moves the watermark a
 * year ahead and every later event is late: results stop. The record timestamp is a second clock
 * the source does not control: the collector that produces to Kafka stamps it (CreateTime, set
 * explicitly; or the broker with the topic's `message.timestamp.type=LogAppendTime`).
 *
 * The one place for the skew: the oracle (oracle.ts), the Flink SQL (src/pipeline/clock/) and the
 * generator's broken-clock burst (realistic.ts) all read this constant.
 */
import { WATERMARK_DELAY_MS } from './event.ts';

/**
 * How far an event's ts may be ahead of its record timestamp, in ms (inclusive: exactly this much is
 * still valid). Equal to the watermark delay: an accepted event then moves the watermark (max ts -
 * 5 s) at most to the record timestamp, so no accepted clock can push event time past the time the
 * collector stands at. Looser lets a clock that far ahead make that much on-time traffic late;
 * tighter sends sources with a few seconds of drift to the DLQ (ADR 0100).
 */
export const ALLOWED_CLOCK_SKEW_MS = WATERMARK_DELAY_MS;

/** A year, the broken clock's lead in the drill (365 days of ms). */
export const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The rule: ts - recordTimestamp > allowedSkewMs. Both epoch ms; a record without a timestamp
 * (undefined) is never future_ts, as in SQL, where a NULL comparison is not TRUE.
 */
export function isFutureTs(ts: number, recordTimestamp: number | undefined, allowedSkewMs: number = ALLOWED_CLOCK_SKEW_MS): boolean {
  return recordTimestamp !== undefined && ts - recordTimestamp > allowedSkewMs;
}

/** Throws a RangeError unless the skew is a whole number of ms >= 0 (the SQL writes it as an interval in ms). */
export function checkSkew(allowedSkewMs: number): void {
  if (!Number.isSafeInteger(allowedSkewMs) || allowedSkewMs < 0) throw new RangeError(`the allowed clock skew must be a whole number of ms >= 0 (got ${allowedSkewMs})`);
}
