/**
 * The two drills on the realistic shape, run while the traffic is replayed into the job:
 * - broker: stop one broker of three (kafka-2; node 1 is the only controller, ADR 0091). Leaders
 *   move, the ISR shrinks to two copies (min.insync.replicas=2 still holds), producers and the job
 *   go on; the broker comes back and catches up. The job must not restart.
 * - taskmanager: kill -9 one TaskManager of two (the one running the job's tasks) after a
 *   checkpoint; the job restarts from it on the slots left and the other TaskManager; the killed
 *   one is started again.
 * Each records what Prometheus showed meanwhile: the alerts of the run, the TaskManagers registered.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { alertChanges } from '../../src/observability/alerts-api.ts';
import { FLINK } from '../../src/observability/metrics.ts';
import { queryRange } from '../../src/observability/query-api.ts';
import type { LabContext } from '../../src/lab/contract.ts';
import { topicReplication } from '../../src/pipeline/replicated-topics.ts';
import { bootstrapServers } from '../../src/stack/endpoints.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { EXTRA_TM_ID_PREFIX } from '../../src/stack/flink/service.ts';
import type { ServiceName } from '../../src/stack/service.ts';
import type { Phase5DrillRecord } from '../../src/results/phase-5.ts';
import type { Run } from './run.ts';

/** A drill as it happened: the recorded shape (src/results/phase-5.ts) with its times in epoch ms instead of its length. */
export interface DrillRecord extends Omit<Phase5DrillRecord, 'seconds' | 'service'> {
  service: ServiceName;
  faultAt: number;
  backAt: number;
}

/** Resolves once `progress()` reaches `share` (0..1) or `done` settles. */
export async function untilShare(progress: () => number, share: number, done: Promise<unknown>, signal: AbortSignal): Promise<void> {
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => {});
  while (progress() < share && !finished) await sleep(100, undefined, { signal });
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(250, undefined, { signal });
  }
}

/** Global failovers of the job so far: one entry per restart in its exception history (a FINISHED job keeps it). */
export async function jobRestarts(rest: FlinkRestClient, jobId: string): Promise<number> {
  const body = (await rest.get(`/jobs/${jobId}/exceptions?maxExceptions=100`)) as { exceptionHistory?: { entries?: unknown[] } };
  return body.exceptionHistory?.entries?.length ?? 0;
}

const isrSizes = async (ctx: LabContext, r: Run) => (await topicReplication(bootstrapServers(ctx.endpoints), r.names.input_topic)).map((p) => p.isr.length);

export async function brokerDrill(ctx: LabContext, r: Run, progress: () => number, replaying: Promise<unknown>): Promise<Omit<DrillRecord, 'restarts' | 'alerts'>> {
  const service: ServiceName = 'kafka-2';
  await untilShare(progress, 0.25, replaying, ctx.signal);
  return ctx.expectOutage(service, async () => {
    const faultAt = Date.now();
    const at = Math.round(progress() * 100);
    await ctx.stack.down({ only: [service] });
    ctx.note(`kafka-2 stopped at ${at}% of the replay (its shutdown took ${((Date.now() - faultAt) / 1000).toFixed(1)} s)`);
    await waitFor('the ISR to shrink to two copies', async () => (await isrSizes(ctx, r)).every((n) => n === 2), 60_000, ctx.signal);
    const isrDuring = Math.min(...(await isrSizes(ctx, r)));
    ctx.note(`every partition of the input topic has ${isrDuring} copies in sync (min.insync.replicas=2 holds: writes go on)`);
    await untilShare(progress, 0.6, replaying, ctx.signal);
    await ctx.stack.up({ services: [service] });
    await waitFor('kafka-2 to catch up (three copies in sync)', async () => (await isrSizes(ctx, r)).every((n) => n === 3), 120_000, ctx.signal);
    const backAt = Date.now();
    ctx.note(`kafka-2 back and in sync ${((backAt - faultAt) / 1000).toFixed(1)} s after its stop`);
    return { kind: 'broker' as const, service, faultAt, backAt, isrDuring, isrAfter: 3 };
  });
}

