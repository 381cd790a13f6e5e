/**
 * Ingestion of partitioned traffic (src/ctr/realistic.ts): each line to its partition, with its key
 * and the record timestamp the oracle was given, so Kafka holds exactly what the oracle saw.
 * Lines keep their order within each partition (one request in flight, acks=all, idempotent);
 * a too_large line's DLQ record goes to the DLQ topic, as ingest.ts does for every lab.
 * ingestTraffic sends it all at once (a backlog); replayTraffic paces it by its record timestamps,
 * so partitions interleave as they arrive and an idle partition is idle in wall-clock time too (a
 * backlog on several partitions may leave nothing late: a fetch can return a whole partition).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import type { TrafficLine } from '../ctr/realistic.ts';
import { orderedProducer } from '../stack/kafka/client.ts';
import { javaProducer } from '../stack/kafka/java-producer.ts';
import { type IngestResult, type IngestTopics, ingestRequests } from './ingest.ts';

/** One produce request as kafkajs takes it: timestamps are strings of epoch ms. */
export interface TrafficRequest {
  topic: string;
  messages: { key?: string; value: string | Buffer; partition?: number; timestamp?: string }[];
}

/** The produce requests for `lines`, in order: input lines with partition, key and timestamp; DLQ records as ingest.ts writes them. */
export function trafficRequests(lines: readonly TrafficLine[], topics: IngestTopics): TrafficRequest[] {
  return ingestRequests(lines.map((l) => l.line), 0, lines.length, topics).map((r) => ({
    topic: r.topic,
    messages: r.messages.map((m) => {
      const l = lines[m.index] as TrafficLine;
      return r.topic === topics.input_topic ? { key: l.key, value: m.value, partition: l.partition, timestamp: String(l.timestamp) } : { value: m.value };
    }),
  }));
}

export async function ingestTraffic(kafka: Kafka, topics: IngestTopics, lines: readonly TrafficLine[]): Promise<IngestResult> {
  const t0 = Date.now();
  let tooLarge = 0;
  const producer = orderedProducer(kafka);
  await producer.connect();
  try {
    for (const r of trafficRequests(lines, topics)) {
      if (r.topic !== topics.input_topic) tooLarge += r.messages.length;
      await producer.send({ topic: r.topic, acks: -1, messages: r.messages });
    }
  } finally {
    await producer.disconnect();
  }
  return { count: lines.length, tooLarge, ms: Date.now() - t0 };
}

/**
 * Line indices per tick for a replay `speedup` times faster than the record timestamps: tick k
 * (k = 0, 1, ...) holds the lines with (timestamp - first timestamp) / speedup in [k, k + 1) *
 * tickMs. Empty ticks stay (an idle stretch takes its time). Record timestamps must not go back.
 */
export function pacedTicks(lines: readonly Pick<TrafficLine, 'timestamp'>[], speedup: number, tickMs: number): number[][] {
  if (!(speedup > 0) || !(tickMs > 0)) throw new RangeError(`speedup and tickMs must be > 0, got ${speedup} and ${tickMs}`);
  const ticks: number[][] = [];
  const first = lines[0]?.timestamp ?? 0;
  lines.forEach((l, i) => {
    if (i > 0 && l.timestamp < (lines[i - 1] as TrafficLine).timestamp) throw new RangeError(`line ${i + 1}'s record timestamp goes back: pace only traffic in arrival order`);
    const k = Math.floor((l.timestamp - first) / speedup / tickMs);
    while (ticks.length <= k) ticks.push([]);
    (ticks[k] as number[]).push(i);
  });
  return ticks;
}

export interface ReplayOptions {
  /** Event time runs this many times faster than wall-clock time. */
  speedup: number;
  tickMs?: number;
  signal?: AbortSignal;
  /** Called after each tick with the lines sent so far. */
  onTick?: (sent: number) => void;
  /**
   * Called once the producer is ready; the first tick waits for its promise (a job to start
   * reading, so its first records arrive as the traffic begins, not as a backlog).
   */
  beforeStart?: () => Promise<unknown>;
}

/** Sends one tick's produce requests and resolves once they are acknowledged. */
type SendTick = (requests: readonly TrafficRequest[]) => Promise<void>;

/** The traffic paced by its record timestamps (pacedTicks), each tick sent through `send`. */
async function pacedReplay(send: SendTick, topics: IngestTopics, lines: readonly TrafficLine[], o: ReplayOptions): Promise<IngestResult> {
  const tickMs = o.tickMs ?? 100;
  const ticks = pacedTicks(lines, o.speedup, tickMs);
  await o.beforeStart?.();
  const t0 = Date.now();
  let tooLarge = 0;
  let sent = 0;
  for (const [k, tick] of ticks.entries()) {
    o.signal?.throwIfAborted();
    if (tick.length > 0) {
      const requests = trafficRequests(tick.map((i) => lines[i] as TrafficLine), topics);
      for (const r of requests) if (r.topic !== topics.input_topic) tooLarge += r.messages.length;
      await send(requests);
      sent += tick.length;
    }
    o.onTick?.(sent);
    const wait = t0 + (k + 1) * tickMs - Date.now();
    if (wait > 0) await sleep(wait, undefined, o.signal ? { signal: o.signal } : {});
  }
  return { count: lines.length, tooLarge, ms: Date.now() - t0 };
}

/** Produces the traffic paced by its record timestamps (pacedTicks), each line as ingestTraffic sends it. */
export async function replayTraffic(kafka: Kafka, topics: IngestTopics, lines: readonly TrafficLine[], o: ReplayOptions): Promise<IngestResult> {
  const producer = orderedProducer(kafka);
  await producer.connect();
  try {
    return await pacedReplay(async (requests) => {
      for (const r of requests) await producer.send({ topic: r.topic, acks: -1, messages: r.messages });
    }, topics, lines, o);
  } finally {
    await producer.disconnect();
  }
}

/**
 * replayTraffic through Kafka's Java client (src/stack/kafka/java-producer.ts): for a replay during
 * which a broker stops. Each tick is acknowledged (acks=all) before the next is sent.
 */
export async function replayTrafficJava(brokers: string, topics: IngestTopics, lines: readonly TrafficLine[], o: ReplayOptions): Promise<IngestResult> {
  const producer = await javaProducer(brokers);
  try {
    const result = await pacedReplay(async (requests) => {
      producer.send(requests.flatMap((r) => r.messages.map((m) => ({ topic: r.topic, value: m.value, ...(m.key === undefined ? {} : { key: m.key }), ...(m.partition === undefined ? {} : { partition: m.partition }), ...(m.timestamp === undefined ? {} : { timestamp: Number(m.timestamp) }) }))));
      await producer.sync();
    }, topics, lines, o);
    await producer.close();
    return result;
  } catch (err) {
    await producer.close().catch(() => {});
    throw err;
  }
}
