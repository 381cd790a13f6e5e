/**
 * Ingestion of partitioned traffic (src/ctr/realistic.ts): each line to its partition, with its key
 * and the record timestamp the oracle was given, so Kafka holds exactly what the oracle saw.
 * Lines keep their order within each partition (one request in flight, acks=all, idempotent);
 * a too_large line's DLQ record goes to the DLQ topic, as ingest.ts does for every lab.
 */
import type { Kafka } from 'kafkajs';
import type { TrafficLine } from '../ctr/realistic.ts';
import { orderedProducer } from '../stack/kafka/client.ts';
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
