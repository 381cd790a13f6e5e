/**
 * How fast can load get into Kafka at all, with no pipeline running? The lab's generator alone
 * (unthrottled), and, for the ADR's comparison, two alternatives: Kafka's own producer benchmark
 * (ProducerPerformance, same jars; random bytes, so it cannot carry wall-clock event times) and a
 * tuned kafkajs producer in this Node process.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { kafkaClient } from '../../src/stack/kafka/client.ts';
import { kafkaJars } from '../../src/stack/kafka/service.ts';
import { failureLines, sh } from '../../src/stack/shell.ts';
import type { GenStatus, LoadGenerator } from './generator.ts';
import type { StackBackend } from '../../src/stack/backend.ts';
import { cpuNow, round } from './sampler.ts';

export interface GeneratorMax {
  events: number;
  ms: number;
  events_per_s: number;
  cpu_s_per_million: Record<string, number>;
}

/**
 * Runs the generator unthrottled for `seconds` and measures acknowledged records per second
 * between its status lines (the first second, JVM warm-up, excluded), then pauses it and waits
 * until every record sent is acknowledged.
 */
export async function generatorMax(stack: StackBackend, gen: LoadGenerator, seconds: number, signal: AbortSignal): Promise<GeneratorMax> {
  const cpu0 = await cpuNow(stack, gen.pid);
  gen.setRate('max');
  await sleep(1_500, undefined, { signal });
  const a = gen.status as GenStatus;
  await sleep(seconds * 1000, undefined, { signal });
  const b = gen.status as GenStatus;
  gen.setRate(0);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const s = gen.status as GenStatus;
    if (s.acked + s.errors >= s.events + s.dups) break;
    await sleep(200);
  }
  const cpu1 = await cpuNow(stack, gen.pid);
  const events = b.acked - a.acked;
  const ms = b.t - a.t;
  const total = (gen.status as GenStatus).acked;
  const cpu: Record<string, number> = {};
  for (const k of ['generator', 'kafka']) if (cpu0[k] !== undefined && cpu1[k] !== undefined) cpu[k] = round((((cpu1[k] as number) - (cpu0[k] as number)) / total) * 1e6, 2);
  return { events, ms, events_per_s: Math.round(events / (ms / 1000)), cpu_s_per_million: cpu };
}

/** Kafka's ProducerPerformance with the generator's producer settings and record size. */
export async function producerPerfMax(brokers: string, topic: string, recordSize: number, records: number): Promise<number> {
  const cp = join((await kafkaJars()).dir, '*');
  const props = [`bootstrap.servers=${brokers}`, 'acks=all', 'enable.idempotence=true', 'linger.ms=5', 'batch.size=131072', 'compression.type=none', 'buffer.memory=67108864'];
  const out = await sh`java -Xmx256m -cp ${cp} org.apache.kafka.tools.ProducerPerformance --topic ${topic} --num-records ${records} --record-size ${recordSize} --throughput -1 --producer-props ${props}`.timeout(120_000);
  if (!out.ok) throw new Error(`ProducerPerformance failed:\n${failureLines(out)}`);
  const stdout = out.stdout;
  // The last line is the summary: "N records sent, X records/sec (Y MB/sec), ..."
  const last = stdout.trim().split('\n').filter((l) => /records sent/.test(l)).pop() ?? '';
  const m = /(\d+) records sent, ([\d.]+) records\/sec/.exec(last);
  if (!m) throw new Error(`ProducerPerformance printed no summary: ${last.slice(0, 200)}`);
  return Math.round(Number(m[2]));
}

/**
 * A tuned Node producer (kafkajs, acks=1, batches of 1000 lines, 5 requests in flight): how far
 * the lab could go without a JVM generator. It shares the lab's own event loop.
 */
export async function kafkajsMax(brokers: string, topic: string, seconds: number): Promise<number> {
  const producer = kafkaClient(brokers).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let acked = 0;
  let seq = 0;
  const t0 = Date.now();
  const end = t0 + seconds * 1000;
  const lane = async () => {
    while (Date.now() < end) {
      const messages = [];
      for (let i = 0; i < 1000; i++, seq++) {
        const ts = Date.now();
        messages.push({ value: `{"event_id":"kjs-${seq.toString(36)}","user_id":"u${seq % 100_000}","product_id":"p${String((seq * 7919) % 1000).padStart(4, '0')}","event_type":"impression","ts":${ts}}` });
      }
      await producer.send({ topic, acks: 1, messages });
      acked += messages.length;
    }
  };
  try {
    await Promise.all([lane(), lane(), lane(), lane(), lane()]);
  } finally {
    await producer.disconnect();
  }
  return Math.round(acked / ((Date.now() - t0) / 1000));
}
