import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CtrResult, DLQ_PREFIX_BYTES, type EventType, MAX_LINE_BYTES } from '../../src/ctr/event.ts';
import { runOracle, splitLines } from '../../src/ctr/oracle.ts';

/** One valid event line. */
function ev(event_id: string, product_id: string, event_type: EventType, ts: number): string {
  return JSON.stringify({ event_id, user_id: 'u1', product_id, event_type, ts });
}
const row = (product_id: string, window_start: number, impressions: number, clicks: number, ctr: number | null): CtrResult => ({ product_id, window_start, impressions, clicks, ctr });

test('window closes exactly at the boundary: window end = watermark -> late', () => {
  // A ts=0 -> window [0, 10000). B ts=15000 -> maxTs 15000, watermark 10000.
  // C ts=9999 is in window [0, 10000): end 10000 <= watermark 10000 -> closed -> C is late.
  const out = runOracle([ev('a', 'p1', 'impression', 0), ev('b', 'p1', 'impression', 15_000), ev('c', 'p1', 'click', 9_999)]);
  assert.deepEqual(out.counts, { produced: 3, valid: 3, dlq: 0, duplicates: 0, late: 1 });
  assert.deepEqual(out.late, [{ line: 3, event: { event_id: 'c', user_id: 'u1', product_id: 'p1', event_type: 'click', ts: 9_999 }, windowStart: 0, watermark: 10_000 }]);
  // C's click is not aggregated: window 0 has A only.
  assert.deepEqual(out.results, [row('p1', 0, 1, 0, 0), row('p1', 10_000, 1, 0, 0)]);
});

test('one ms before the boundary: watermark 9999 < window end 10000 -> not late', () => {
  // B ts=14999 -> watermark 9999; C's window end 10000 <= 9999 is false -> C is aggregated.
  const out = runOracle([ev('a', 'p1', 'impression', 0), ev('b', 'p1', 'impression', 14_999), ev('c', 'p1', 'click', 9_999)]);
  assert.deepEqual(out.counts, { produced: 3, valid: 3, dlq: 0, duplicates: 0, late: 0 });
  assert.deepEqual(out.late, []);
  // window 0: A (impression) + C (click) -> ctr 1/1; window 10000: B.
  assert.deepEqual(out.results, [row('p1', 0, 1, 1, 1), row('p1', 10_000, 1, 0, 0)]);
});

test('the first event is never late, however old (no watermark yet)', () => {
  const out = runOracle([ev('a', 'p1', 'impression', 0)]);
  assert.deepEqual(out.counts, { produced: 1, valid: 1, dlq: 0, duplicates: 0, late: 0 });
  assert.deepEqual(out.results, [row('p1', 0, 1, 0, 0)]);
});

test('a duplicate is dropped but still advances maxTs (watermark is made before dedup)', () => {
  // 1: x ts=0 (maxTs 0). 2: x again, with ts=15000 -> duplicate, dropped, but maxTs = 15000.
  // 3: y ts=9999 -> watermark 10000, window end 10000 <= 10000 -> late.
  const out = runOracle([ev('x', 'p1', 'impression', 0), ev('x', 'p1', 'impression', 15_000), ev('y', 'p1', 'impression', 9_999)]);
  assert.deepEqual(out.counts, { produced: 3, valid: 2, dlq: 0, duplicates: 1, late: 1 });
  assert.deepEqual(out.duplicates, [{ line: 2, event_id: 'x' }]);
  assert.equal(out.late[0]?.line, 3);
  assert.equal(out.late[0]?.watermark, 10_000);
  // only x's first copy is aggregated (window 0); the duplicate's window 10000 gets nothing.
  assert.deepEqual(out.results, [row('p1', 0, 1, 0, 0)]);
});

test('a duplicate of a late event is a duplicate, not a second late event', () => {
  // 1: a ts=20000 -> maxTs 20000. 2: b ts=0 -> watermark 15000 >= window end 10000 -> late.
  // 3: b again -> seen on line 2 (late or not) -> duplicate.
  const out = runOracle([ev('a', 'p1', 'click', 20_000), ev('b', 'p1', 'impression', 0), ev('b', 'p1', 'impression', 0)]);
  assert.deepEqual(out.counts, { produced: 3, valid: 2, dlq: 0, duplicates: 1, late: 1 });
  assert.deepEqual(out.duplicates, [{ line: 3, event_id: 'b' }]);
  assert.deepEqual(out.late.map((l) => [l.line, l.windowStart, l.watermark]), [[2, 0, 15_000]]);
  // a: clicks only -> ctr null.
  assert.deepEqual(out.results, [row('p1', 20_000, 0, 1, null)]);
});

