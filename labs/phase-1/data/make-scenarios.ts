// Writes the hand-made phase-1 scenarios (JSON lines) beside this file: `npx tsx labs/phase-1/data/make-scenarios.ts`.
// The comments give the numbers computed by hand from src/ctr/event.ts; test/labs replays every
// file through the real pipeline and compares with the oracle. Scenarios too large to commit
// (largeScenarios(), at the end) are built in memory: test/labs writes them to a temporary folder
// and replays them too; `make-scenarios.ts --large DIR` writes them to DIR for a replay by hand.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_LINE_BYTES } from '../../../src/ctr/event.ts';

const dir = new URL('./', import.meta.url).pathname;
/** Run as a script (not imported by a test): only then are files written. */
const main = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
const ev = (event_id: string, product_id: string, event_type: string, ts: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event_id, user_id: 'u1', product_id, event_type, ts, ...extra });
/** A file of lines, each ending in "\n" (or `eol`); a line is text (written as UTF-8) or raw bytes. */
const fileOf = (lines: (string | Buffer)[], eol = '\n') => Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from(eol)]));
const write = (name: string, lines: (string | Buffer)[]) => {
  if (main) writeFileSync(`${dir}${name}`, fileOf(lines));
};
/** A line with raw bytes spliced in where `@` stands. */
const withBytes = (text: string, bytes: number[]) => Buffer.concat([Buffer.from(text.slice(0, text.indexOf('@'))), Buffer.from(bytes), Buffer.from(text.slice(text.indexOf('@') + 1))]);

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

// 8. Bytes that are not UTF-8 (event.ts's not_utf8): kept apart, never decoded into the same text.
//    Lines 2 and 3 hold two different corrupt ids, x C3 28 and x FF 28, that a lossy decoder reads
//    as the same "x\uFFFD(", which line 1 really is: decoded, they would be duplicates of it.
write('not-utf8.jsonl', [
  ev('x\uFFFD(', 'p1', 'impression', 1000),                                   // valid: a real U+FFFD
  withBytes(ev('x@(', 'p1', 'click', 1000), [0xc3]),                           // not_utf8 (C3 then '(')
  withBytes(ev('x@(', 'p1', 'click', 1000), [0xff]),                           // not_utf8 (FF: never UTF-8)
  withBytes(ev('n4', 'p\uFFFD@', 'impression', 1000), [0xc3]),                 // not_utf8 (C3 cut off before '"')
  withBytes(ev('n5', 'p@', 'impression', 1000), [0xc0, 0xa2]),                 // not_utf8 (an overlong '"')
  withBytes(ev('n6@', 'p1', 'impression', 1000), [0xed, 0xa0, 0x80]),          // not_utf8 (an encoded surrogate, CESU-8)
  withBytes(ev('n7', 'p1', 'impression', 1000).replace('}', ',"x":"@'), [0xe2, 0x82]), // not_utf8 (a character cut off at the end)
  withBytes(`${ev('n8', 'p1', 'impression', 1000)}@`, [0x80]),                 // not_utf8 (not not_json: the bytes come first)
  withBytes(ev('n9', 'p1', 'impression', 1000).replace('"ts":1000', '"ts":"@"'), [0xff]), // not_utf8 (not bad_ts)
  ev('v2', 'p1', 'click', 2000, { note: '\u{1F680} é ☃' }),                   // valid: raw 4-, 2- and 3-byte characters
  ev('v3', 'p\uFFFD', 'impression', 3000),                                     // valid: what line 4 would have become
  ev('v4', 'é', 'click', 12000),                                               // valid
]);
// expected: dlq 8 (lines 2-9, all not_utf8), duplicates 0, late 0, valid 4;
// results: p1 [0) imp 1 click 1 ctr 1; p\uFFFD [0) imp 1 ctr 0; é [10000) imp 0 click 1 ctr null

/** A valid event of exactly `bytes` bytes, padded with an extra field. */
function eventOfBytes(id: string, product: string, type: string, ts: number, bytes: number): string {
  const fill = bytes - Buffer.byteLength(ev(id, product, type, ts, { pad: '' }));
  return ev(id, product, type, ts, { pad: 'x'.repeat(fill) });
}

