/**
 * Counts what the pipeline put on its side topics (ADR 0073): one kafkajs consumer per DLQ,
 * duplicates and late topic, reading from the beginning with read_committed (an exactly-once run's
 * aborted records are not events), counting records and, for the DLQ, records per `reason`.
 * A consumer starts when its topic appears and stops when the topic is deleted (a lab's cleanup);
 * its counts go with it. Nothing is committed: counts live in this process, and a restart
 * recounts from the beginning (lab topics are small).
 */
import type { Consumer, Kafka } from 'kafkajs';
import { OWN_GROUP_PREFIX, type TopicRole } from './runs.ts';

export interface SideCounts {
  run: string;
  role: Extract<TopicRole, 'dlq' | 'duplicates' | 'late'>;
  records: number;
  /** DLQ only: records per reason ("missing_field", "not_json", ...). */
  byReason: Map<string, number>;
}

/** The reason of one DLQ record ({ payload, reason, bytes? }), or "unparsable" when it has none. */
export function dlqReason(value: Buffer | null): string {
  if (!value) return 'unparsable';
  try {
    const parsed = JSON.parse(value.toString('utf8')) as { reason?: unknown };
    return typeof parsed.reason === 'string' && parsed.reason ? parsed.reason : 'unparsable';
  } catch {
    return 'unparsable';
  }
}

/**
 * Counts one fetched batch into `counts`, once per offset: `next` holds, per partition, the next
 * offset to count, and a record delivered again is skipped.
 */
export function countBatch(counts: SideCounts, next: Map<number, number>, partition: number, messages: readonly { offset: string; value: Buffer | null }[]): void {
  for (const m of messages) {
    const offset = Number(m.offset);
    if (offset < (next.get(partition) ?? 0)) continue;
    next.set(partition, offset + 1);
    counts.records++;
    if (counts.role === 'dlq') {
      const reason = dlqReason(m.value);
      counts.byReason.set(reason, (counts.byReason.get(reason) ?? 0) + 1);
    }
  }
}

export class SideTopicCounter {
  private readonly consumers = new Map<string, { consumer: Consumer; counts: SideCounts }>();

  constructor(private readonly kafka: () => Kafka) {}

  /** Starts consumers for new topics and stops those whose topic is gone. */
  async sync(topics: ReadonlyMap<string, { run: string; role: SideCounts['role'] }>): Promise<void> {
    for (const [topic, entry] of [...this.consumers]) {
      if (!topics.has(topic)) {
        this.consumers.delete(topic);
        await entry.consumer.disconnect().catch(() => {});
      }
    }
    for (const [topic, { run, role }] of topics) {
      if (this.consumers.has(topic)) continue;
      const counts: SideCounts = { run, role, records: 0, byReason: new Map() };
      // The next offset to count, per partition: a record delivered again is not counted again.
      // Seen once at load 26 on 2 cores: every DLQ count doubled with no rebalance in the broker's
      // log, so a re-fetch inside the client. Nothing is committed, so any re-read starts at the
      // beginning; skipping by offset keeps a count a count of records, not of deliveries.
      const next = new Map<number, number>();
      const consumer = this.kafka().consumer({ groupId: `${OWN_GROUP_PREFIX}${process.pid}-${topic}`, readUncommitted: false, sessionTimeout: 10_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 5_000 });
      // A long poll: the broker answers as soon as a record arrives, else after 5 s (two requests a
      // second per consumer with the 500 ms default, for topics that are mostly idle).
      this.consumers.set(topic, { consumer, counts });
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => countBatch(counts, next, batch.partition, batch.messages),
        });
      } catch {
        // The topic went away between the listing and the subscribe, or Kafka is restarting: try again next time.
        this.consumers.delete(topic);
        await consumer.disconnect().catch(() => {});
      }
    }
  }

  counts(): SideCounts[] {
    return [...this.consumers.values()].map((c) => c.counts);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers.values()].map((c) => c.consumer.disconnect()));
    this.consumers.clear();
  }
}
