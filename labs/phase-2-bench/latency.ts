/**
 * Latency beyond the watermark, open loop: a job reads a live topic (unbounded) while events with
 * ts = now are written at a fixed rate; a window [s, s + 10 s) can fire once an event with
 * ts >= s + 15 s arrives, i.e. at window end + 5 s of wall time. Each result record's latency is
 * the time Flink's producer stamped it (CreateTime) - (window end + 5 s). Exactly-once records are
 * visible to readers only at the next checkpoint (up to 5 s later): that wait is not in this figure.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Phase2BenchRecord } from '../../src/bench/phase2-record.ts';
import { percentile } from '../../src/bench/stats.ts';
import { WATERMARK_DELAY_MS } from '../../src/ctr/event.ts';
import type { LabContext } from '../../src/lab/contract.ts';
import { createTrackedTopics } from '../../src/pipeline/topics.ts';
import { FlinkRestClient, fullyRunning } from '../../src/stack/flink/rest-client.ts';
import { consumeAll, kafkaClient } from '../../src/stack/kafka/client.ts';
import { CHECKPOINT_MS, runNames, submit } from './runs.ts';

export type LatencyFigure = NonNullable<Phase2BenchRecord['latency']>[number];

const TICK_MS = 100;

export async function measureLatency(ctx: LabContext, job: 'kotlin' | 'sql', jarId: string, rate: number, seconds: number): Promise<LatencyFigure> {
  const input = `${ctx.runId}_live_${job}`;
  await createTrackedTopics(ctx.endpoints, [{ topic: input, partitions: 1 }], ctx.track);
  const v = { ...runNames(ctx, job, 0, input), bounded_mode: 'unbounded' };
  const jobId = await submit(ctx, job, v, jarId, { bounded: false });
  const flink = new FlinkRestClient(ctx.endpoints.flinkRest);
  for (let i = 0; !fullyRunning(await flink.jobDetails(jobId)); i++) {
    if (i > 240) throw new Error(`${job} job ${jobId} not running after 60 s`);
    await sleep(250);
  }
  const kafka = kafkaClient(ctx.endpoints.kafka);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const t0 = Date.now();
  let n = 0;
  try {
    for (let tick = 0; Date.now() - t0 < seconds * 1000; tick++) {
      const now = Date.now();
      const messages = Array.from({ length: perTick }, () => {
        n++;
        return { value: JSON.stringify({ event_id: `l${n}`, user_id: `u${n % 997}`, product_id: `p${n % 50}`, event_type: n % 10 === 0 ? 'click' : 'impression', ts: now }) };
      });
      await producer.send({ topic: input, acks: 1, messages });
      const next = t0 + (tick + 1) * TICK_MS;
      if (next > Date.now()) await sleep(next - Date.now());
    }
  } finally {
    await producer.disconnect();
  }
  // Let a checkpoint triggered after the last event complete (it commits what fired), then stop the job.
  const tEnd = Date.now();
  for (const deadline = tEnd + 6 * CHECKPOINT_MS; Date.now() < deadline; await sleep(500)) {
    const cp = (await flink.get(`/jobs/${jobId}/checkpoints`).catch(() => ({}))) as { latest?: { completed?: { trigger_timestamp?: number } | null } };
    if ((cp.latest?.completed?.trigger_timestamp ?? 0) > tEnd) break;
  }
  await flink.cancelJob(jobId).catch(() => {});
  const results = await consumeAll(kafka, v.results_topic, { readUncommitted: false, idleMs: 2_000, timeoutMs: 60_000 });
  const latencies: number[] = [];
  const windows = new Set<number>();
  for (const m of results) {
    const r = JSON.parse(m.value) as { window_start: number; window_end: number };
    if (r.window_start < t0) continue; // a window that began before the first event is partial
    windows.add(r.window_start);
    latencies.push(m.timestamp - (r.window_end + WATERMARK_DELAY_MS));
  }
  const achieved = Math.round(n / seconds);
  return { job, events_per_s: achieved, seconds, windows: windows.size, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.length ? Math.max(...latencies) : Number.NaN };
}
