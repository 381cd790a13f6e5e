/**
 * The alert drills (ADR 0075): on the running stack, start the phase-1 pipeline as a live,
 * checkpointed job with restarts off, feed it live traffic, then cause each fault and time its
 * alert through Prometheus' HTTP API, fire and resolve:
 *
 *   dlq-burst                    300 malformed lines at once          -> DlqShareHigh
 *   clickhouse-consumer-stopped  DETACH TABLE of the run's two views    -> ConsumerLagGrowing (group <run>_clickhouse)
 *   producing-stopped            the producer pauses                  -> ResultsStale
 *   taskmanager-killed           kill -9 of the TaskManager           -> FlinkJobNotRunning
 *
 * Before the faults, a generated dataset goes through the same pipeline and the DLQ per reason
 * that Prometheus reports is compared with the oracle's for those lines. The first two faults run
 * together (they do not touch each other's signal); the others one after another. Everything the
 * drills create is removed at the end, also on failure.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { generateDataset } from '../../ctr/generator.ts';
import { WINDOW_MS } from '../../ctr/event.ts';
import { runOracle } from '../../ctr/oracle.ts';
import { createResultsTables } from '../../pipeline/clickhouse.ts';
import { runStatements } from '../../pipeline/gateway.ts';
import { ingestLines } from '../../pipeline/ingest.ts';
import type { PipelineNames } from '../../pipeline/names.ts';
import { flinkStatements } from '../../pipeline/render.ts';
import { type StreamingOptions, streamingNames, streamingVariant } from '../../pipeline/streaming.ts';
import { createTrackedTopics, pipelineTopics } from '../../pipeline/topics.ts';
import type { AlertDrillResult, AlertsRecord } from '../../results/alerts.ts';
import type { Endpoints, StackBackend } from '../../stack/backend.ts';
import { clickhouseClient, exec } from '../../stack/clickhouse/client.ts';
import { kafkaClient } from '../../stack/kafka/client.ts';
import { PrometheusClient } from '../../stack/prometheus/client.ts';
import { TrackedResources } from '../../stack/resources.ts';
import { EXPORTER } from '../metrics.ts';
import { type AlertTiming, waitForAlert } from './alert-watch.ts';
import { LiveProducer } from './live-producer.ts';

export const STREAM = { eventsPerSecond: 50, products: 4, checkpointInterval: '2 s', restartAttempts: 0 } as const;

/**
 * The limits the live test holds each alert to, in seconds. Fire: how long the signal takes to
 * show (a window closing, a scrape, an evaluation: up to 5 s each) plus the alert's own window and
 * `for:` in the lab profile, with room for a busy 2-core machine. Resolve: the same for the fix,
 * plus restarting the TaskManager and resubmitting the job for the last drill.
 */
export const LIMITS = {
  'dlq-burst': { fire: 30, resolve: 75 },
  'clickhouse-consumer-stopped': { fire: 75, resolve: 45 },
  'producing-stopped': { fire: 75, resolve: 60 },
  'taskmanager-killed': { fire: 45, resolve: 120 },
} as const;

export interface DrillRun {
  drills: AlertDrillResult[];
  dlqCheck: AlertsRecord['dlqCheck'];
  stream: AlertsRecord['stream'];
}

type Say = (line: string) => void;

function drillOptions(stack: StackBackend, run: string): StreamingOptions {
  const dir = stack.sharedDir(`pipelines/${run}`).internal;
  return {
    checkpointInterval: STREAM.checkpointInterval,
    stateBackend: 'hashmap',
    deliveryGuarantee: 'at-least-once',
    checkpointDir: `file://${dir}/checkpoints`,
    rocksdbLogDir: `${dir}/rocksdb-logs`,
    parallelism: 1,
    // Restarts off: a lost TaskManager fails the job, which is the fault the alert is about.
    restartAttempts: STREAM.restartAttempts,
    restartDelay: '1 s',
    txnTimeoutMs: 600_000,
    startupMode: 'earliest-offset',
    autoCommit: false,
    partitions: 1,
  };
}

async function submit(ep: Endpoints, v: PipelineNames, track: TrackedResources): Promise<string> {
  const variant = streamingVariant(true, ["SET 'execution.checkpointing.tolerable-failed-checkpoints' = '30'"]);
  return runStatements(ep, flinkStatements(v, variant), { session: v.prefix, track });
}

/** Polls an instant query until `ok` holds for its samples, or the timeout. */
async function until(prom: PrometheusClient, expr: string, ok: (values: Map<string, number>) => boolean, timeoutMs: number, label = 'reason'): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let last = new Map<string, number>();
  while (Date.now() < deadline) {
    last = new Map((await prom.query(expr).catch(() => [])).map((s) => [s.metric[label] ?? '', Number(s.value[1])]));
    if (ok(last)) return last;
    await sleep(1_000);
  }
  return last;
}

