/**
 * The realistic shape as the cluster reports it during a run (ADR 0091, 0092): the brokers in the
 * metadata, the input topic's partitions and in-sync copies, its min.insync.replicas, and the
 * TaskManagers and slots the JobManager counts.
 */
import type { LabContext } from '../../src/lab/contract.ts';
import { topicReplication } from '../../src/pipeline/replicated-topics.ts';
import { bootstrapServers } from '../../src/stack/endpoints.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { describeBroker, kafkaClient } from '../../src/stack/kafka/client.ts';

export interface ShapeRecord {
  brokers: number[];
  partitions: number;
  minIsr: number;
  maxIsr: number;
  minInsyncReplicas: number;
  taskManagers: number;
  slots: number;
}

export async function measureShape(ctx: Pick<LabContext, 'endpoints'>, topic: string): Promise<ShapeRecord> {
  const bootstrap = bootstrapServers(ctx.endpoints);
  const brokers = (await describeBroker(bootstrap)).brokers.map((b) => b.nodeId).sort((a, b) => a - b);
  const parts = await topicReplication(bootstrap, topic);
  const admin = kafkaClient(bootstrap).admin();
  await admin.connect();
  let minInsyncReplicas = 0;
  try {
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }], includeSynonyms: false });
    minInsyncReplicas = Number(configs.resources[0]?.configEntries[0]?.configValue ?? 0);
  } finally {
    await admin.disconnect();
  }
  const tms = await new FlinkRestClient(ctx.endpoints.flinkRest).taskManagers();
  const isr = parts.map((p) => p.isr.length);
  return { brokers, partitions: parts.length, minIsr: Math.min(...isr), maxIsr: Math.max(...isr), minInsyncReplicas, taskManagers: tms.length, slots: tms.reduce((n, t) => n + t.slotsNumber, 0) };
}