test('invalid lines neither move the watermark nor mark an event_id as seen', () => {
  // 1: a ts=0. 2: b with ts=15000 but event_type "view" -> DLQ; maxTs stays 0.
  // 3: c ts=9999 -> watermark -5000 -> not late. 4: b, now valid -> first valid b, not a duplicate.
  const bad = JSON.stringify({ event_id: 'b', user_id: 'u1', product_id: 'p1', event_type: 'view', ts: 15_000 });
  const out = runOracle([ev('a', 'p1', 'impression', 0), bad, ev('c', 'p1', 'click', 9_999), ev('b', 'p1', 'impression', 1)]);
  assert.deepEqual(out.counts, { produced: 4, valid: 3, dlq: 1, duplicates: 0, late: 0 });
  assert.deepEqual(out.dlq, [{ line: 2, payload: bad, reason: 'bad_event_type' }]);
  // window 0: a, b impressions, c click -> 1/2.
  assert.deepEqual(out.results, [row('p1', 0, 2, 1, 0.5)]);
});

test('a mixed stream, computed by hand', () => {
  const lines = [
    ev('a', 'p1', 'impression', 1_000), // 1: p1 w0 imp. maxTs 1000
    ev('b', 'p1', 'click', 2_000), //      2: p1 w0 click. maxTs 2000
    ev('c', 'p2', 'impression', 3_000), // 3: p2 w0 imp. maxTs 3000
    'garbage', //                          4: DLQ not_json
    ev('a', 'p1', 'impression', 1_000), // 5: duplicate of line 1
    ev('d', 'p1', 'impression', 12_000), //6: p1 w10000 imp. maxTs 12000
    ev('e', 'p1', 'impression', 16_000), //7: p1 w10000 imp. maxTs 16000
    ev('f', 'p2', 'click', 500), //        8: watermark 11000 >= end 10000 -> late
    ev('g', 'p1', 'click', 11_000), //     9: window end 20000 > 11000 -> p1 w10000 click
  ];
  const out = runOracle(lines);
  // produced 9 = valid 7 (a..g) + dlq 1 + duplicates 1; aggregated 6 = valid 7 - late 1.
  assert.deepEqual(out.counts, { produced: 9, valid: 7, dlq: 1, duplicates: 1, late: 1 });
  assert.deepEqual(out.dlq, [{ line: 4, payload: 'garbage', reason: 'not_json' }]);
  assert.deepEqual(out.duplicates, [{ line: 5, event_id: 'a' }]);
  assert.deepEqual(out.late.map((l) => [l.line, l.event.event_id, l.windowStart, l.watermark]), [[8, 'f', 0, 11_000]]);
  assert.deepEqual(out.results, [row('p1', 0, 1, 1, 1), row('p1', 10_000, 2, 1, 0.5), row('p2', 0, 1, 0, 0)]);
});

test('all-invalid input: counts add up, no results', () => {
  const lines = ['', 'x', '[]', '{}', '{"event_id":"e","user_id":"u","product_id":"p","event_type":"click","ts":1.5}'];
  const out = runOracle(lines);
  assert.deepEqual(out.counts, { produced: 5, valid: 0, dlq: 5, duplicates: 0, late: 0 });
  assert.deepEqual(out.results, []);
  assert.deepEqual(out.late, []);
  assert.deepEqual(out.duplicates, []);
  assert.deepEqual(
    out.dlq.map((d) => [d.line, d.reason]),
    [[1, 'not_json'], [2, 'not_json'], [3, 'not_json'], [4, 'bad_event_id'], [5, 'bad_ts']],
  );
});

test('empty input', () => {
  assert.deepEqual(runOracle([]), { counts: { produced: 0, valid: 0, dlq: 0, duplicates: 0, late: 0 }, results: [], dlq: [], late: [], duplicates: [] });
});

test('ctr: null with clicks only, a fraction otherwise', () => {
  // p1 w0: two clicks, no impression -> null. p2 w0: 3 impressions, 1 click -> 1/3.
  const out = runOracle([
    ev('a', 'p1', 'click', 0),
    ev('b', 'p1', 'click', 1),
    ev('c', 'p2', 'impression', 2),
    ev('d', 'p2', 'impression', 3),
    ev('e', 'p2', 'impression', 4),
    ev('f', 'p2', 'click', 5),
  ]);
  assert.deepEqual(out.results, [row('p1', 0, 0, 2, null), row('p2', 0, 3, 1, 1 / 3)]);
});

