/**
 * kafkajs helpers for labs and the stack: a quiet client, explicit topic creation that
 * waits for leaders, an order-keeping producer and a read-from-the-beginning consumer.
 *
 * kafkajs 2.x speaks protocol versions that Kafka 3.9 still accepts (4.0 removed some).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Admin, type ITopicConfig, Kafka, type KafkaConfig, Partitioners, type Producer, logLevel } from 'kafkajs';

/** kafkajs logs nothing unless DEBUG is set (DEBUG=kafkajs for protocol-level detail). */
function kafkajsLogLevel(): logLevel {
  const debug = process.env.DEBUG ?? '';
  if (!debug) return logLevel.NOTHING;
  return /kafkajs/i.test(debug) ? logLevel.DEBUG : logLevel.WARN;
}

export function kafkaClient(brokers: string | readonly string[], overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'ctr-labs',
    brokers: typeof brokers === 'string' ? brokers.split(',') : [...brokers],
    logLevel: kafkajsLogLevel(),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, retries: 8 },
    ...overrides,
  });
}

export interface BrokerDescription {
  brokers: { nodeId: number; host: string; port: number }[];
  controller: number | null;
  clusterId: string;
}

/** One metadata round trip with short timeouts and no retries: the stack's health probe. */
export async function describeBroker(url: string, timeoutMs = 2_000): Promise<BrokerDescription> {
  const admin = kafkaClient(url, { connectionTimeout: timeoutMs, requestTimeout: timeoutMs, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    return await admin.describeCluster();
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

export interface TopicSpec {
  topic: string;
  partitions?: number;
  /** Copies of each partition (default 1; 3 in the realistic shape, which has three brokers). */
  replicationFactor?: number;
  /** Topic-level configs, e.g. { 'retention.ms': '3600000' }. */
  configs?: Record<string, string>;
}

/**
 * Creates the topics (an existing one is kept as is) and returns once the broker's metadata
 * shows a leader for every partition. Right after a create, a produce can otherwise fail
 * with "This server does not host this topic-partition".
 */
export async function createTopics(admin: Admin, specs: readonly TopicSpec[], timeoutMs = 30_000): Promise<void> {
  if (specs.length === 0) return;
  const topics: ITopicConfig[] = specs.map((s) => ({
    topic: s.topic,
    numPartitions: s.partitions ?? 1,
    replicationFactor: s.replicationFactor ?? 1,
    configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
  }));
  // Not kafkajs' waitForLeaders: it retries only LEADER_NOT_AVAILABLE, and a KRaft broker that
  // has not applied the new topic yet answers UNKNOWN_TOPIC_OR_PARTITION (seen under load in CI:
  // "This server does not host this topic-partition"). Ours retries both until the deadline.
  await admin.createTopics({ topics, waitForLeaders: false, timeout: timeoutMs });
  await waitForLeaders(admin, specs, timeoutMs);
}

export async function waitForLeaders(admin: Admin, specs: readonly TopicSpec[], timeoutMs = 30_000): Promise<void> {
  const names = specs.map((s) => s.topic);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const missing = specs.filter((s) => {
        const t = topics.find((x) => x.name === s.topic);
        // A replicated topic is ready once every copy is in sync: a produce with acks=all then needs no wait.
        return !t || t.partitions.length < (s.partitions ?? 1) || t.partitions.some((p) => p.leader < 0 || p.partitionErrorCode !== 0 || p.isr.length < (s.replicationFactor ?? 1));
      });
      if (missing.length === 0) return;
      last = `no leader (or not every replica in sync) yet for ${missing.map((s) => s.topic).join(', ')}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`Kafka topics not ready within ${Math.round(timeoutMs / 1000)} s: ${last}`);
    await sleep(100);
  }
}

export async function deleteTopics(admin: Admin, topics: readonly string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  if (present.length > 0) await admin.deleteTopics({ topics: present, timeout: 30_000 });
}

/** A message value as the labs produce it: text (written as UTF-8) or bytes, sent as they are. */
export type MessageValue = string | Uint8Array;

/**
 * Kafka's per-batch limit: a broker refuses a record batch larger than the topic's
 * max.message.bytes (this is the broker's default, message.max.bytes). The batch, not the record:
 * a request that packs many lines into one batch must stay under it too.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
/** The v2 record batch header (offset, length, epoch, magic, CRC, attributes, offsets, timestamps, ids, count). */
export const RECORD_BATCH_HEADER_BYTES = 61;
/** A bound on one record's own header without key or headers: varints for its length, timestamp and offset deltas, key and value lengths, header count. */
export const RECORD_HEADER_BYTES = 40;

export interface ProduceOptions {
  /** Lines per produce request; each request is awaited before the next (order kept). */
  batchSize?: number;
  /** The topic's max.message.bytes: a request's batch stays within it (a line alone may not). */
  maxBatchBytes?: number;
  /** Message key per line; none by default. */
  key?: (line: MessageValue, index: number) => string | undefined;
  /** Send everything to one partition; by default the partitioner decides. */
  partition?: number;
}

export interface ProduceResult {
  count: number;
  ms: number;
}

/** A value as kafkajs takes it (a string or a Buffer; a Buffer over the same memory for other bytes). */
export function kafkaValue(v: MessageValue): string | Buffer {
  return typeof v === 'string' || Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * Cuts `items` into consecutive batches of at most `maxCount` items whose record batch stays within
 * `maxBatchBytes` (its header, and each record's bytes plus its own header); an item too big for
 * any batch goes alone, for the broker to judge.
 */
export function sizedBatches<T>(items: readonly T[], bytesOf: (item: T) => number, maxBatchBytes: number, maxCount: number): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let size = RECORD_BATCH_HEADER_BYTES;
  for (const item of items) {
    const n = bytesOf(item) + RECORD_HEADER_BYTES;
    if (cur.length > 0 && (cur.length >= maxCount || size + n > maxBatchBytes)) {
      out.push(cur);
      cur = [];
      size = RECORD_BATCH_HEADER_BYTES;
    }
    cur.push(item);
    size += n;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

const byteLength = (v: MessageValue) => (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.byteLength);

/** The producer every ordered write uses: idempotent, one request in flight, no topic auto-creation. */
export function orderedProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
}

/**
 * Produces the lines in order: idempotent producer, acks=all, one request in flight, and
 * each batch awaited before the next, so a single-partition topic holds them exactly in
 * input order (retries cannot reorder or duplicate). Strings are written as UTF-8, bytes as they are.
 */
export async function produceLines(kafka: Kafka, topic: string, lines: readonly MessageValue[], opts: ProduceOptions = {}): Promise<ProduceResult> {
  const t0 = Date.now();
  const indexed = lines.map((value, i) => {
    const key = opts.key?.(value, i);
    return { value: kafkaValue(value), ...(key === undefined ? {} : { key }), ...(opts.partition === undefined ? {} : { partition: opts.partition }) };
  });
  const batches = sizedBatches(indexed, (m) => byteLength(m.value) + (m.key === undefined ? 0 : Buffer.byteLength(m.key)), opts.maxBatchBytes ?? DEFAULT_MAX_MESSAGE_BYTES, Math.max(1, opts.batchSize ?? 500));
  const producer = orderedProducer(kafka);
  await producer.connect();
  try {
    for (const messages of batches) await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
  return { count: lines.length, ms: Date.now() - t0 };
}

export interface ConsumedMessage {
  partition: number;
  offset: string;
  key: string | null;
  /** The value as UTF-8 text (a malformed byte read as U+FFFD). */
  value: string;
  /** The value's bytes, as they are. */
  bytes: Buffer;
  timestamp: number;
}

export interface ConsumeOptions {
  /** Stop once this many messages arrived. */
  expected?: number;
  /**
   * Stop after this long without a new message, counted from when the consumer joined its
   * group (default 3 s). With `expected` set, applies only when given explicitly.
   */
  idleMs?: number;
  /** Hard limit (default 60 s): return what arrived by then. */
  timeoutMs?: number;
  /** Group id; a fresh one by default, so every call reads from the beginning. */
  groupId?: string;
  /** Also return the records of aborted (and open) transactions; read_committed by default. */
  readUncommitted?: boolean;
}

/**
 * Reads a topic from the beginning until `expected` messages arrived, or nothing new came for
 * `idleMs`, or `timeoutMs` passed. Messages come in offset order per partition. Read-committed
 * unless `readUncommitted`: records of aborted transactions are skipped, open ones wait.
 */
export async function consumeAll(kafka: Kafka, topic: string, opts: ConsumeOptions = {}): Promise<ConsumedMessage[]> {
  const idleMs = opts.idleMs ?? 3_000;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const consumer = kafka.consumer({
    groupId: opts.groupId ?? `ctr-labs-read-${randomUUID()}`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
    readUncommitted: opts.readUncommitted ?? false,
  });
  const out: ConsumedMessage[] = [];
  let joinedAt: number | undefined;
  let lastAt = 0;
  const t0 = Date.now();
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joinedAt = Date.now();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        out.push({
          partition,
          offset: message.offset,
          key: message.key ? message.key.toString() : null,
          value: message.value ? message.value.toString() : '',
          bytes: message.value ?? Buffer.alloc(0),
          timestamp: Number(message.timestamp),
        });
        lastAt = Date.now();
      },
    });
    for (;;) {
      const now = Date.now();
      if (opts.expected !== undefined && out.length >= opts.expected) break;
      if (now - t0 >= timeoutMs) break;
      const idleApplies = opts.expected === undefined || opts.idleMs !== undefined;
      if (idleApplies && joinedAt !== undefined && now - Math.max(joinedAt, lastAt) >= idleMs) break;
      await sleep(50);
    }
  } finally {
    await consumer.disconnect().catch(() => {});
  }
  return out;
}

/** How many offsets a topic holds (high - low per partition; transaction markers count too). */
export async function topicOffsetSpan(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
}

/** Creates topics (waiting for their leaders) with a short-lived admin client. */
export async function createTopicsAt(brokers: string, specs: readonly TopicSpec[]): Promise<void> {
  await withAdmin(brokers, (admin) => createTopics(admin, specs));
}

/** Deletes topics with a short-lived admin client. */
export async function deleteTopicsAt(brokers: string, topics: readonly string[]): Promise<void> {
  await withAdmin(brokers, (admin) => deleteTopics(admin, topics));
}

async function withAdmin<T>(brokers: string, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The sum over partitions of a topic's end (high-water) offsets: every record ever written. */
export async function endOffsetSum(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/** partition -> end offset, for a bounded read that stops exactly there ('scan.bounded.specific-offsets'). */
export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((p) => [p.partition, Number(p.high)]));
}

/** partition -> the first offset whose record timestamp is >= timeMs (the end offset when none is). */
export async function offsetsForTime(admin: Admin, topic: string, timeMs: number): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timeMs);
  return new Map(offsets.map((p) => [p.partition, Number(p.offset)]));
}

/**
 * Records of `topic` not yet committed by `groupId` (sum over partitions of end - committed).
 * A partition the group has not committed yet counts from `startOffsets` (where the consumer
 * was told to start), else from its low offset.
 */
export async function groupLag(admin: Admin, groupId: string, topic: string, startOffsets?: ReadonlyMap<number, number>): Promise<number> {
  const [ends, groups] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const committed = new Map((groups[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.reduce((sum, p) => {
    const c = committed.get(p.partition) ?? -1;
    return sum + Number(p.high) - (c >= 0 ? c : (startOffsets?.get(p.partition) ?? Number(p.low)));
  }, 0);
}
