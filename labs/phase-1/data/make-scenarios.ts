// Writes the hand-made phase-1 scenarios (JSON lines) beside this file: `npx tsx labs/phase-1/data/make-scenarios.ts`.
// The comments give the numbers computed by hand from src/ctr/event.ts; test/labs replays every
// file through the real pipeline and compares with the oracle.
import { writeFileSync } from 'node:fs';

const dir = new URL('./', import.meta.url).pathname;
const ev = (event_id: string, product_id: string, event_type: string, ts: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event_id, user_id: 'u1', product_id, event_type, ts, ...extra });
const write = (name: string, lines: string[]) => writeFileSync(`${dir}${name}`, lines.map((l) => `${l}\n`).join(''));

// 1. One line per DLQ reason and its tricky variants, plus valid lines with extra/missing optional fields.
write('dlq-reasons.jsonl', [
  ev('v1', 'p1', 'impression', 1000),                                          // valid
  'not json at all',                                                            // not_json
  '[1,2]',                                                                      // not_json (array)
  '"a string"',                                                                 // not_json
  'null',                                                                       // not_json
  '',                                                                           // not_json (empty line)
  `${ev('t1', 'p1', 'click', 1000)} trailing`,                                  // not_json (trailing garbage)
  `${ev('t2', 'p1', 'click', 1000)}]`,                                          // not_json (trailing ])
  `${ev('t3', 'p1', 'click', 1000)}}`,                                          // not_json (trailing })
  `${ev('t4', 'p1', 'click', 1000)},{}`,                                        // not_json
  `\uFEFF${ev('t5', 'p1', 'click', 1000)}`,                                     // not_json (BOM)
  '{"event_id":"x","user_id":"u","product_id":"p","event_type":"click","ts":1,}', // not_json (trailing comma)
  '{"user_id":"u1","product_id":"p1","event_type":"click","ts":1}',            // bad_event_id (missing)
  '{"event_id":"","user_id":"u1","product_id":"p1","event_type":"click","ts":1}', // bad_event_id (empty)
  '{"event_id":42,"user_id":"u1","product_id":"p1","event_type":"click","ts":1}', // bad_event_id (number)
  '{"event_id":null,"user_id":"u1","product_id":"p1","event_type":"click","ts":1}', // bad_event_id (null)
  '{"event_id":["a"],"user_id":"u1","product_id":"p1","event_type":"click","ts":1}', // bad_event_id (array)
  '{"event_id":true,"user_id":"u1","product_id":"p1","event_type":"click","ts":1}', // bad_event_id (bool)
  '{"event_id":"e1","product_id":"p1","event_type":"click","ts":1}',           // bad_user_id
  '{"event_id":"e1","user_id":7,"product_id":"p1","event_type":"click","ts":1}', // bad_user_id
  '{"event_id":"e1","user_id":"u1","product_id":"","event_type":"click","ts":1}', // bad_product_id
  '{"event_id":"e1","user_id":"u1","product_id":{"a":1},"event_type":"click","ts":1}', // bad_product_id
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"Click","ts":1}', // bad_event_type
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":" click","ts":1}', // bad_event_type
  '{"event_id":"e1","user_id":"u1","product_id":"p1","ts":1}',                  // bad_event_type (missing)
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":1,"ts":1}',   // bad_event_type
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":["click"],"ts":1}', // bad_event_type
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click"}',    // bad_ts (missing)
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click","ts":"1000"}', // bad_ts
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click","ts":1.0}', // bad_ts
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click","ts":1e3}', // bad_ts
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click","ts":-5}', // bad_ts
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click","ts":-0}', // bad_ts (-0)
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click","ts":1234567890123456}', // bad_ts (16 digits)
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click","ts":null}', // bad_ts
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click","ts":[1]}', // bad_ts
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click","ts":true}', // bad_ts
  '{"event_id":"e1","user_id":"u1","product_id":"p1","event_type":"click","ts":12345678901234567890}', // bad_ts (huge)
  '{"event_id":5,"user_id":5,"product_id":5,"event_type":5,"ts":-1}',           // bad_event_id (first failing rule wins)
  '{"event_id":"d1","user_id":"u1","product_id":"p1","event_type":"click","ts":"x","ts":2000}', // valid (last duplicate key wins)
  '{"event_id":"d2","user_id":"u1","product_id":"p1","event_type":"click","ts":2000,"ts":"x"}', // bad_ts (last key wins)
  '{"event_id":"d3","user_id":"u1","product_id":"p1","event_type":"\\u0069mpression","ts":3000}', // valid (escaped impression)
  '{"event_id":"d4","user_id":"u1","product_id":"p1","event_type":"click","ts":0}', // valid (ts 0)
  '{"event_id":"d5","user_id":"u1","product_id":"p1","event_type":"impression","ts":4000,"campaign_id":"c1","extra":{"ts":-0,"nested":[1,2]},"more":"x"}', // valid (extra fields)
  '{"event_id":"d6","user_id":"u1","product_id":"p1","event_type":"impression","ts":4000,"campaign_id":7}', // valid (campaign_id not a string)
  ' {"event_id":"d7","user_id":"u1","product_id":"p1","event_type":"impression","ts":4001}\r', // valid (whitespace + CR)
  '{"event_id":"d8","user_id":"u1","product_id":"p1","event_type":"impression","ts":253402300799999}', // valid (max TIMESTAMP_LTZ, 9999-12-31T23:59:59.999Z; closes everything)
]);

