/**
 * The drain rate of a bounded Flink job that reads a topic already written: events / the source
 * vertex's running time (the closed-loop maximum the throughput lab also measures), with what
 * limits it: the busiest vertex (Flink's busy ratio, sampled while it runs), the TaskManager's CPU
 * seconds per million events and the machine's busy share over the run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackBackend } from '../stack/backend.ts';
import { FlinkMetricsClient } from '../stack/flink/rest-client.ts';
import { busyShare, machineTicks } from './proc.ts';

export interface DrainMeasure {
  events: number;
  /** The source vertex's running time (read to the end and, with exactly-once sinks, the final commit). */
  ms: number;
  events_per_s: number;
  /** The whole job, submit to FINISHED as Flink reports it. */
  job_ms: number;
  busiest: { vertex: string; busy_ratio: number }[];
  taskmanager_cpu_s_per_million: number;
  machine_busy: number;
}

const short = (name: string) => name.replace(/\s+/g, ' ').slice(0, 60);

export async function measureDrain(stack: StackBackend, flinkRest: string, jobId: string, events: number, o: { timeoutMs: number; signal?: AbortSignal }): Promise<DrainMeasure> {
  const flink = new FlinkMetricsClient(flinkRest);
  const cpu0 = (await stack.usage('flink-taskmanager'))?.cpuSeconds ?? 0;
  const m0 = machineTicks();
  const t0 = Date.now();
  const busy = new Map<string, number>();
  for (;;) {
    if (o.signal?.aborted) throw new Error('interrupted (Ctrl-C)');
    const job = await flink.jobDetails(jobId);
    if (job.state === 'FINISHED') break;
    if (!['RUNNING', 'CREATED', 'INITIALIZING'].includes(job.state)) throw new Error(`job ${jobId} ended ${job.state}: ${(await flink.jobFailure(jobId).catch(() => undefined)) ?? 'no cause given'}`);
    if (Date.now() - t0 > o.timeoutMs) {
      await flink.cancelJob(jobId).catch(() => {});
      throw new Error(`job ${jobId} had not drained ${events} events after ${o.timeoutMs / 1000} s`);
    }
    if (job.state === 'RUNNING') {
      for (const v of job.vertices) {
        const bp = await flink.vertexBackpressure(jobId, v.id).catch(() => undefined);
        // Flink reports NaN while a vertex has not been measured yet (or finished): not a figure.
        if (bp && Number.isFinite(bp.busyRatio)) busy.set(short(v.name), Math.max(busy.get(short(v.name)) ?? 0, bp.busyRatio));
      }
    }
    await sleep(1_000);
  }
  const cpu1 = (await stack.usage('flink-taskmanager'))?.cpuSeconds ?? cpu0;
  const machine = busyShare(m0, machineTicks());
  const job = await flink.jobDetails(jobId);
  const source = job.vertices.find((v) => /source/i.test(v.name)) ?? job.vertices[0];
  const ms = source?.durationMs || job.durationMs;
  return {
    events,
    ms,
    events_per_s: Math.round(events / (ms / 1000)),
    job_ms: job.durationMs,
    busiest: [...busy].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([vertex, r]) => ({ vertex, busy_ratio: Math.round(r * 100) / 100 })),
    taskmanager_cpu_s_per_million: Math.round(((cpu1 - cpu0) / events) * 1e6 * 100) / 100,
    machine_busy: Math.round(machine * 1000) / 1000,
  };
}
