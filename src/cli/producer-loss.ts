/**
 * How many acknowledged records a producer keeps when a broker stops under it (ADR 0107): 4,000
 * keyed records at acks=all, 20 per request, to a fresh 6-partition topic with replication factor 3
 * and min.insync.replicas=2; kafka-2 is stopped once 600 are acknowledged and started again; then
 * the topic's end offsets are counted. On the realistic stack (`npm run stack up --profile realistic`):
 *   npm run bench:producer-loss -- kafkajs-idempotent | kafkajs-plain | java
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners } from 'kafkajs';
import { keyPartition } from '../ctr/partition.ts';
import { bootstrapServers } from '../stack/endpoints.ts';
import { stackBackend } from '../stack/index.ts';
import { createTopicsAt, deleteTopicsAt, kafkaClient, orderedProducer } from '../stack/kafka/client.ts';
import { javaProducer } from '../stack/kafka/java-producer.ts';
import { runCli } from './run.ts';
import { UsageError } from './output.ts';

const KINDS = ['kafkajs-idempotent', 'kafkajs-plain', 'java'] as const;
type Kind = (typeof KINDS)[number];
const N = 4_000;
const BATCH = 20;

runCli(async (argv) => {
  const kind = argv[0] as Kind;
  if (!KINDS.includes(kind)) throw new UsageError(`Name the producer: ${KINDS.join(', ')} (e.g. npm run bench:producer-loss -- java).`);
  const backend = stackBackend('local');
  const ep = backend.endpoints();
  const boot = bootstrapServers(ep);
  if (boot.split(',').length < 3) throw new UsageError('This needs the realistic shape: npm run stack up --profile realistic.');
  const topic = `producer_loss_${kind.replace(/-/g, '_')}_${Date.now() % 1e6}`;
  await createTopicsAt(boot, [{ topic, partitions: 6, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }]);
  const kafka = kafkaClient(boot, { logLevel: 1 });
  const js = kind === 'java' ? undefined : kind === 'kafkajs-idempotent' ? orderedProducer(kafka) : kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  const java = kind === 'java' ? await javaProducer(boot) : undefined;
  await js?.connect();
  let sent = 0;
  let error: string | undefined;
  const drill = (async () => {
    while (sent < 600) await sleep(50);
    await backend.down({ only: ['kafka-2'] });
    console.log(`kafka-2 stopped after ${sent} acknowledged records`);
    await sleep(3_000);
    await backend.up({ services: ['kafka-2'] });
    console.log(`kafka-2 started again after ${sent}`);
  })();
  try {
    for (let i = 0; i < N; i += BATCH) {
      const messages = Array.from({ length: BATCH }, (_, j) => ({ key: `k${(i + j) % 60}`, value: String(i + j) }));
      if (java) {
        java.send(messages.map((m) => ({ topic, ...m, partition: keyPartition(m.key, 6) })));
        await java.sync();
      } else await js?.send({ topic, acks: -1, messages });
      sent = i + BATCH;
      await sleep(10);
    }
  } catch (err) {
    error = (err as Error).message;
  }
  await drill;
  await sleep(10_000);
  const admin = kafka.admin();
  await admin.connect();
  const held = (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
  await admin.disconnect();
  await js?.disconnect();
  await java?.close();
  await deleteTopicsAt(boot, [topic]);
  console.log(`${kind}: ${sent} of ${N} acknowledged, the topic holds ${held}${error ? `; the producer threw: ${error}` : ''}`);
  return held === sent ? 0 : 1;
});
