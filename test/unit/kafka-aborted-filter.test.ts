import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

// The read_committed filter inside kafkajs (patched: patches/kafkajs+*.patch, ADR 0109). These
// tests feed it fetch responses shaped as a Kafka broker sends them, so they fail on the
// unpatched library; test/stack/kafka-aborted-read.test.ts shows the same on a real broker.
interface Message {
  offset: string;
  key: Buffer | null;
  batchContext: { producerId: string; inTransaction: boolean };
  isControlRecord: boolean;
}
interface Aborted {
  producerId: string;
  firstOffset: string;
}
type Filter = (input: { messages: Message[]; abortedTransactions: Aborted[] }) => Message[];
const filterAbortedMessages = createRequire(import.meta.url)('kafkajs/src/consumer/filterAbortedMessages') as Filter;

const ABORT_KEY = Buffer.from([0, 0, 0, 0]);
const data = (offset: number, producerId: string): Message => ({ offset: String(offset), key: null, batchContext: { producerId, inTransaction: true }, isControlRecord: false });
const abortMarker = (offset: number, producerId: string): Message => ({ offset: String(offset), key: ABORT_KEY, batchContext: { producerId, inTransaction: true }, isControlRecord: true });
/** What a consumer hands the application: the filter's output without control records (as kafkajs' Batch does). */
const delivered = (messages: Message[], abortedTransactions: Aborted[]): number[] =>
  filterAbortedMessages({ messages, abortedTransactions })
    .filter((m) => !m.isControlRecord)
    .map((m) => Number(m.offset));

// Two writers' transactions interleave in one partition, as two Flink sink subtasks' do when a
// restore aborts both: A begins at 10, B at 11; B aborts first (marker 14), then A (marker 16).
// C's transaction commits. The broker lists aborted transactions in the order they ended
// (its transaction index), so B comes before A.
const LOG = [data(10, 'A'), data(11, 'B'), data(12, 'A'), data(13, 'B'), abortMarker(14, 'B'), data(15, 'A'), abortMarker(16, 'A'), data(17, 'C')];
const ABORTED_IN_INDEX_ORDER: Aborted[] = [
  { producerId: 'B', firstOffset: '11' },
  { producerId: 'A', firstOffset: '10' },
];

test('read_committed skips every record of two interleaved aborted transactions, listed in the order they ended', () => {
  assert.deepEqual(delivered(LOG, ABORTED_IN_INDEX_ORDER), [17]);
});

test('a fetch that starts inside two aborted transactions skips both from its first record, whoever wrote it', () => {
  // The broker lists every aborted transaction that overlaps the fetch, so both begin before it.
  assert.deepEqual(delivered(LOG.slice(2), ABORTED_IN_INDEX_ORDER), [17], 'fetch from offset 12 (A)');
  assert.deepEqual(delivered(LOG.slice(3), ABORTED_IN_INDEX_ORDER), [17], 'fetch from offset 13 (B)');
});

test('records of a committed transaction and of a producer that aborted later are kept', () => {
  const log = [data(0, 'A'), data(1, 'C'), data(2, 'A'), abortMarker(3, 'A'), data(4, 'C'), data(5, 'A'), abortMarker(6, 'A')];
  // A aborted twice: at 0-3 and at 5-6. C committed at 1 and 4.
  assert.deepEqual(
    delivered(log, [
      { producerId: 'A', firstOffset: '0' },
      { producerId: 'A', firstOffset: '5' },
    ]),
    [1, 4],
  );
});
