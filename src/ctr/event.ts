/**
 * The event model and the exact semantics of the CTR pipeline (DESIGN.md "The CTR pipeline").
 * The oracle (oracle.ts) implements these rules in plain TypeScript, without Flink; the
 * phase-1 Flink SQL must produce the same numbers. When a rule changes, it changes here first.
 */

export const EVENT_TYPES = ['impression', 'click'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A valid event. Fields beyond these are allowed and ignored (schema evolution). */
export interface CtrEvent {
  event_id: string;
  user_id: string;
  product_id: string;
  event_type: EventType;
  /** Event time, epoch milliseconds. */
  ts: number;
  /** Optional since schema v2: events with or without it count the same. */
  campaign_id?: string;
}

/** Window size and watermark delay, in ms. */
export const WINDOW_MS = 10_000;
export const WATERMARK_DELAY_MS = 5_000;

/**
 * The largest line, in bytes (its UTF-8, without the "\n"), that the pipeline accepts: one number
 * for the producer (a longer line never goes to the input topic: ingestion writes its DLQ record
 * itself, src/pipeline/ingest.ts), the input topic's max.message.bytes (this plus room for the record
 * headers, src/pipeline/topics.ts) and the oracle. 100,000 bytes is some 500 times an event; it is
 * also small enough that whatever such a line holds, the DLQ record Flink writes for it (the line
 * JSON-escaped, at worst 6 bytes per byte, or base64) stays under Kafka's default 1 MiB message size
 * on the DLQ topic and in Flink's producer (ADR 0029).
 */
export const MAX_LINE_BYTES = 100_000;
/** How much of a too_large line its DLQ record keeps: the first bytes, cut before a character. */
export const DLQ_PREFIX_BYTES = 1_000;

/**
 * Why a line goes to the DLQ. Checked in this order; the first that applies wins.
 * - too_large:       the line is longer than MAX_LINE_BYTES bytes; its DLQ record has the first
 *                    DLQ_PREFIX_BYTES bytes as payload and its length as `bytes`
 * - not_utf8:        the line's bytes are not valid UTF-8 (a decoder would replace them with
 *                    U+FFFD, so distinct bytes could become the same id); the payload is the
 *                    bytes in base64
 * - not_json:        the line is not a JSON object (unparseable, an array, a string, null...),
 *                    or it holds a string with a lone UTF-16 surrogate ("\ud800" alone), which
 *                    has no UTF-8 form
 * - bad_event_id, bad_user_id, bad_product_id:
 *                    the field is missing, not a JSON string, or the empty string
 * - bad_event_type:  not the JSON string "impression" or "click"
 * - bad_ts:          not a JSON number written as 1 to 15 decimal digits (no sign, fraction or
 *                    exponent): an integer >= 0 that every engine represents exactly, and at
 *                    most MAX_TS (9999-12-31T23:59:59.999Z, the last instant Flink's
 *                    TO_TIMESTAMP_LTZ represents; past it the event time would be NULL)
 * Every other reason's payload is the line's text, unchanged.
 */
export const MAX_TS = 253_402_300_799_999;
export const DLQ_REASONS = ['too_large', 'not_utf8', 'not_json', 'bad_event_id', 'bad_user_id', 'bad_product_id', 'bad_event_type', 'bad_ts'] as const;
export type DlqReason = (typeof DLQ_REASONS)[number];
/**
 * Rules a pipeline applies only when it opts in, checked after every rule above (so only on a line
 * that is otherwise a valid event). Phase 1's pipelines and labs do not apply them.
 * - future_ts:       the event's ts is more than ALLOWED_CLOCK_SKEW_MS ahead of its Kafka record
 *                    timestamp (clock.ts): a source with a broken clock, which would otherwise move
 *                    the watermark to its time and make every later event late (ADR 0100).
 */
export const OPT_IN_DLQ_REASONS = ['future_ts'] as const;
export type OptInDlqReason = (typeof OPT_IN_DLQ_REASONS)[number];
/** Any reason a DLQ record can carry: phase 1's, and the opt-in ones. */
export type AnyDlqReason = DlqReason | OptInDlqReason;

/** Start of the 10 s tumbling window holding ts (windows are [start, start + 10 s)). */
export function windowStart(ts: number): number {
  return ts - (ts % WINDOW_MS);
}

/** One result row: what ClickHouse holds per (product_id, window_start). */
export interface CtrResult {
  product_id: string;
  window_start: number;
  impressions: number;
  clicks: number;
  /** clicks / impressions; null when impressions = 0. */
  ctr: number | null;
}

export interface CtrCounts {
  /** Lines read (every line of the input, valid or not). */
  produced: number;
  /** Valid, first-seen events (late ones included). produced = valid + dlq + duplicates. */
  valid: number;
  dlq: number;
  duplicates: number;
  /** Valid events whose window had closed when they arrived; not aggregated. */
  late: number;
}
