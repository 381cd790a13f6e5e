import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRow, idleReadDurations } from '../../src/bench/kafka-engine/probe.ts';

test('idle reads: only the reads that committed nothing, from a trace log of 18.16', () => {
  const log = [
    '2026.11.27 21:53:11.460682 [ 23 ] {} <Trace> StorageKafka (k): Committing 0 messages',
    '2026.11.27 21:53:11.460772 [ 23 ] {} <Trace> StorageKafka (k): Execution took 2509 ms.',
    '2026.11.27 21:53:11.960900 [ 24 ] {} <Debug> StorageKafka (k): Started streaming to 1 attached views',
    '2026.11.27 21:53:13.962400 [ 24 ] {} <Trace> StorageKafka (k): Committing 8 messages',
    '2026.11.27 21:53:13.988862 [ 24 ] {} <Trace> StorageKafka (k): Execution took 2027 ms.',
    '2026.11.27 21:53:16.985838 [ 25 ] {} <Trace> StorageKafka (k): Committing 0 messages',
    '2026.11.27 21:53:16.985953 [ 25 ] {} <Trace> StorageKafka (k): Execution took 2500 ms.',
  ].join('\n');
  assert.deepEqual(idleReadDurations(log), [2509, 2500]);
});

test('rows in each format carry the same two columns', () => {
  assert.equal(encodeRow('JSONEachRow', 7, 9), '{"id":7,"sent":9}');
  assert.equal(encodeRow('CSV', 7, 9), '7,9');
  assert.equal(encodeRow('TabSeparated', 7, 9), '7\t9');
});
