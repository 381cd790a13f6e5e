/**
 * Validation of one input line against the rules in event.ts, in the order given there; the first
 * rule that applies is the DLQ reason. The first two look at the line's bytes (line.ts): its length
 * (too_large) and whether it is UTF-8 (not_utf8); the others at its text.
 *
 * Details the rules leave to the implementation:
 * - Whitespace: the line goes to JSON.parse as is, so JSON whitespace around the value (space,
 *   tab, CR, LF) is tolerated; a trailing "\r" from a CRLF file is fine. Anything else (a BOM,
 *   a non-breaking space) makes the line not_json.
 * - Duplicate keys: JSON.parse keeps the last occurrence, and so do we (also for how `ts` is
 *   written: the raw token checked is the one of the value JSON.parse kept).
 * - `ts` is judged by how it is WRITTEN: 1 to 15 ASCII digits, nothing else. We read the raw token
 *   through JSON.parse's reviver source-text access (`context.source`, Node >= 22), so `1.0`,
 *   `1e3`, `-0` and `"123"` are all bad_ts even when their value is a whole number.
 * - The returned event carries only the model's fields (extra fields are ignored, as event.ts
 *   says). `campaign_id` is kept when it is a JSON string; any other value (number, null...) is
 *   treated as absent, since no DLQ reason covers it.
 */
import { type CtrEvent, type DlqReason, type EventType, MAX_LINE_BYTES, MAX_TS } from './event.ts';
import { type InputLine, lineByteLength, lineText } from './line.ts';

export type ValidationResult = { ok: true; event: CtrEvent } | { ok: false; reason: DlqReason };

/** How ts must be written: 1 to 15 decimal digits (JSON already forbids leading zeros like 01). */
const TS_TOKEN = /^[0-9]{1,15}$/;

type SourceReviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;
const parseWithSource = JSON.parse as (text: string, reviver: SourceReviver) => unknown;

function assertSourceTextAccess(): void {
  let seen: string | undefined;
  parseWithSource('1.0', (_key, value, context) => {
    seen = context?.source;
    return value;
  });
  if (seen !== '1.0') {
    throw new Error(`This Node.js (${process.version}) lacks JSON.parse source-text access, which the CTR validator needs to check how ts is written: use Node 22 or newer.`);
  }
}
assertSourceTextAccess();

/** Parses a line; returns the value and the raw token of the top-level `ts` (undefined if absent or not a primitive). */
function parseLine(line: string): { value: unknown; tsSource: string | undefined } | undefined {
  // The reviver runs bottom-up with `this` = the object holding `key`; remember the raw `ts`
  // token per holder, and pick the root's afterwards (nested objects may have a `ts` too).
  const tsSources = new WeakMap<object, string>();
  let value: unknown;
  try {
    value = parseWithSource(line, function (key, v, context) {
      // A lone surrogate (\ud800 alone) has no UTF-8 form: Flink would read it as '?', merging
      // distinct ids. Such a line is not JSON we can carry, in keys or in values.
      if (!key.isWellFormed() || (typeof v === 'string' && !v.isWellFormed())) throw new Error('lone surrogate');
      if (key === 'ts' && typeof this === 'object' && this !== null && context?.source !== undefined) {
        tsSources.set(this, context.source);
      }
      return v;
    });
  } catch {
    return undefined;
  }
  const tsSource = typeof value === 'object' && value !== null ? tsSources.get(value) : undefined;
  return { value, tsSource };
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

export function validateLine(line: InputLine): ValidationResult {
  if (lineByteLength(line) > MAX_LINE_BYTES) return { ok: false, reason: 'too_large' };
  const text = lineText(line);
  if (text === undefined) return { ok: false, reason: 'not_utf8' };
  return validateText(text);
}

/** The rules from not_json on, over a line's text. */
function validateText(line: string): ValidationResult {
  const parsed = parseLine(line);
  if (parsed === undefined) return { ok: false, reason: 'not_json' };
  const { value, tsSource } = parsed;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not_json' };
  const obj = value as Record<string, unknown>;
  const field = (name: string): unknown => (Object.hasOwn(obj, name) ? obj[name] : undefined);

  const eventId = field('event_id');
  if (!isNonEmptyString(eventId)) return { ok: false, reason: 'bad_event_id' };
  const userId = field('user_id');
  if (!isNonEmptyString(userId)) return { ok: false, reason: 'bad_user_id' };
  const productId = field('product_id');
  if (!isNonEmptyString(productId)) return { ok: false, reason: 'bad_product_id' };
  const eventType = field('event_type');
  if (eventType !== 'impression' && eventType !== 'click') return { ok: false, reason: 'bad_event_type' };
  const ts = field('ts');
  if (typeof ts !== 'number' || tsSource === undefined || !TS_TOKEN.test(tsSource) || ts > MAX_TS) return { ok: false, reason: 'bad_ts' };

  const event: CtrEvent = { event_id: eventId, user_id: userId, product_id: productId, event_type: eventType satisfies EventType, ts };
  const campaignId = field('campaign_id');
  if (typeof campaignId === 'string') event.campaign_id = campaignId;
  return { ok: true, event };
}
