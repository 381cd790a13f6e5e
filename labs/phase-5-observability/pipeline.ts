/**
 * The pipeline this lab watches: phase 1's SQL rendered as a long-running job (src/pipeline/
 * streaming.ts) with checkpoints every 5 s and at-least-once sinks: results reach ClickHouse as
 * they are produced, not at the next checkpoint's commit, so freshness reads the pipeline rather
 * than the checkpoint interval. Nothing in this lab crashes the job, so nothing is re-sent and
 * every output can be compared exactly with the oracle.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LabContext } from '../../src/lab/contract.ts';
import { createResultsTables } from '../../src/pipeline/clickhouse.ts';
import { collectOutputs, type PipelineOutputs } from '../../src/pipeline/collect.ts';
import { runStatements } from '../../src/pipeline/gateway.ts';
import type { PipelineNames } from '../../src/pipeline/names.ts';
import { flinkStatements } from '../../src/pipeline/render.ts';
import { type StreamingOptions, streamingNames, streamingVariant } from '../../src/pipeline/streaming.ts';
import { createTrackedTopics, pipelineTopics } from '../../src/pipeline/topics.ts';
import { FlinkRestClient, fullyRunning } from '../../src/stack/flink/rest-client.ts';
import { groupLag, kafkaClient } from '../../src/stack/kafka/client.ts';

export const CHECKPOINT_INTERVAL = '5s';

/** Flink's job name for this run (the metrics' job_name label): it ends with the run id, which the dashboard's `$run` matches. */
export const jobNameOf = (runId: string) => `ctr-phase-5-observability ${runId}`;

export function labNames(ctx: Pick<LabContext, 'runId' | 'endpoints' | 'stack'>): PipelineNames {
  const o: StreamingOptions = {
    checkpointInterval: CHECKPOINT_INTERVAL,
    stateBackend: 'rocksdb',
    deliveryGuarantee: 'at-least-once',
    checkpointDir: `file://${ctx.stack.sharedDir('checkpoints').internal}`,
    rocksdbLogDir: ctx.stack.sharedDir('rocksdb-logs').internal,
    parallelism: 1,
    restartAttempts: 3,
    restartDelay: '1 s',
    txnTimeoutMs: 600_000,
    startupMode: 'earliest-offset',
    autoCommit: false,
    partitions: 1,
  };
  return { ...streamingNames(ctx.runId, ctx.endpoints, o), pipeline_name: jobNameOf(ctx.runId) };
}

/** Topics (one partition: the replay keeps its order), ClickHouse tables, the job; returns once every task runs. */
export async function startPipeline(ctx: LabContext, v: PipelineNames): Promise<string> {
  await createTrackedTopics(ctx.endpoints, pipelineTopics(v), ctx.track);
  await createResultsTables(ctx.endpoints, v, { variant: streamingVariant(true), track: ctx.track });
  const jobId = await runStatements(ctx.endpoints, flinkStatements(v, streamingVariant(true)), { session: v.prefix, track: ctx.track });
  const flink = new FlinkRestClient(ctx.endpoints.flinkRest);
  const deadline = Date.now() + 90_000;
  while (!fullyRunning(await flink.jobDetails(jobId))) {
    if (Date.now() > deadline) throw new Error(`job ${jobId} never got all tasks RUNNING: ${(await flink.exceptionLines(jobId)).join(' | ') || 'no exception recorded'}`);
    await sleep(250);
  }
  return jobId;
}

/** Waits until the job's consumer group has read the whole input (lag 0); returns the lag left after the timeout. */
export async function waitInputRead(ctx: LabContext, v: PipelineNames, timeoutMs = 90_000): Promise<number> {
  const admin = kafkaClient(ctx.endpoints.kafka).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lag = await groupLag(admin, v.consumer_group, v.input_topic).catch(() => Number.NaN);
      if (lag === 0 || Date.now() > deadline) return lag;
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}

/** Stop-with-savepoint and drain (every open window fires), then everything the run wrote. */
export async function drainAndCollect(ctx: LabContext, v: PipelineNames, jobId: string): Promise<PipelineOutputs> {
  await new FlinkRestClient(ctx.endpoints.flinkRest).stopWithSavepoint(jobId, { drain: true, targetDirectory: `file://${ctx.stack.sharedDir('savepoints').internal}` });
  return collectOutputs(ctx.endpoints, v);
}