// 2. Duplicates: of an on-time event, of a late event, arriving after its window closed,
//    with a different ts that moves the watermark, and of an invalid line's event_id.
write('duplicates.jsonl', [
  ev('a', 'p1', 'impression', 1000),
  ev('a', 'p1', 'click', 1000),            // dup of on-time a (counts once as impression)
  ev('bad', 'p1', 'click', 1500).replace('"ts":1500', '"ts":"1500"'), // DLQ bad_ts; does NOT mark "bad" seen
  ev('bad', 'p1', 'click', 1500),          // valid first "bad" -> click in [0,10000)
  ev('b', 'p1', 'impression', 30000),      // wm 24999: window [0,10000) closed
  ev('a', 'p1', 'impression', 2000),       // dup arriving after its window closed -> duplicate (not late)
  ev('c', 'p1', 'click', 3000),            // late (first occurrence)
  ev('c', 'p1', 'click', 3000),            // dup of a late event -> duplicate
  ev('b', 'p1', 'impression', 60000),      // dup with bigger ts: moves the watermark to 54999
  ev('d', 'p1', 'impression', 45000),      // late: [40000,50000) closed by the duplicate's ts
  ev('e', 'p2', 'impression', 61000),
]);
// expected: dlq 1, duplicates 4 (a, a, c, b), late 2 (c, d), valid 6 (a, bad, b, c, d, e)
// results: p1 [0,10000) imp 1 click 1 ctr 1; p1 [30000) imp 1 ctr 0; p2 [60000) imp 1 ctr 0

// 3. Out of order within 5 s (nothing late), and very late events.
write('out-of-order.jsonl', [
  ev('o1', 'p1', 'impression', 10000),
  ev('o2', 'p1', 'impression', 14000),
  ev('o3', 'p1', 'click', 9500),           // window [0,10000): end 10000 <= 14000-5000=9000? no -> on time
  ev('o4', 'p1', 'impression', 19999),
  ev('o5', 'p1', 'click', 15000),          // wm 14998; [10000,20000) open
  ev('o6', 'p1', 'impression', 9999),      // [0,10000): 10000 <= 14999? yes -> LATE
  ev('o7', 'p1', 'click', 10000),          // [10000,20000) open
]);
// expected: late 1 (o6); p1 [0) imp 0 click 1 ctr null; p1 [10000) imp 3 click 2 ctr 2/3

write('very-late.jsonl', [
  ev('v1', 'p1', 'impression', 1_700_000_000_000),
  ev('v2', 'p1', 'impression', 1_700_000_000_500),
  ev('v3', 'p1', 'click', 1_600_000_000_000),      // ~3 years late
  ev('v4', 'p1', 'click', 0),                      // epoch 0: late
  ev('v5', 'p2', 'impression', 1_699_999_994_999), // window [..990000, ..000000) end 1_700_000_000_000 <= 1_699_999_995_500? no -> on time
  ev('v6', 'p2', 'click', 1_699_999_989_999),      // window end 1_699_999_990_000 <= 1_699_999_995_499: late
]);
// expected: late 3 (v3, v4, v6); p1 [1_700_000_000_000] imp 2 click 0 ctr 0; p2 [1_699_999_990_000] imp 1 ctr 0

