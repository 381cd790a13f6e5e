/**
 * Which partition a Kafka key goes to: the Java client's default partitioner (murmur2 of the key's
 * UTF-8 bytes, made positive, modulo the partition count), through kafkajs's DefaultPartitioner, so
 * a learner's keyed producer in any official client puts each line where the generator says.
 */
import { type PartitionMetadata, Partitioners } from 'kafkajs';

const partitioner = Partitioners.DefaultPartitioner();

export function keyPartition(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be an integer >= 1, got ${partitions}`);
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  return partitioner({ topic: 'ctr', partitionMetadata, message: { key, value: null } });
}