function result(id: keyof typeof LIMITS, alert: AlertDrillResult['alert'], fault: string, fix: string, fired: AlertTiming, resolved: AlertTiming | null): AlertDrillResult {
  const limits = LIMITS[id];
  const firedAfter = fired.reachedAfterSeconds;
  const resolvedAfter = resolved?.reachedAfterSeconds ?? null;
  const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  return {
    id,
    alert,
    fault,
    fix,
    firedAfterSeconds: round(firedAfter),
    pendingAfterSeconds: round(fired.pendingAfterSeconds),
    fireLimitSeconds: limits.fire,
    resolvedAfterSeconds: round(resolvedAfter),
    resolveLimitSeconds: limits.resolve,
    passed: firedAfter !== null && firedAfter <= limits.fire && resolvedAfter !== null && resolvedAfter <= limits.resolve,
  };
}

/** Waits until the alert the next fault is about is neither pending nor firing, so its timing starts clean. */
async function quiet(prom: PrometheusClient, name: string, labels: Record<string, string>, timeoutMs: number): Promise<void> {
  const t = await waitForAlert(prom, name, labels, 'resolved', Date.now(), timeoutMs);
  if (t.reachedAfterSeconds === null) throw new Error(`${name} ${JSON.stringify(labels)} is still active ${timeoutMs / 1000} s later: the next drill cannot start clean`);
}