/** The TaskManager that runs the job's tasks (the extra one when both do). */
async function taskManagerOfJob(rest: FlinkRestClient, jobId: string): Promise<ServiceName> {
  const d = await rest.jobDetails(jobId);
  const ids = new Set<string>();
  for (const v of d.vertices) {
    const tms = (await rest.get(`/jobs/${jobId}/vertices/${v.id}/taskmanagers`)) as { taskmanagers?: { 'taskmanager-id'?: string }[] };
    for (const tm of tms.taskmanagers ?? []) if (tm['taskmanager-id']) ids.add(tm['taskmanager-id']);
  }
  return [...ids].some((id) => id.startsWith(`${EXTRA_TM_ID_PREFIX}flink-taskmanager-2`)) ? 'flink-taskmanager-2' : 'flink-taskmanager';
}

async function completedCheckpoints(rest: FlinkRestClient, jobId: string): Promise<number> {
  const body = (await rest.get(`/jobs/${jobId}/checkpoints`)) as { counts?: { completed?: number } };
  return body.counts?.completed ?? 0;
}

export async function taskManagerDrill(ctx: LabContext, r: Run, progress: () => number, replaying: Promise<unknown>): Promise<Omit<DrillRecord, 'restarts' | 'alerts'>> {
  const rest = new FlinkRestClient(ctx.endpoints.flinkRest);
  const jobId = r.jobId as string;
  await untilShare(progress, 0.4, replaying, ctx.signal);
  await waitFor('a completed checkpoint', async () => (await completedCheckpoints(rest, jobId)) >= 1, 60_000, ctx.signal);
  const service = await taskManagerOfJob(rest, jobId);
  return ctx.expectOutage(service, async () => {
    const faultAt = Date.now();
    const k = await ctx.stack.kill(service);
    ctx.note(`killed ${service} (${k.where}) at ${Math.round(progress() * 100)}% of the replay, after checkpoint ${await completedCheckpoints(rest, jobId)}`);
    await ctx.stack.up({ services: [service] });
    // Running again: the dimension's source finished before the kill and stays FINISHED.
    await waitFor('every task of the job running again', async () => {
      const d = await rest.jobDetails(jobId);
      return d.state === 'FINISHED' || (d.state === 'RUNNING' && d.vertices.every((v) => v.status === 'RUNNING' || v.status === 'FINISHED'));
    }, 300_000, ctx.signal);
    const backAt = Date.now();
    const recoveredSeconds = (backAt - faultAt) / 1000;
    ctx.note(`every task running again ${recoveredSeconds.toFixed(1)} s after the kill`);
    return { kind: 'taskmanager' as const, service, faultAt, backAt, recoveredSeconds };
  });
}

/** What Prometheus showed from the fault until `end` (epoch ms): the run's alerts, the TaskManagers registered. */
export async function observe(ctx: LabContext, r: Run, faultAt: number, end: number): Promise<Pick<DrillRecord, 'alerts' | 'taskManagers'>> {
  const url = ctx.endpoints.prometheus;
  if (!url) return { alerts: [] };
  const start = Math.floor(faultAt / 1000) - 15;
  const stop = Math.ceil(end / 1000);
  const run = r.names.prefix.replace(/_$/, '');
  const alerts = await alertChanges(url, { start, end: stop, stepSeconds: 5, run }).catch(() => []);
  const series = await queryRange(url, FLINK.registeredTaskManagers, { start, end: stop, stepSeconds: 5 }).catch(() => []);
  const values = series.flatMap((s) => s.points.map(([, v]) => v));
  return { alerts, ...(values.length ? { taskManagers: { min: Math.min(...values), max: Math.max(...values) } } : {}) };
}
