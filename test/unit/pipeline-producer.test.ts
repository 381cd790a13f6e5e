/** When the windows of a steady stream can close: the freshness a long-running test expects. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closedWindowsAfter, type ProductionLog, windowCloseTimes } from '../../src/pipeline/producer.ts';

const ev = (id: string, ts: number) => JSON.stringify({ event_id: id, user_id: 'u', product_id: 'p', event_type: 'impression', ts });
// Windows [0, 10 s) and [10 s, 20 s); a window closes once a valid ts reaches its end + 5 s.
const lines = [ev('a', 1_000), ev('b', 12_000), 'not json', ev('c', 15_000), ev('d', 25_000)];

test('a window is closed after the line whose ts reaches its end + 5 s (invalid lines do not count)', () => {
  assert.deepEqual(closedWindowsAfter(lines, 3).map((r) => r.window_start), []);
  assert.deepEqual(closedWindowsAfter(lines, 4).map((r) => r.window_start), [0]);
  assert.deepEqual(closedWindowsAfter(lines, 5).map((r) => r.window_start), [0, 10_000]);
});

test('a window could first close at the wall time of the batch that carried that line', () => {
  const log: ProductionLog = { sent: 5, batches: [{ at: 100, sent: 2 }, { at: 200, sent: 4 }, { at: 300, sent: 5 }], done: Promise.resolve(), stop: () => {} };
  assert.deepEqual([...windowCloseTimes(lines, log)], [[0, 200], [10_000, 300]]);
});
