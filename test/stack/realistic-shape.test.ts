/**
 * The realistic shape (ADR 0091, 0092) on the running stack, real services only: the extras
 * (kafka-2, kafka-3, flink-taskmanager-2) start beside whatever runs; the metadata shows three
 * brokers and a 6-partition topic with three copies in sync; a producer with acks=all writes;
 * one broker-only node stops (node 1 is the controller) and the same producer path writes again
 * with two copies in sync; the JobManager counts two TaskManagers and their slots. The extras
 * this test started are stopped at the end, so the default stack is as it was (under `npm test`
 * the smoke test, next in this folder, counts the default services).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';
import { REALISTIC_TOPIC, createReplicatedTopics, replicatedTopic, topicReplication } from '../../src/pipeline/replicated-topics.ts';
import { bootstrapServers } from '../../src/stack/endpoints.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';
import { consumeAll, deleteTopicsAt, describeBroker, endOffsetSum, kafkaClient, produceLines } from '../../src/stack/kafka/client.ts';
import { REALISTIC_EXTRA_NAMES } from '../../src/stack/service.ts';

const log = (line: string) => process.stdout.write(`# ${line}\n`);
const topic = `realistic_${Date.now().toString(36)}`;
const N = 600;
const t0 = Date.now();
const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
let stack: EnsuredStack;
let created = false;

before(async () => {
  // The default TaskManager too: the count of two needs it (under npm test it already runs).
  stack = await ensureStack(stackBackend('local'), { services: ['flink-taskmanager', ...REALISTIC_EXTRA_NAMES], listener: (e) => log(formatStackEvent(e)) });
  log(`extras up at ${at()} (started now: ${stack.startedNow.join(', ') || 'none'})`);
});

after(async () => {
  if (created && stack) await deleteTopicsAt(bootstrapServers(stack.endpoints), [topic]);
  // A broker that ran before this test runs after it too; what the test started, it stops.
  if (stack && !stack.startedNow.includes('kafka-3')) await stack.backend.up({ services: ['kafka-3'] });
  await stack?.release();
  log(`extras stopped at ${at()}`);
});

const lines = (from: number) => Array.from({ length: N }, (_, i) => JSON.stringify({ n: from + i }));
const byKey = (_line: unknown, i: number) => `k${i % 60}`;

async function isrSizes(brokers: string): Promise<number[]> {
  return (await topicReplication(brokers, topic)).map((p) => p.isr.length);
}

test('three brokers, a 6-partition topic with three copies in sync, acks=all survives one broker stop', async () => {
  const bootstrap = bootstrapServers(stack.endpoints);
  assert.equal(bootstrap.split(',').length, 3, `the bootstrap list names three brokers: ${bootstrap}`);
  const cluster = await describeBroker(bootstrap);
  assert.deepEqual(cluster.brokers.map((b) => b.nodeId).sort(), [1, 2, 3], 'the metadata lists brokers 1, 2 and 3');

  created = true;
  await createReplicatedTopics(stack.endpoints, [replicatedTopic(topic)]);
  const before = await topicReplication(bootstrap, topic);
  assert.equal(before.length, REALISTIC_TOPIC.partitions, 'six partitions');
  for (const p of before) {
    assert.deepEqual(p.replicas, [1, 2, 3], `partition ${p.partition} has a copy on every broker`);
    assert.deepEqual(p.isr, [1, 2, 3], `partition ${p.partition} has all three copies in sync`);
  }
  const admin = kafkaClient(bootstrap).admin();
  await admin.connect();
  try {
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }], includeSynonyms: false });
    assert.equal(configs.resources[0]?.configEntries[0]?.configValue, '2', 'min.insync.replicas=2');

    await produceLines(kafkaClient(bootstrap), topic, lines(0), { key: byKey });
    log(`${N} records written with acks=all at ${at()}`);

    // kafka-3 is broker-only (node 1 is the only controller): stopping it leaves the quorum whole.
    await stack.backend.down({ only: ['kafka-3'] });
    log(`kafka-3 stopped at ${at()}`);
    const deadline = Date.now() + 30_000;
    while ((await isrSizes(bootstrap)).some((n) => n !== 2)) {
      assert.ok(Date.now() < deadline, `the ISR did not shrink to two copies within 30 s: ${(await isrSizes(bootstrap)).join(',')}`);
      await sleep(200);
    }
    for (const p of await topicReplication(bootstrap, topic)) {
      assert.deepEqual(p.isr, [1, 2], `partition ${p.partition}: brokers 1 and 2 in sync after broker 3 stopped`);
      assert.notEqual(p.leader, 3, `partition ${p.partition} is led by a running broker`);
    }

    // The same bootstrap list (it still names the stopped broker) and acks=all: min ISR 2 is met.
    await produceLines(kafkaClient(bootstrap), topic, lines(N), { key: byKey });
    log(`${N} more records written with acks=all, two copies in sync, at ${at()}`);
    assert.equal(await endOffsetSum(admin, topic), 2 * N, 'every record of both writes is in the topic');
    const read = await consumeAll(kafkaClient(bootstrap), topic, { expected: 2 * N, timeoutMs: 30_000 });
    assert.deepEqual(new Set(read.map((m) => (JSON.parse(m.value) as { n: number }).n)).size, 2 * N, 'each record read back once');
    assert.equal(new Set(read.map((m) => m.partition)).size, REALISTIC_TOPIC.partitions, 'the keys spread over all six partitions');
  } finally {
    await admin.disconnect();
  }
});

test('the JobManager counts two TaskManagers and four slots', async () => {
  const overview = await new FlinkRestClient(stack.endpoints.flinkRest, 5_000).overview();
  assert.equal(overview.taskmanagers, 2, 'two TaskManagers registered');
  assert.equal(overview.slotsTotal, 4, 'two slots each');
});
