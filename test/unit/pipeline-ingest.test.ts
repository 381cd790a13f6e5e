/** Ingestion: which line goes where, in which requests, and the input topic's limit. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_LINE_BYTES } from '../../src/ctr/event.ts';
import { dlqRecord, type InputLine } from '../../src/ctr/line.ts';
import { INPUT_MAX_MESSAGE_BYTES, ingestRequests } from '../../src/pipeline/ingest.ts';
import { pipelineNames } from '../../src/pipeline/names.ts';
import { pipelineTopics } from '../../src/pipeline/topics.ts';
import { RECORD_BATCH_HEADER_BYTES, RECORD_HEADER_BYTES, sizedBatches } from '../../src/stack/kafka/client.ts';

const topics = { input_topic: 'in', dlq_topic: 'dlq' };
const small = (i: number) => `{"n":${i}}`;

test('lines that fit go to the input topic in order; each too_large line becomes its DLQ record, in place', () => {
  const big = 'b'.repeat(MAX_LINE_BYTES + 1);
  const bad = Uint8Array.from([0x78, 0xc3, 0x28]);
  const lines: InputLine[] = [small(0), small(1), big, big, bad, small(5)];
  const reqs = ingestRequests(lines, 0, lines.length, topics);
  assert.deepEqual(reqs.map((r) => [r.topic, r.messages.map((m) => m.index), r.end]), [
    ['in', [0, 1], 2],
    ['dlq', [2, 3], 4],
    ['in', [4, 5], 6],
  ]);
  assert.equal(reqs[1]?.messages[0]?.value, JSON.stringify(dlqRecord(big, 'too_large')));
  assert.deepEqual(JSON.parse(reqs[1]?.messages[0]?.value as string), { payload: 'b'.repeat(1_000), reason: 'too_large', bytes: MAX_LINE_BYTES + 1 });
  assert.ok(Buffer.isBuffer(reqs[2]?.messages[0]?.value), 'bytes go as they are');
  assert.deepEqual([...(reqs[2]?.messages[0]?.value as Buffer)], [0x78, 0xc3, 0x28]);
});

test('a line of exactly MAX_LINE_BYTES goes to the input topic; every batch stays within the topic limit', () => {
  const max = 'm'.repeat(MAX_LINE_BYTES);
  const lines = [...Array.from({ length: 50 }, (_, i) => small(i)), max, ...Array.from({ length: 50 }, (_, i) => small(i)), max, max];
  const reqs = ingestRequests(lines, 0, lines.length, topics);
  assert.ok(reqs.every((r) => r.topic === 'in'));
  assert.deepEqual(reqs.flatMap((r) => r.messages.map((m) => m.index)), lines.map((_, i) => i));
  for (const r of reqs) {
    const size = RECORD_BATCH_HEADER_BYTES + r.messages.reduce((n, m) => n + Buffer.byteLength(m.value) + RECORD_HEADER_BYTES, 0);
    assert.ok(size <= INPUT_MAX_MESSAGE_BYTES, `${size} bytes`);
  }
});

test('a slice of the input: only lines [from, to), indexes kept', () => {
  const lines = Array.from({ length: 10 }, (_, i) => small(i));
  assert.deepEqual(ingestRequests(lines, 3, 6, topics).map((r) => [r.messages.map((m) => m.index), r.end]), [[[3, 4, 5], 6]]);
  assert.deepEqual(ingestRequests(lines, 6, 6, topics), []);
});

test('batches stay within the byte budget and the count, a lone item above it goes alone', () => {
  const sizes = [300, 300, 300, 1_000, 10, 10, 10];
  const batches = sizedBatches(sizes, (n) => n, RECORD_BATCH_HEADER_BYTES + 2 * (300 + RECORD_HEADER_BYTES), 3);
  assert.deepEqual(batches, [[300, 300], [300], [1_000], [10, 10, 10]]);
  assert.deepEqual(sizedBatches([], (n: number) => n, 100, 3), []);
  const many = Array.from({ length: 1_200 }, () => 200);
  for (const b of sizedBatches(many, (n) => n, INPUT_MAX_MESSAGE_BYTES, 500)) {
    assert.ok(RECORD_BATCH_HEADER_BYTES + b.reduce((s, n) => s + n + RECORD_HEADER_BYTES, 0) <= INPUT_MAX_MESSAGE_BYTES);
  }
});

test('the pipeline creates its input topic with max.message.bytes from MAX_LINE_BYTES; the sinks keep the default', () => {
  const specs = pipelineTopics(pipelineNames('run1', { internal: { kafka: 'k:9092' } }, 'x'));
  assert.deepEqual(specs[0], { topic: 'run1_events', partitions: 1, configs: { 'max.message.bytes': String(MAX_LINE_BYTES + 1_024) } });
  assert.ok(specs.slice(1).every((s) => s.configs === undefined));
});