test('results sorted by product_id with plain < (code units), then window_start numerically', () => {
  // Windows 20000 before 100000 in input (100000 first would make the 20000 ones late).
  // As strings "100000" < "20000": a string sort of window_start would put 100000 first.
  const products = ['é', 'p9', 'b', 'p10', 'a', 'B', '🚀', 'ｚ'];
  const lines = [
    ...products.map((p, i) => ev(`early-${i}`, p, 'impression', 20_000 + i)),
    ...products.map((p, i) => ev(`late-${i}`, p, 'impression', 100_000 + i)),
  ];
  const out = runOracle(lines);
  // UTF-16 code units: 'B' 0x42 < 'a' 0x61 < 'b' < 'p10' < 'p9' ('1' < '9') < 'é' 0xE9 < '🚀' 0xD83D < 'ｚ' 0xFF5A.
  // (localeCompare would put 'é' next to 'e', and '🚀' vs 'ｚ' by code point differs from code units.)
  const order = ['B', 'a', 'b', 'p10', 'p9', 'é', '🚀', 'ｚ'];
  assert.deepEqual(
    out.results.map((r) => [r.product_id, r.window_start]),
    order.flatMap((p) => [[p, 20_000], [p, 100_000]]),
  );
  assert.equal(out.counts.late, 0);
});

test('windows are [start, start + 10 s): ts 9999 and 10000 fall in different windows', () => {
  const out = runOracle([ev('a', 'p', 'impression', 9_999), ev('b', 'p', 'impression', 10_000), ev('c', 'p', 'click', 19_999), ev('d', 'p', 'click', 1_700_000_000_000)]);
  assert.deepEqual(out.results, [row('p', 0, 1, 0, 0), row('p', 10_000, 1, 1, 1), row('p', 1_700_000_000_000, 0, 1, null)]);
});

test('a CRLF file: lines keep their \\r, valid lines are still valid, DLQ keeps the payload', () => {
  const text = `${ev('a', 'p1', 'impression', 0)}\r\nnot json\r\n${ev('b', 'p1', 'click', 1)}\r\n`;
  const lines = splitLines(text);
  assert.equal(lines.length, 3);
  const out = runOracle(lines);
  assert.deepEqual(out.counts, { produced: 3, valid: 2, dlq: 1, duplicates: 0, late: 0 });
  assert.deepEqual(out.dlq, [{ line: 2, payload: 'not json\r', reason: 'not_json' }]);
  assert.deepEqual(out.results, [row('p1', 0, 1, 1, 1)]);
});

test('splitLines: split on \\n, drop one final empty line, keep everything else', () => {
  assert.deepEqual(splitLines(''), []);
  assert.deepEqual(splitLines('a'), ['a']);
  assert.deepEqual(splitLines('a\n'), ['a']);
  assert.deepEqual(splitLines('a\nb'), ['a', 'b']);
  assert.deepEqual(splitLines('a\n\nb\n'), ['a', '', 'b']);
  assert.deepEqual(splitLines('a\n\n'), ['a', '']);
  assert.deepEqual(splitLines('\n'), ['']);
  assert.deepEqual(splitLines('a\r\nb\r\n'), ['a\r', 'b\r']);
  assert.deepEqual(splitLines(' a \n'), [' a ']);
});

test('an empty line in the middle of a file is a DLQ line', () => {
  const out = runOracle(splitLines(`${ev('a', 'p', 'click', 0)}\n\n${ev('b', 'p', 'click', 0)}\n`));
  assert.deepEqual(out.counts, { produced: 3, valid: 2, dlq: 1, duplicates: 0, late: 0 });
  assert.deepEqual(out.dlq, [{ line: 2, payload: '', reason: 'not_json' }]);
});

// Lines are bytes: a file read as bytes, split on "\n"; the byte rules run before the text's.
const corrupt = (head: number[]) => Buffer.concat([Buffer.from('{"event_id":"x'), Buffer.from(head), Buffer.from('(","user_id":"u","product_id":"p","event_type":"click","ts":0}')]);