/**
 * Scenarios too large to commit, built the same way every time. test/labs writes each to a
 * temporary file and replays it like the files above.
 * - too-large.jsonl: the case, one 2 MB line among 38 ordinary ones, plus the edges of
 *   MAX_LINE_BYTES: a valid event of exactly the limit, one byte over it (too_large), the limit in
 *   NUL bytes (not_json: Flink's DLQ record escapes each as \u0000, 6 bytes, and must still fit),
 *   the limit in 0xFF bytes (not_utf8: base64) and 2 MB of 0xFF (too_large comes first).
 * - messy-bytes.jsonl: CRLF endings, a 2 MB line, a BOM, an empty line, a raw NUL, nesting 5,000
 *   deep, 1e400 and two corrupt ids, between valid events, a duplicate and a late one; the last
 *   line has no line end.
 */
export function largeScenarios(): Record<string, Buffer> {
  const ordinary = (i: number) => ev(`o${i}`, `p${i % 3}`, i % 4 === 0 ? 'click' : 'impression', 1000 + i * 400);
  const twoMb = ev('huge', 'p0', 'click', 5000, { blob: 'y'.repeat(2 * 1024 * 1024) });
  const tooLarge = [
    ...Array.from({ length: 19 }, (_, i) => ordinary(i)),
    twoMb,                                                                        // too_large (2 MB)
    ...Array.from({ length: 19 }, (_, i) => ordinary(19 + i)),
    eventOfBytes('edge', 'p1', 'impression', 16000, MAX_LINE_BYTES),              // valid: exactly the limit
    eventOfBytes('over', 'p1', 'impression', 16000, MAX_LINE_BYTES + 1),          // too_large: one byte over
    Buffer.alloc(MAX_LINE_BYTES, 0x00),                                           // not_json (the largest DLQ record Flink writes)
    Buffer.alloc(MAX_LINE_BYTES, 0xff),                                           // not_utf8
    Buffer.alloc(2 * 1024 * 1024, 0xff),                                          // too_large
  ];
  // expected: 44 lines; dlq 5 (too_large 3, not_json 1, not_utf8 1); valid 39; no duplicates, no late
  const nested = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
  const messy = [
    ev('m1', 'p1', 'impression', 1000),                                           // valid
    `\uFEFF${ev('m2', 'p1', 'impression', 1000)}`,                                // not_json (BOM)
    '',                                                                           // not_json (empty: "\r" here)
    ev('m3', 'p1', 'click', 1500).replace('"p1"', '"p1\u0000"'),                  // not_json (a raw NUL in a string)
    nested,                                                                       // not_json (nesting 5,000 deep)
    ev('m4', 'p1', 'click', 2000).replace('"ts":2000', '"ts":1e400'),             // bad_ts
    twoMb,                                                                        // too_large
    withBytes(ev('x@(', 'p1', 'click', 2500), [0xc3]),                            // not_utf8
    withBytes(ev('x@(', 'p1', 'click', 2500), [0xff]),                            // not_utf8
    ev('m1', 'p1', 'impression', 1000),                                           // duplicate
    ev('m5', 'p2', 'impression', 30000),                                          // valid; closes [0, 10 s)
    ev('m6', 'p1', 'click', 3000),                                                // late
  ];
  // Then a truly empty line ("\n" alone) and m7 without a line end:
  // expected: 14 lines; dlq 9 (not_json 5, bad_ts 1, too_large 1, not_utf8 2); duplicates 1;
  // valid 4 (m1, m5, m6, m7), late 1 (m6); results: p1 [0) imp 1 ctr 0; p2 [30000) imp 1 click 1 ctr 1
  const lastLine = ev('m7', 'p2', 'click', 31000);
  return {
    'too-large.jsonl': fileOf(tooLarge),
    'messy-bytes.jsonl': Buffer.concat([fileOf(messy, '\r\n'), Buffer.from('\n'), Buffer.from(lastLine)]),
  };
}

const large = process.argv.indexOf('--large');
if (main && large > 0) {
  const out = process.argv[large + 1];
  if (!out) throw new Error('--large needs a folder: make-scenarios.ts --large /tmp/scenarios');
  mkdirSync(out, { recursive: true });
  for (const [name, bytes] of Object.entries(largeScenarios())) writeFileSync(join(out, name), bytes);
}
