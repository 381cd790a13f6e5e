/**
 * Ingestion: lines into the pipeline's input topic, in order, except the ones Kafka is not asked to
 * carry. A line over MAX_LINE_BYTES (event.ts) cannot reach Flink, so the rule that sends it to the
 * DLQ runs here: its DLQ record (reason too_large, its length, a prefix) goes straight to the DLQ
 * topic, beside the records Flink writes for the other reasons, and counts like them (ADR 0029).
 * Every lab's ingestion goes through here: the 'produce' step, the pipeline CLI's `produce`, the
 * recovery drills' steady producer.
 */
import type { Kafka } from 'kafkajs';
import { MAX_LINE_BYTES } from '../ctr/event.ts';
import { dlqRecord, type InputLine, lineByteLength } from '../ctr/line.ts';
import { kafkaValue, orderedProducer, sizedBatches } from '../stack/kafka/client.ts';
import type { PipelineNames } from './names.ts';

/**
 * The input topic's max.message.bytes (a limit per record batch): the largest line plus 1 KiB of room
 * for the batch's header and the record's own (61 + at most 40 bytes) and a key, should another
 * producer set one. The broker's guard for producers that are not this one; ours never sends a
 * longer line, and packs its batches within it.
 */
export const INPUT_MAX_MESSAGE_BYTES = MAX_LINE_BYTES + 1_024;

/** Lines per produce request, at most. */
const BATCH_LINES = 500;

export type IngestTopics = Pick<PipelineNames, 'input_topic' | 'dlq_topic'>;

/** One produce request: lines [from, end) of the input, each to `topic` (the input, or the DLQ as a too_large record). */
export interface IngestRequest {
  topic: string;
  messages: { index: number; value: string | Buffer }[];
  /** The index after the request's last line. */
  end: number;
}

export const isTooLarge = (line: InputLine) => lineByteLength(line) > MAX_LINE_BYTES;

/**
 * Lines [from, to) as produce requests, in input order: each run of lines that fit goes to the
 * input topic in batches within INPUT_MAX_MESSAGE_BYTES; each run of too_large lines goes to the DLQ
 * topic as their DLQ records (JSON, as Flink writes the others).
 */
export function ingestRequests(lines: readonly InputLine[], from: number, to: number, topics: IngestTopics): IngestRequest[] {
  const out: IngestRequest[] = [];
  let i = from;
  while (i < to) {
    const big = isTooLarge(lines[i] as InputLine);
    const run: number[] = [];
    for (; i < to && isTooLarge(lines[i] as InputLine) === big; i++) run.push(i);
    if (big) {
      const messages = run.map((index) => ({ index, value: JSON.stringify(dlqRecord(lines[index] as InputLine, 'too_large')) }));
      out.push({ topic: topics.dlq_topic, messages, end: (run[run.length - 1] as number) + 1 });
      continue;
    }
    for (const batch of sizedBatches(run, (index) => lineByteLength(lines[index] as InputLine), INPUT_MAX_MESSAGE_BYTES, BATCH_LINES)) {
      out.push({ topic: topics.input_topic, messages: batch.map((index) => ({ index, value: kafkaValue(lines[index] as InputLine) })), end: (batch[batch.length - 1] as number) + 1 });
    }
  }
  return out;
}

export interface IngestResult {
  /** Lines handled: every line of the input. */
  count: number;
  /** Of those, too_large lines whose DLQ record went to the DLQ topic. */
  tooLarge: number;
  ms: number;
}

/**
 * Produces every line, in order (idempotent producer, acks=all, one request in flight): to the input
 * topic (to `partition` if given), or, too_large, its DLQ record to the DLQ topic.
 */
export async function ingestLines(kafka: Kafka, topics: IngestTopics, lines: readonly InputLine[], opts: { partition?: number } = {}): Promise<IngestResult> {
  const t0 = Date.now();
  let tooLarge = 0;
  const producer = orderedProducer(kafka);
  await producer.connect();
  try {
    for (const r of ingestRequests(lines, 0, lines.length, topics)) {
      const toInput = r.topic === topics.input_topic;
      if (!toInput) tooLarge += r.messages.length;
      const partition = toInput && opts.partition !== undefined ? { partition: opts.partition } : {};
      await producer.send({ topic: r.topic, acks: -1, messages: r.messages.map((m) => ({ value: m.value, ...partition })) });
    }
  } finally {
    await producer.disconnect();
  }
  return { count: lines.length, tooLarge, ms: Date.now() - t0 };
}