// 4. Unicode, quotes, backslashes, control chars in product ids (and in event ids, for dedup).
const tricky = ['prodüct-☃', 'say "hi"', "it's", 'back\\slash', 'emoji-🚀👍🏽', '日本語', 'tab\there', ' padded ', 'nl\nline', 'nul\u0000byte', 'q\'"\\', '\u2028sep', 'ff\uffff', 'astral-\u{10FFFF}', 'e\u0301 combining'];
write('unicode.jsonl', [
  ...tricky.flatMap((p, i) => [ev(`u${i}-imp`, p, 'impression', 1000 + i), ev(`u${i}-click`, p, 'click', 2000 + i), ev(`u${i}-imp2`, p, 'impression', 12000 + i)]),
  ev('ü-dup', 'p', 'impression', 3000), ev('ü-dup', 'p', 'impression', 3000), ev('u\u0308-dup', 'p', 'impression', 3000), // NFC vs NFD ids differ: not dups
  // escaped forms of the same strings are the same string:
  '{"event_id":"esc1","user_id":"u1","product_id":"say \\"hi\\"","event_type":"click","ts":2500}',
  '{"event_id":"esc2","user_id":"u1","product_id":"\\u65e5\\u672c\\u8a9e","event_type":"click","ts":2500}',
  '{"event_id":"esc3","user_id":"u1","product_id":"emoji-\\ud83d\\ude80\\ud83d\\udc4d\\ud83c\\udffd","event_type":"impression","ts":2500}',
  '{"event_id":"esc4","user_id":"u1","product_id":"back\\/slash\\\\ud800","event_type":"impression","ts":2500}', // \\ud800 is backslash + "ud800" text, valid
]);

// 5. Lone surrogate escapes: Flink's UTF-8 strings cannot hold them (they become "?").
write('lone-surrogate.jsonl', [
  '{"event_id":"s1","user_id":"u1","product_id":"x\\ud800","event_type":"impression","ts":1000}',
  '{"event_id":"s2","user_id":"u1","product_id":"x\\udc00","event_type":"impression","ts":1000}',
  '{"event_id":"s3","user_id":"u1","product_id":"x?","event_type":"impression","ts":1000}',
  '{"event_id":"\\udbff","user_id":"u1","product_id":"p","event_type":"impression","ts":1000}',
  '{"event_id":"\\ud800","user_id":"u1","product_id":"p","event_type":"impression","ts":1000}',
]);

// 5b. ts beyond 9999-12-31T23:59:59.999Z: valid per event.ts today, bad_ts in the SQL (proposed rule).
write('ts-range.jsonl', [
  ev('r1', 'p1', 'impression', 1000),
  ev('r2', 'p1', 'impression', 253402300800000),
  ev('r3', 'p1', 'impression', 999999999999999),
  ev('r4', 'p1', 'click', 2000),
]);

// 6. Zero valid events, and an empty file.
write('zero-valid.jsonl', ['garbage', '{}', '{"event_id":"x"}', '[]', '{"event_id":"e","user_id":"u","product_id":"p","event_type":"view","ts":1}']);
write('empty.jsonl', []);

// 7. CTR precision: every clicks/impressions ratio for impressions 1..12 (ctr compared exactly, as doubles).
const prec: string[] = [];
let n = 0;
for (let imp = 1; imp <= 12; imp++) for (let clk = 0; clk <= imp + 1; clk += 1) {
  const p = `r${imp}_${clk}`;
  for (let i = 0; i < imp; i++) prec.push(ev(`x${n++}`, p, 'impression', 5000));
  for (let i = 0; i < clk; i++) prec.push(ev(`x${n++}`, p, 'click', 5000));
}
write('ctr-precision.jsonl', prec);