export async function runAlertDrills(stack: StackBackend, say: Say = () => {}): Promise<DrillRun> {
  const t0 = Date.now();
  const step = (s: string) => say(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${s}`);
  const ep = stack.endpoints();
  const prom = new PrometheusClient(ep.prometheus);
  const run = `obs_${Date.now().toString(36)}`;
  const v = streamingNames(run, ep, drillOptions(stack, run));
  const track = new TrackedResources();
  const kafka = kafkaClient(ep.kafka);
  const ch = clickhouseClient(ep.clickhouseHttp, { quiet: true });
  const producer = new LiveProducer(kafka, { topic: v.input_topic, eventsPerSecond: STREAM.eventsPerSecond, products: STREAM.products });
  const drills: AlertDrillResult[] = [];
  try {
    step(`run ${run}: topics, ClickHouse tables, the job (restarts off, checkpoints every ${STREAM.checkpointInterval})`);
    await createTrackedTopics(ep, pipelineTopics(v, { inputPartitions: 1 }), track);
    await createResultsTables(ep, v, { variant: streamingVariant(true), track });
    await submit(ep, v, track);

    // Live traffic first: the DLQ check's lines then arrive beside 50 valid events/s, a DLQ share
    // below DlqShareHigh's threshold, as normal traffic with some bad lines would be.
    await producer.start();
    // The DLQ check: lines whose DLQ reasons the oracle knows, through the running pipeline.
    const lines = generateDataset({ seed: 17, events: 400, startTs: Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS, ratePerSecond: 1000, malformedRate: 0.1, duplicateRate: 0, lateRate: 0 });
    await ingestLines(kafka, v, lines);
    const oracle = new Map<string, number>();
    for (const d of runOracle(lines).dlq) oracle.set(d.reason, (oracle.get(d.reason) ?? 0) + 1);
    step(`${lines.length} generated lines produced; the oracle sends ${[...oracle.values()].reduce((a, b) => a + b, 0)} to the DLQ; waiting for Prometheus to report the same per reason`);
    const same = (m: Map<string, number>) => m.size === oracle.size && [...oracle].every(([r, n]) => m.get(r) === n);
    const metric = await until(prom, `sum by (reason) (${EXPORTER.dlqEvents}{run="${run}"})`, same, 60_000);
    const reasons = [...new Set([...oracle.keys(), ...metric.keys()])].sort().map((reason) => ({ reason, oracle: oracle.get(reason) ?? 0, metric: metric.get(reason) ?? 0 }));
    const dlqCheck = { reasons, equal: same(metric) };
    step(`DLQ per reason: ${dlqCheck.equal ? 'equal to the oracle' : 'DIFFERENT from the oracle'} (${reasons.map((r) => `${r.reason} ${r.metric}/${r.oracle}`).join(', ')})`);

    const fresh = await until(prom, `time() - ${EXPORTER.newestWindowEnd}{run="${run}"}`, (m) => [...m.values()].some((age) => age < 25), 90_000, 'run');
    if (![...fresh.values()].some((age) => age < 25)) throw new Error(`the live results of ${run} never became fresh in ClickHouse: see npm run stack status`);
    step(`live traffic at ${STREAM.eventsPerSecond} events/s; results fresh in ClickHouse`);

    // 1 + 2 together: a malformed burst, and ClickHouse's consumer stopped.
    // The views that read the Kafka table (phase 1's streaming SQL: results and the ingest log).
    const consumerViews = [v.mv_name, `${v.mv_name}_ingested`];
    await quiet(prom, 'DlqShareHigh', { run }, 120_000);
    await quiet(prom, 'ConsumerLagGrowing', { group: v.clickhouse_group }, 120_000);
    const faultA = Date.now();
    await producer.sendRaw(Array.from({ length: 300 }, (_, i) => `{"event_id": "broken-${i}", `));
    const burstOver = Date.now();
    // The Kafka engine reads only while a view depends on it: detaching the views stops it and
    // keeps its consumer. Detaching the Kafka table itself destroys a subscribed consumer, which
    // 18.16's librdkafka can abort on (a dry run's server died: rd_kafka_cgrp_destroy_final assert).
    for (const view of consumerViews) await exec(ch, `DETACH TABLE ${view}`);
    step(`fault: 300 malformed lines at once; DETACH TABLE ${consumerViews.join(', ')} (ClickHouse's Kafka engine stops consuming: no view depends on it)`);
    // Each alert is watched on its own from here: the DLQ one resolves by itself once the burst
    // leaves its rate window; the lag one once ClickHouse consumes again.
    const dlqDrill = (async () => {
      const fired = await waitForAlert(prom, 'DlqShareHigh', { run }, 'firing', faultA, 120_000);
      step(`DlqShareHigh fired after ${fired.reachedAfterSeconds ?? 'never'} s`);
      const resolved = await waitForAlert(prom, 'DlqShareHigh', { run }, 'resolved', burstOver, 150_000);
      step(`DlqShareHigh resolved ${resolved.reachedAfterSeconds ?? 'never'} s after the burst`);
      return result('dlq-burst', 'DlqShareHigh', '300 malformed lines at once, beside 50 valid events/s', 'none needed: the burst ends and leaves the 30 s rate window', fired, resolved);
    })();
    const lagDrill = (async () => {
      const fired = await waitForAlert(prom, 'ConsumerLagGrowing', { group: v.clickhouse_group }, 'firing', faultA, 150_000);
      const fix = Date.now();
      for (const view of consumerViews) await exec(ch, `ATTACH TABLE ${view}`);
      step(`ConsumerLagGrowing fired after ${fired.reachedAfterSeconds ?? 'never'} s; fix: ATTACH TABLE of the views (ClickHouse consumes again)`);
      const resolved = await waitForAlert(prom, 'ConsumerLagGrowing', { group: v.clickhouse_group }, 'resolved', fix, 120_000);
      step(`ConsumerLagGrowing resolved ${resolved.reachedAfterSeconds ?? 'never'} s after the fix`);
      return result('clickhouse-consumer-stopped', 'ConsumerLagGrowing', `DETACH TABLE of the views that read ${v.queue_table}: ClickHouse's Kafka engine stops consuming`, 'ATTACH TABLE of the views: it consumes again', fired, resolved);
    })();
    drills.push(...(await Promise.all([dlqDrill, lagDrill])));

    // The stopped consumer also left the results stale: start the next fault from a quiet run.
    await quiet(prom, 'ResultsStale', { run }, 120_000);
    step('ResultsStale is not active');

    // 3: producing stops.
    const faultB = Date.now();
    producer.pause();
    step('fault: the producer stops');
    const staleFired = await waitForAlert(prom, 'ResultsStale', { run }, 'firing', faultB, 150_000);
    const fixB = Date.now();
    producer.resume();
    step(`ResultsStale fired after ${staleFired.reachedAfterSeconds ?? 'never'} s; fix: producing again`);
    const staleResolved = await waitForAlert(prom, 'ResultsStale', { run }, 'resolved', fixB, 120_000);
    drills.push(result('producing-stopped', 'ResultsStale', 'the producer stops sending', 'the producer sends again', staleFired, staleResolved));
    step(`ResultsStale resolved ${staleResolved.reachedAfterSeconds ?? 'never'} s after the fix`);

    await quiet(prom, 'FlinkJobNotRunning', { job_name: v.pipeline_name }, 120_000);

    // 4: the TaskManager dies; restarts are off, so the job fails.
    const faultC = Date.now();
    await stack.kill('flink-taskmanager');
    step('fault: kill -9 of the TaskManager (the job has no restarts)');
    const jobFired = await waitForAlert(prom, 'FlinkJobNotRunning', { job_name: v.pipeline_name }, 'firing', faultC, 120_000);
    const fixC = Date.now();
    step(`FlinkJobNotRunning fired after ${jobFired.reachedAfterSeconds ?? 'never'} s; fix: npm run stack up repairs the TaskManager, the job is submitted again`);
    await stack.up({ services: ['flink-taskmanager'] });
    await submit(ep, v, track);
    const jobResolved = await waitForAlert(prom, 'FlinkJobNotRunning', { job_name: v.pipeline_name }, 'resolved', fixC, 180_000);
    drills.push(result('taskmanager-killed', 'FlinkJobNotRunning', 'kill -9 of the TaskManager, restarts off: the job fails', 'the stack repairs the TaskManager; the job is submitted again', jobFired, jobResolved));
    step(`FlinkJobNotRunning resolved ${jobResolved.reachedAfterSeconds ?? 'never'} s after the fix began`);
    return { drills, dlqCheck, stream: { ...STREAM } };
  } finally {
    await producer.stop();
    // The TaskManager may be the one the last drill killed: repair it before removing the job.
    await stack.up({ services: ['flink-taskmanager'] }).catch(() => undefined);
    const errors = await track.remove(ep);
    await ch.close();
    step(errors.length ? `cleanup: could not remove ${errors.join('; ')}` : `cleanup: removed the job, topics and tables of ${run}`);
  }
}
