/**
 * The drain rate of a bounded Flink job that reads a topic already written: events / the source
 * vertex's running time (a closed-loop maximum), with what limits it: the busiest vertices
 * (Flink's busy ratio, sampled while the job runs) and the machine's busy share over the run.
 * The phase-2 bench and the throughput lab's sweep both measure with this; each adds the CPU
 * figures it records (observeDrain takes a snapshot of them before and after).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackBackend } from '../stack/backend.ts';
import { FlinkMetricsClient } from '../stack/flink/rest-client.ts';
import { busyShare, machineTicks } from './proc.ts';

export interface DrainObservation<C> {
  /** 'timeout': the job had not finished within timeoutMs and was cancelled; ms is then the elapsed time (the rate an upper bound). */
  outcome: 'finished' | 'timeout';
  /** The source vertex's running time (read to the end and, with exactly-once sinks, the final commit). */
  ms: number;
  /** The whole job, submit to FINISHED as Flink reports it (elapsed after a timeout). */
  jobMs: number;
  /** The busiest vertices, highest busy ratio first. */
  busiest: { vertex: string; busy_ratio: number }[];
  machineBusy: number;
  cpuBefore: C;
  cpuAfter: C;
}

const tidy = (name: string) => name.replace(/\s+/g, ' ').slice(0, 60);

/** Waits for a submitted bounded job to finish (at most timeoutMs; cancelled after), sampling its vertices' busy ratios every `sampleEveryS` seconds. */
export async function observeDrain<C>(flinkRest: string, jobId: string, o: { timeoutMs: number; signal?: AbortSignal; cpu: () => Promise<C>; vertexName?: (name: string) => string; sampleEveryS?: number }): Promise<DrainObservation<C>> {
  const flink = new FlinkMetricsClient(flinkRest);
  const name = o.vertexName ?? tidy;
  const cpuBefore = await o.cpu();
  const m0 = machineTicks();
  const t0 = Date.now();
  const busy = new Map<string, number>();
  let outcome: DrainObservation<C>['outcome'] = 'timeout';
  for (let i = 0; Date.now() - t0 < o.timeoutMs; i++) {
    if (o.signal?.aborted) throw new Error('interrupted (Ctrl-C)');
    const job = await flink.jobDetails(jobId);
    if (job.state === 'FINISHED') {
      outcome = 'finished';
      break;
    }
    if (!['RUNNING', 'CREATED', 'INITIALIZING'].includes(job.state)) throw new Error(`job ${jobId} ended ${job.state}: ${(await flink.jobFailure(jobId).catch(() => undefined)) ?? 'no cause given'}`);
    if (job.state === 'RUNNING' && i % (o.sampleEveryS ?? 1) === 0) {
      for (const v of job.vertices) {
        const bp = await flink.vertexBackpressure(jobId, v.id).catch(() => undefined);
        // Flink reports NaN while a vertex has not been measured yet (or finished): not a figure.
        if (bp && Number.isFinite(bp.busyRatio)) busy.set(name(v.name), Math.max(busy.get(name(v.name)) ?? 0, bp.busyRatio));
      }
    }
    await sleep(1_000);
  }
  const cpuAfter = await o.cpu();
  const machineBusy = Math.round(busyShare(m0, machineTicks()) * 1000) / 1000;
  const busiest = [...busy].sort((a, b) => b[1] - a[1]).map(([vertex, r]) => ({ vertex, busy_ratio: Math.round(r * 100) / 100 }));
  if (outcome === 'timeout') {
    await flink.cancelJob(jobId).catch(() => {});
    const elapsed = Date.now() - t0;
    return { outcome, ms: elapsed, jobMs: elapsed, busiest, machineBusy, cpuBefore, cpuAfter };
  }
  const job = await flink.jobDetails(jobId);
  const source = job.vertices.find((v) => /^source/i.test(v.name)) ?? job.vertices.find((v) => /source/i.test(v.name)) ?? job.vertices[0];
  return { outcome, ms: source?.durationMs || job.durationMs, jobMs: job.durationMs, busiest, machineBusy, cpuBefore, cpuAfter };
}

export interface DrainMeasure {
  events: number;
  ms: number;
  events_per_s: number;
  job_ms: number;
  busiest: { vertex: string; busy_ratio: number }[];
  taskmanager_cpu_s_per_million: number;
  machine_busy: number;
}

/** The phase-2 bench's figures: a drain that must finish, with the TaskManager's CPU per million events. */
export async function measureDrain(stack: StackBackend, flinkRest: string, jobId: string, events: number, o: { timeoutMs: number; signal?: AbortSignal }): Promise<DrainMeasure> {
  const d = await observeDrain(flinkRest, jobId, { ...o, cpu: async () => (await stack.usage('flink-taskmanager'))?.cpuSeconds ?? 0 });
  if (d.outcome === 'timeout') throw new Error(`job ${jobId} had not drained ${events} events after ${o.timeoutMs / 1000} s`);
  return {
    events,
    ms: d.ms,
    events_per_s: Math.round(events / (d.ms / 1000)),
    job_ms: d.jobMs,
    busiest: d.busiest.slice(0, 3),
    taskmanager_cpu_s_per_million: Math.round(((d.cpuAfter - d.cpuBefore) / events) * 1e6 * 100) / 100,
    machine_busy: d.machineBusy,
  };
}
