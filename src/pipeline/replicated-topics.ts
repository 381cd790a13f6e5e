/**
 * Topics of the realistic shape (ADR 0092): N partitions, three copies each, and
 * min.insync.replicas=2, so a producer with acks=all keeps writing while one broker of three is
 * down and refuses to write (NOT_ENOUGH_REPLICAS) rather than keep a single copy.
 */
import type { Endpoints } from '../stack/backend.ts';
import { bootstrapServers } from '../stack/endpoints.ts';
import { createTopicsAt, kafkaClient, type TopicSpec } from '../stack/kafka/client.ts';
import type { ResourceTracker } from '../stack/resources.ts';

export interface ReplicationShape {
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
}

/** The realistic shape's topics: 6 partitions (parallelism 2 reads 3 each), RF 3, min ISR 2. */
export const REALISTIC_TOPIC: ReplicationShape = { partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 };

/** A TopicSpec with the shape's partitions, replication and min ISR; `configs` adds to them. */
export function replicatedTopic(topic: string, shape: ReplicationShape = REALISTIC_TOPIC, configs: Record<string, string> = {}): TopicSpec {
  return { topic, partitions: shape.partitions, replicationFactor: shape.replicationFactor, configs: { 'min.insync.replicas': String(shape.minInsyncReplicas), ...configs } };
}

/**
 * Creates replicated topics through every running broker (each tracked first) and returns once
 * every partition has a leader and all its copies in sync. Fails with Kafka's own sentence when
 * fewer brokers run than the replication factor (start the realistic shape first).
 */
export async function createReplicatedTopics(ep: Pick<Endpoints, 'kafka' | 'kafkaBootstrap' | 'internal'>, specs: readonly TopicSpec[], track?: ResourceTracker): Promise<void> {
  for (const s of specs) track?.topic(s.topic);
  await createTopicsAt(bootstrapServers(ep), specs);
}

export interface PartitionReplication {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/** Leader, replicas and in-sync replicas per partition, as the cluster's metadata reports them now. */
export async function topicReplication(brokers: string, topic: string): Promise<PartitionReplication[]> {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const t = topics.find((x) => x.name === topic);
    if (!t) throw new Error(`topic ${topic} is not in the metadata`);
    return t.partitions
      .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: [...p.replicas].sort(), isr: [...p.isr].sort() }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}
