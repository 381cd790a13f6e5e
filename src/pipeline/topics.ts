/**
 * The pipeline's Kafka topics: which there are, creating them (each registered for removal), and
 * reading them back whole.
 */
import type { Admin, Kafka } from 'kafkajs';
import type { Endpoints } from '../stack/backend.ts';
import { consumeAll, createTopicsAt, type TopicSpec, topicOffsetSpan } from '../stack/kafka/client.ts';
import type { ResourceTracker } from '../stack/resources.ts';
import { INPUT_MAX_MESSAGE_BYTES } from './ingest.ts';
import type { PipelineNames } from './names.ts';
import { SINKS, type Sink } from './render.ts';

/**
 * The input topic (`inputPartitions` partitions; left out when null: a shared input another part
 * of the lab owns) and one topic per sink, one partition each: a replay keeps its order and the
 * watermark never waits for an idle partition. The input topic refuses batches over
 * INPUT_MAX_MESSAGE_BYTES: lines up to MAX_LINE_BYTES, the pipeline's limit (ingest.ts).
 */
export function pipelineTopics(v: PipelineNames, o: { inputPartitions?: number | null; sinks?: readonly Sink[] } = {}): TopicSpec[] {
  const input = o.inputPartitions === null ? [] : [{ topic: v.input_topic, partitions: o.inputPartitions ?? 1, configs: { 'max.message.bytes': String(INPUT_MAX_MESSAGE_BYTES) } }];
  return [...input, ...(o.sinks ?? SINKS).map((s) => ({ topic: v[`${s}_topic`] as string, partitions: 1 }))];
}

/** Creates topics (waiting for their leaders), each tracked first. */
export async function createTrackedTopics(ep: Pick<Endpoints, 'kafka'>, specs: readonly TopicSpec[], track?: ResourceTracker): Promise<void> {
  for (const s of specs) track?.topic(s.topic);
  await createTopicsAt(ep.kafka, specs);
}

/** Reads a whole topic as JSON values: `admin` counts its offsets (at-least-once topics: one per record), then exactly that many are read. */
export async function readJsonTopic<T>(kafka: Kafka, admin: Admin, topic: string, timeoutMs = 60_000): Promise<T[]> {
  const n = await topicOffsetSpan(admin, topic);
  if (n === 0) return [];
  return (await consumeAll(kafka, topic, { expected: n, timeoutMs })).map((m) => JSON.parse(m.value) as T);
}

/**
 * Reads a whole topic with the given isolation level until it has been quiet for `idleMs`: with
 * transactional writers the offsets count markers and aborted records, so the count cannot be
 * known in advance. read_uncommitted also returns the records of aborted transactions. The values
 * come back as bytes, as they are.
 */
export async function readTopic(kafka: Kafka, topic: string, readUncommitted: boolean, idleMs = 3_000, timeoutMs = 60_000): Promise<Buffer[]> {
  return (await consumeAll(kafka, topic, { readUncommitted, idleMs, timeoutMs })).map((m) => m.bytes);
}
