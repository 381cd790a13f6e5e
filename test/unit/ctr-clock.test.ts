import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALLOWED_CLOCK_SKEW_MS, isFutureTs } from '../../src/ctr/clock.ts';
import { WATERMARK_DELAY_MS } from '../../src/ctr/event.ts';
import { runOracle } from '../../src/ctr/oracle.ts';
import { FUTURE_TS_BOUNDARY_CASES } from '../../src/pipeline/clock/boundary-cases.ts';

const ev = (event_id: string, ts: number) => JSON.stringify({ event_id, user_id: 'u', product_id: 'p', event_type: 'impression', ts });

test('the allowed skew is the watermark delay, and the rule is strict: exactly the skew ahead is valid', () => {
  assert.equal(ALLOWED_CLOCK_SKEW_MS, WATERMARK_DELAY_MS);
  assert.equal(isFutureTs(15_000, 10_000), false);
  assert.equal(isFutureTs(15_001, 10_000), true);
  assert.equal(isFutureTs(15_001, 10_000, 5_001), false);
  assert.equal(isFutureTs(10 ** 14, undefined), false, 'no record timestamp: the rule does not apply');
});

test('the oracle applies future_ts only when given the record timestamps (phase 1 is unchanged without them)', () => {
  const lines = FUTURE_TS_BOUNDARY_CASES.map((c) => c.line.line);
  const recordTimestamps = FUTURE_TS_BOUNDARY_CASES.map((c) => c.line.timestamp);
  const withRule = runOracle(lines, { clock: { recordTimestamps } });
  const reasons = new Map(withRule.dlq.map((d) => [d.line, d.reason]));
  FUTURE_TS_BOUNDARY_CASES.forEach((c, i) => assert.equal(reasons.get(i + 1) ?? 'valid', c.expected, `line ${i + 1}: ${c.why}`));
  const without = runOracle(lines);
  assert.deepEqual(without.dlq.map((d) => d.reason), ['bad_ts']);
  assert.equal(without.counts.duplicates, 1, 'without the rule b3 is seen first, so its second line is a duplicate');
  assert.equal(withRule.counts.duplicates, 0);
});

test('a future_ts line neither moves the watermark nor marks its id seen; its DLQ payload is the line', () => {
  const lines = [ev('a', 1_000), ev('far', 10 ** 13), ev('b', 2_000), ev('far', 3_000)];
  const recordTimestamps = [1_000, 1_000, 2_000, 3_000];
  const on = runOracle(lines, { clock: { recordTimestamps } });
  assert.deepEqual(on.dlq, [{ line: 2, payload: lines[1], reason: 'future_ts' }]);
  assert.equal(on.counts.late, 0);
  assert.equal(on.counts.duplicates, 0);
  assert.equal(on.counts.valid, 3);
  const off = runOracle(lines);
  assert.equal(off.counts.late, 1, 'without the rule the far event moves the watermark and b is late');
  assert.equal(off.counts.duplicates, 1);
});

test('the oracle refuses record timestamps that do not match the lines, and a bad skew', () => {
  assert.throws(() => runOracle([ev('a', 1)], { clock: { recordTimestamps: [] } }), /1 lines/);
  assert.throws(() => runOracle([ev('a', 1)], { clock: { recordTimestamps: [1], allowedSkewMs: -1 } }), /skew/);
  assert.throws(() => runOracle([ev('a', 1)], { clock: { recordTimestamps: [1], allowedSkewMs: 0.5 } }), /skew/);
});
