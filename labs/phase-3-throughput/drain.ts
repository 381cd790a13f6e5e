/**
 * A closed-loop maximum: a bounded job reads a fixed slice of the input topic (already written)
 * as fast as it can and finishes. Events / the source vertex's running time is the job's drain
 * rate: one figure per configuration in well under a minute, much cheaper than a ladder of
 * open-loop steps, and the way the tuning sweep and the pass-through reference are measured
 * (src/bench/drain-job.ts observes the job; here, the lab's record with every process's CPU).
 */
import type { DrainRecord } from '../../src/bench/throughput-record.ts';
import { observeDrain } from '../../src/bench/drain-job.ts';
import type { StackBackend } from '../../src/stack/backend.ts';
import { FlinkMetricsClient } from '../../src/stack/flink/rest-client.ts';
import { cpuNow, round, shortName } from './sampler.ts';

export type DrainResult = Pick<DrainRecord, 'events' | 'ms' | 'drain_events_per_s' | 'outcome' | 'cpu_s_per_million' | 'machine_busy' | 'busiest_vertex' | 'busy_ratio'>;

/** Waits for a submitted bounded job to finish (at most timeoutMs) and measures it. */
export async function measureDrain(stack: StackBackend, flinkRest: string, jobId: string, events: number, timeoutMs: number, signal: AbortSignal): Promise<DrainResult> {
  await new FlinkMetricsClient(flinkRest).waitForJob(jobId, { states: ['RUNNING', 'FINISHED'], timeoutMs: 60_000 });
  // Busy ratios every other second: each sample asks Flink for every vertex.
  const d = await observeDrain(flinkRest, jobId, { timeoutMs, signal, cpu: () => cpuNow(stack), vertexName: shortName, sampleEveryS: 2 });
  const cpu: Record<string, number> = {};
  for (const [k, v] of Object.entries(d.cpuAfter)) if (d.cpuBefore[k] !== undefined && k !== 'lab') cpu[k] = round(((v - (d.cpuBefore[k] as number)) / events) * 1e6, 2);
  const top = d.busiest[0];
  return {
    events,
    ms: d.ms,
    // After a timeout the slice was NOT read in time: events / elapsed is then an upper bound.
    drain_events_per_s: Math.round(events / (d.ms / 1000)),
    outcome: d.outcome,
    cpu_s_per_million: cpu,
    machine_busy: d.machineBusy,
    busiest_vertex: top?.vertex ?? '',
    busy_ratio: top?.busy_ratio ?? 0,
  };
}