test('two different corrupt ids that decode to the same text are two not_utf8 lines, not a duplicate', () => {
  const file = Buffer.concat([Buffer.from(`${JSON.stringify({ event_id: 'x\uFFFD(', user_id: 'u', product_id: 'p', event_type: 'impression', ts: 0 })}\n`), corrupt([0xc3]), Buffer.from('\n'), corrupt([0xff]), Buffer.from('\n')]);
  const lines = splitLines(file);
  assert.equal(new TextDecoder().decode(lines[1] as Uint8Array), new TextDecoder().decode(lines[2] as Uint8Array), 'a lossy decoder merges them');
  const out = runOracle(lines);
  assert.deepEqual(out.counts, { produced: 3, valid: 1, dlq: 2, duplicates: 0, late: 0 });
  assert.deepEqual(out.dlq, [
    { line: 2, payload: corrupt([0xc3]).toString('base64'), reason: 'not_utf8' },
    { line: 3, payload: corrupt([0xff]).toString('base64'), reason: 'not_utf8' },
  ]);
  assert.deepEqual(out.results, [row('p', 0, 1, 0, 0)]);
});

test('a too_large line is a DLQ line with its length and a prefix; the lines around it count as usual', () => {
  const big = JSON.stringify({ event_id: 'big', user_id: 'u', product_id: 'p', event_type: 'click', ts: 0, pad: 'y'.repeat(2 * 1024 * 1024) });
  const lines = splitLines(Buffer.from(`${ev('a', 'p', 'impression', 0)}\n${big}\n${ev('b', 'p', 'click', 1)}\n`));
  const out = runOracle(lines);
  assert.deepEqual(out.counts, { produced: 3, valid: 2, dlq: 1, duplicates: 0, late: 0 });
  assert.deepEqual(out.dlq, [{ line: 2, payload: big.slice(0, DLQ_PREFIX_BYTES), reason: 'too_large', bytes: Buffer.byteLength(big) }]);
  assert.deepEqual(out.results, [row('p', 0, 1, 1, 1)]);
});

test('a messy file read as bytes: every line accounted for, produced = valid + dlq + duplicates', () => {
  const text = [
    `\uFEFF${ev('bom', 'p', 'click', 0)}`, // not_json
    '', // not_json (empty line)
    ev('nul', 'p\u0000', 'click', 0).replace('\\u0000', '\u0000'), // not_json (raw NUL in a string)
    `${'['.repeat(5_000)}${']'.repeat(5_000)}`, // not_json (nesting 5,000 deep)
    `{"event_id":"e","user_id":"u","product_id":"p","event_type":"click","ts":1e400}`, // bad_ts
    ev('a', 'p', 'impression', 0), // valid
    ev('a', 'p', 'impression', 0), // duplicate
    'z'.repeat(MAX_LINE_BYTES + 1), // too_large
  ].map((l) => `${l}\r\n`);
  const file = Buffer.concat([Buffer.from(text.join('')), Buffer.from([0x7b, 0xff, 0x7d, 0x0d, 0x0a])]); // + not_utf8
  const out = runOracle(splitLines(file));
  assert.deepEqual(out.counts, { produced: 9, valid: 1, dlq: 7, duplicates: 1, late: 0 });
  assert.deepEqual(out.dlq.map((d) => d.reason), ['not_json', 'not_json', 'not_json', 'not_json', 'bad_ts', 'too_large', 'not_utf8']);
  assert.equal(out.counts.produced, out.counts.valid + out.counts.dlq + out.counts.duplicates);
});

test('windowMs changes the window size (an exercise grade), and the late rule follows it', () => {
  // 5 s windows: A ts=0 -> [0, 5000); B ts=10000 -> watermark 5000; C ts=4999: end 5000 <= 5000 -> late.
  const lines = [ev('a', 'p1', 'impression', 0), ev('b', 'p1', 'impression', 10_000), ev('c', 'p1', 'click', 4_999), ev('d', 'p1', 'click', 7_000)];
  const five = runOracle(lines, { windowMs: 5_000 });
  assert.equal(five.counts.late, 1);
  assert.deepEqual(five.results, [row('p1', 0, 1, 0, 0), row('p1', 5_000, 0, 1, null), row('p1', 10_000, 1, 0, 0)]);
  // The default is the pipeline's 10 s: window [0, 10000) is still open at watermark 5000.
  assert.deepEqual(runOracle(lines).results, runOracle(lines, { windowMs: 10_000 }).results);
  assert.deepEqual(runOracle(lines).results, [row('p1', 0, 1, 2, 2), row('p1', 10_000, 1, 0, 0)]);
  assert.throws(() => runOracle(lines, { windowMs: 0 }), /positive whole number/);
});
