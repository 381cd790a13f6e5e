/**
 * A closed-loop maximum: a bounded job reads a fixed slice of the input topic (already written)
 * as fast as it can and finishes. Events / the source vertex's running time is the job's drain
 * rate: one figure per configuration in well under a minute, much cheaper than a ladder of
 * open-loop steps, and the way the tuning sweep and the pass-through reference are measured.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DrainRecord } from '../../src/bench/throughput-record.ts';
import { machineTicks } from '../../src/bench/proc.ts';
import { FlinkMetricsClient } from '../../src/stack/flink/rest-client.ts';
import { busyShare } from '../../src/bench/proc.ts';
import type { StackBackend } from '../../src/stack/backend.ts';
import { cpuNow, round, shortName } from './sampler.ts';

export type DrainResult = Pick<DrainRecord, 'events' | 'ms' | 'drain_events_per_s' | 'outcome' | 'cpu_s_per_million' | 'machine_busy' | 'busiest_vertex' | 'busy_ratio'>;

/** Waits for a submitted bounded job to finish (at most timeoutMs) and measures it. */
export async function measureDrain(stack: StackBackend, flinkRest: string, jobId: string, events: number, timeoutMs: number, signal: AbortSignal): Promise<DrainResult> {
  const flink = new FlinkMetricsClient(flinkRest);
  await flink.waitForJob(jobId, { states: ['RUNNING', 'FINISHED'], timeoutMs: 60_000 });
  const cpu0 = await cpuNow(stack);
  const m0 = machineTicks();
  const t0 = Date.now();
  let busiest = { name: '', ratio: 0 };
  let outcome: DrainResult['outcome'] = 'timeout';
  for (let i = 0; Date.now() - t0 < timeoutMs; i++) {
    if (signal.aborted) throw new Error('interrupted (Ctrl-C)');
    const job = await flink.jobDetails(jobId);
    if (job.state === 'FINISHED') {
      outcome = 'finished';
      break;
    }
    if (job.state !== 'RUNNING') throw new Error(`drain job ${jobId} ended ${job.state}: ${(await flink.jobFailure(jobId).catch(() => undefined)) ?? 'no cause given'}`);
    if (i % 2 === 1) {
      for (const v of job.vertices) {
        const bp = await flink.vertexBackpressure(jobId, v.id).catch(() => undefined);
        if (bp && bp.busyRatio > busiest.ratio) busiest = { name: shortName(v.name), ratio: bp.busyRatio };
      }
    }
    await sleep(1_000);
  }
  const cpu1 = await cpuNow(stack);
  const busy = busyShare(m0, machineTicks());
  let ms = Date.now() - t0;
  if (outcome === 'finished') {
    const job = await flink.jobDetails(jobId);
    const source = job.vertices.find((v) => v.name.startsWith('Source')) ?? job.vertices[0];
    ms = source?.durationMs || job.durationMs;
  } else {
    await flink.cancelJob(jobId).catch(() => {});
  }
  const cpu: Record<string, number> = {};
  for (const [k, v] of Object.entries(cpu1)) if (cpu0[k] !== undefined && k !== 'lab') cpu[k] = round(((v - (cpu0[k] as number)) / events) * 1e6, 2);
  return {
    events,
    ms,
    // After a timeout the slice was NOT read in time: events / elapsed is then an upper bound.
    drain_events_per_s: Math.round(events / (ms / 1000)),
    outcome,
    cpu_s_per_million: cpu,
    machine_busy: round(busy, 3),
    busiest_vertex: busiest.name,
    busy_ratio: round(busiest.ratio, 2),
  };
}
