import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_LINE_BYTES } from '../../src/ctr/event.ts';
import { pacedTicks, trafficRequests } from '../../src/pipeline/ingest-traffic.ts';

test('each input line goes with its partition, key and record timestamp, in order; a too_large line becomes its DLQ record', () => {
  const big = `{"x":"${'a'.repeat(MAX_LINE_BYTES)}"}`;
  const lines = [
    { line: 'one', partition: 3, timestamp: 1_700_000_000_000, key: 'p01' },
    { line: 'two', partition: 1, timestamp: 1_700_000_000_005, key: 'p02' },
    { line: big, partition: 2, timestamp: 1_700_000_000_006, key: 'p03' },
    { line: 'three', partition: 3, timestamp: 1_700_000_000_007, key: 'p01' },
  ];
  const requests = trafficRequests(lines, { input_topic: 'in', dlq_topic: 'dlq' });
  assert.deepEqual(requests.map((r) => r.topic), ['in', 'dlq', 'in']);
  assert.deepEqual(requests[0]?.messages, [
    { key: 'p01', value: 'one', partition: 3, timestamp: '1700000000000' },
    { key: 'p02', value: 'two', partition: 1, timestamp: '1700000000005' },
  ]);
  const dlq = JSON.parse(String(requests[1]?.messages[0]?.value)) as { reason: string; bytes: number };
  assert.equal(dlq.reason, 'too_large');
  assert.equal(dlq.bytes, big.length);
  assert.deepEqual(requests[2]?.messages, [{ key: 'p01', value: 'three', partition: 3, timestamp: '1700000000007' }]);
});

test('a paced replay sends each line in the tick its record timestamp falls in, scaled by the speedup; idle ticks stay', () => {
  const at = (timestamp: number) => ({ timestamp });
  // speedup 10, ticks of 100 ms = 1 s of event time each: offsets 0 and 999 ms in tick 0, 2000 in tick 2, 5500 in tick 5.
  assert.deepEqual(pacedTicks([at(1000), at(1999), at(3000), at(6500)], 10, 100), [[0, 1], [], [2], [], [], [3]]);
  assert.deepEqual(pacedTicks([], 10, 100), []);
  assert.throws(() => pacedTicks([at(2), at(1)], 1, 100), /line 2's record timestamp goes back/);
  assert.throws(() => pacedTicks([at(1)], 0, 100), /speedup/);
});
