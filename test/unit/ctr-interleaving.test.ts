import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interleave } from '../../src/ctr/interleaving.ts';
import { runOracle } from '../../src/ctr/oracle.ts';

const ev = (event_id: string, product_id: string, ts: number) => JSON.stringify({ event_id, user_id: 'u', product_id, event_type: 'impression', ts });

test('with a watermark per partition, a partition that has not started holds it back; one read to its end no longer does', () => {
  // Partition 0 runs ahead to 30 s; partition 1 starts later at 1 s. Numbers by hand:
  // line 3 (p1, ts 1000): partition 1 had nothing yet -> no watermark -> on time (one order: late, 30000 - 5000 >= 10000).
  // line 4 (p1, ts 2000): watermark = min(30000, 1000) - 5000 < 10000 -> on time.
  // line 5 (p0, ts 3000): partition 1 is done (its last line was 4) -> watermark = 30000 - 5000 -> window [0,10000) closed -> late.
  const lines = [ev('a', 'x', 0), ev('b', 'x', 30_000), ev('c', 'y', 1_000), ev('d', 'y', 2_000), ev('e', 'x', 3_000)];
  const partitions = [0, 0, 1, 1, 0];
  const perPartition = runOracle(lines, { partitions });
  assert.deepEqual(perPartition.late.map((l) => [l.event.event_id, l.watermark]), [['e', 25_000]]);
  assert.deepEqual(runOracle(lines).late.map((l) => l.event.event_id), ['c', 'd', 'e']);
  assert.deepEqual(runOracle(lines, { everyEventOnTime: true }).late, []);
  assert.equal(runOracle(lines, { everyEventOnTime: true }).results.reduce((n, r) => n + r.impressions, 0), 5);
  assert.throws(() => runOracle(lines, { partitions: [0] }), /1 partitions for 5 lines/);
});

test('an interleaving keeps each partition\'s order, holds every line once, and depends only on the seed', () => {
  const partitions = [0, 1, 0, 2, 1, 0, 2, 2, 1, 0, 0, 1];
  const order = interleave(partitions, 5, 3);
  assert.deepEqual([...order].sort((a, b) => a - b), partitions.map((_, i) => i));
  for (const p of [0, 1, 2]) {
    const mine = order.filter((i) => partitions[i] === p);
    assert.deepEqual(mine, [...mine].sort((a, b) => a - b));
  }
  assert.deepEqual(interleave(partitions, 5, 3), order);
  assert.notDeepEqual(interleave(partitions, 6, 3), order);
});
