/**
 * read_committed on a real broker, with two writers' transactions interleaved in one partition and
 * both aborted, as a restore leaves them when it aborts two Flink sink subtasks' transactions. The
 * broker lists aborted transactions in the order they ended, so the one that began first comes
 * second; kafkajs 2.2.4 then handed the application that transaction's first record (one extra
 * DLQ record after phase 5's TaskManager kill). The project patches kafkajs (ADR 0109); this
 * test fails without the patch (test/unit/kafka-aborted-filter.test.ts isolates the filter).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';
import { createTrackedTopics } from '../../src/pipeline/topics.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';
import { consumeAll, kafkaClient } from '../../src/stack/kafka/client.ts';
import { TrackedResources } from '../../src/stack/resources.ts';

const topic = `aborted_read_${Date.now().toString(36)}`;
const log = (line: string) => process.stdout.write(`# ${line}\n`);
const track = new TrackedResources();
let stack: EnsuredStack;

before(async () => {
  stack = await ensureStack(stackBackend(), { listener: (e) => log(formatStackEvent(e)) });
});

after(async () => {
  const errors = stack ? await track.remove(stack.endpoints) : [];
  await stack?.release();
  assert.deepEqual(errors, [], 'the test removed the topic it created');
});

test('read_committed skips every record of two interleaved aborted transactions and keeps the committed ones', async () => {
  await createTrackedTopics(stack.endpoints, [{ topic, partitions: 1 }], track);
  const kafka = kafkaClient(stack.endpoints.kafka);
  const writer = (id: string) => kafka.producer({ transactionalId: `${topic}-${id}`, idempotent: true, maxInFlightRequests: 1 });
  const [a, b, c] = [writer('a'), writer('b'), writer('c')];
  await Promise.all([a.connect(), b.connect(), c.connect()]);
  try {
    const send = (t: Awaited<ReturnType<typeof a.transaction>>, value: string) => t.send({ topic, messages: [{ value }] });
    // Offsets: a1 0, b1 1, a2 2, b2 3, B's abort marker 4, a3 5, A's marker 6, c1 7, its commit marker.
    const ta = await a.transaction();
    await send(ta, 'a1');
    const tb = await b.transaction();
    await send(tb, 'b1');
    await send(ta, 'a2');
    await send(tb, 'b2');
    await tb.abort();
    await send(ta, 'a3');
    await ta.abort();
    const tc = await c.transaction();
    await send(tc, 'c1');
    await tc.commit();
  } finally {
    await Promise.all([a.disconnect(), b.disconnect(), c.disconnect()]);
  }
  const values = async (readUncommitted: boolean) => (await consumeAll(kafka, topic, { readUncommitted, idleMs: 2_000 })).map((m) => m.value);
  // The log holds every record (so the aborts really interleaved)...
  assert.deepEqual(await values(true), ['a1', 'b1', 'a2', 'b2', 'a3', 'c1']);
  // ...and a read_committed reader sees only the committed one.
  assert.deepEqual(await values(false), ['c1']);
});
