/**
 * One drain run of either job over the bench's shared input topic, at the same semantics: phase 1's
 * SQL through the SQL Gateway, or the Kotlin job through the REST API; both bounded, parallelism 1,
 * on-event watermarks, checkpoints every 5 s on RocksDB, exactly-once Kafka sinks. Then what it
 * wrote, read back as a read_committed consumer, against the oracle.
 */
import { mkdirSync } from 'node:fs';
import type { OracleOutput } from '../../src/ctr/oracle.ts';
import type { LabContext } from '../../src/lab/contract.ts';
import { runStatements } from '../../src/pipeline/gateway.ts';
import { runJar } from '../../src/pipeline/jvm-job.ts';
import { kotlinJobArgs } from '../../src/pipeline/kotlin-job.ts';
import { type PipelineNames, pipelineNames } from '../../src/pipeline/names.ts';
import { flinkStatements } from '../../src/pipeline/render.ts';
import { streamingNames, streamingVariant } from '../../src/pipeline/streaming.ts';
import { createTrackedTopics, pipelineTopics } from '../../src/pipeline/topics.ts';
import { consumeAll, kafkaClient } from '../../src/stack/kafka/client.ts';

export const CHECKPOINT_MS = 5_000;

/** The run's names: its own output topics, the shared input. */
export function runNames(ctx: LabContext, job: 'kotlin' | 'sql', round: number, inputTopic: string): PipelineNames {
  const id = `${ctx.runId}_${job}${round}`;
  const dir = ctx.stack.sharedDir('checkpoints').internal;
  const logs = ctx.stack.sharedDir('rocksdb-logs');
  mkdirSync(logs.host, { recursive: true }); // Flink uses it only if it exists
  const base =
    job === 'sql'
      ? streamingNames(id, ctx.endpoints, {
          checkpointInterval: `${CHECKPOINT_MS} ms`,
          stateBackend: 'rocksdb',
          deliveryGuarantee: 'exactly-once',
          checkpointDir: `file://${dir}/${id}`,
          rocksdbLogDir: logs.internal,
          parallelism: 1,
          restartAttempts: 0,
          restartDelay: '1 s',
          txnTimeoutMs: 600_000,
          startupMode: 'earliest-offset',
          autoCommit: false,
          partitions: 1,
        })
      : pipelineNames(id, ctx.endpoints, '');
  return { ...base, input_topic: inputTopic, bounded_mode: 'latest-offset', pipeline_name: `ctr-phase-2-bench ${job} ${id}`, checkpoint_dir: `file://${dir}/${id}` };
}

/** Creates the run's output topics and starts its job; returns the job id. */
export async function submit(ctx: LabContext, job: 'kotlin' | 'sql', v: PipelineNames, jarId: string, o: { bounded?: boolean } = {}): Promise<string> {
  await createTrackedTopics(ctx.endpoints, pipelineTopics(v, { inputPartitions: null }), ctx.track);
  let jobId: string;
  if (job === 'sql') {
    jobId = await runStatements(ctx.endpoints, flinkStatements(v, streamingVariant(true)), { session: `${v.prefix}s`, track: ctx.track });
  } else {
    jobId = await runJar(ctx.endpoints.flinkRest, jarId, kotlinJobArgs(v, { checkpointDir: v.checkpoint_dir as string, checkpointMs: CHECKPOINT_MS, bounded: o.bounded ?? true }));
    ctx.track.job(jobId);
  }
  return jobId;
}

/** What a run wrote, against the oracle: every result row equal, and the DLQ, duplicates and late counts. */
export async function compareWithOracle(ctx: LabContext, v: PipelineNames, o: OracleOutput): Promise<{ equal: boolean; differences: string[] }> {
  const kafka = kafkaClient(ctx.endpoints.kafka);
  const read = (t: string) => consumeAll(kafka, t, { readUncommitted: false, idleMs: 2_000, timeoutMs: 120_000 });
  const [results, dlq, duplicates, late] = await Promise.all([read(v.results_topic), read(v.dlq_topic), read(v.duplicates_topic), read(v.late_topic)]);
  const differences: string[] = [];
  const key = (r: { product_id: string; window_start: number }) => `${JSON.stringify(r.product_id)} @ ${r.window_start}`;
  const want = new Map(o.results.map((r) => [key(r), `${r.impressions}/${r.clicks}/${r.ctr}`]));
  const got = new Map<string, string>();
  for (const m of results) {
    const r = JSON.parse(m.value) as { product_id: string; window_start: number; impressions: number; clicks: number; ctr: number | null };
    if (got.has(key(r))) differences.push(`window emitted twice: ${key(r)}`);
    got.set(key(r), `${r.impressions}/${r.clicks}/${r.ctr}`);
  }
  for (const [k, w] of want) if (got.get(k) !== w) differences.push(`${k}: expected ${w} (impressions/clicks/ctr), got ${got.get(k) ?? 'nothing'}`);
  for (const [k, g] of got) if (!want.has(k)) differences.push(`${k}: unexpected ${g}`);
  const counts: [string, number, number][] = [
    ['DLQ', o.counts.dlq, dlq.length],
    ['duplicates', o.counts.duplicates, duplicates.length],
    ['late', o.counts.late, late.length],
  ];
  for (const [name, w, g] of counts) if (w !== g) differences.push(`${name}: expected ${w}, got ${g}`);
  return { equal: differences.length === 0, differences };
}
