/**
 * One recovery drill, end to end, printed as a timeline (+seconds since the drill began): topics
 * and tables, the streaming job, a steady producer, the fault, the recovery and catch-up, a
 * drained stop-with-savepoint, then ClickHouse FINAL, the side topics and the input topic against
 * the oracle.
 */
import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CtrResult } from '../../../src/ctr/event.ts';
import { generateDataset } from '../../../src/ctr/generator.ts';
import { type InputLine, lineBytes } from '../../../src/ctr/line.ts';
import { runOracle, type OracleOutput } from '../../../src/ctr/oracle.ts';
import type { LabContext } from '../../../src/lab/contract.ts';
import { createResultsTables } from '../../../src/pipeline/clickhouse.ts';
import { runStatements } from '../../../src/pipeline/gateway.ts';
import { isTooLarge } from '../../../src/pipeline/ingest.ts';
import { closedWindowsAfter, produceSteadily, windowCloseTimes } from '../../../src/pipeline/producer.ts';
import { flinkStatements } from '../../../src/pipeline/render.ts';
import { type StreamingOptions, streamingNames, streamingVariant } from '../../../src/pipeline/streaming.ts';
import type { PipelineNames } from '../../../src/pipeline/names.ts';
import { createTrackedTopics, pipelineTopics, readTopic } from '../../../src/pipeline/topics.ts';
import type { Endpoints, StackBackend } from '../../../src/stack/backend.ts';
import { FlinkRestClient, fullyRunning, parseMetricValues } from '../../../src/stack/flink/rest-client.ts';
import { groupLag, kafkaClient } from '../../../src/stack/kafka/client.ts';
import { type ResourceTracker, TrackedResources } from '../../../src/stack/resources.ts';
import type { Drill, FaultOutcome } from './faults.ts';
import { catchUpTarget, longestProducerGap, observeClickhouse, percentile, recoveryFrom, type TimelinePoint, visibilityBefore } from './measure.ts';
import { readClickhouse, waitClickhouseSettled } from './results.ts';

export interface DrillParams {
  /** Events per second of event time, produced at the same rate of wall time. */
  rate: number;
  seconds: number;
  /** When the fault hits, in seconds after the producer started. */
  faultAtSeconds: number;
  seed: number;
  /** Lines to replay instead of the generated stream (must hold no late events). */
  lines?: InputLine[];
  runId: string;
  /** The stack the drill breaks and repairs. */
  stack: StackBackend;
  say: (text: string) => void;
  expectOutage: LabContext['expectOutage'];
  /** The lab's tracker: what a drill creates is removed when the drill ends, and by the runner after Ctrl-C or a failure. */
  track: ResourceTracker;
}

export interface SideCount {
  /** Records a read_committed consumer sees: what counts. */
  committed: number;
  /** Records including those of aborted transactions: what a read_uncommitted consumer would see. */
  uncommitted: number;
  expected: number;
}

export interface DrillSummary {
  drill: Drill['id'];
  runId: string;
  lines: number;
  oracle: OracleOutput;
  fault: { at: string; restoredSeconds: number; linesBefore: number; heldSeconds?: number };
  /** The producer's longest wait between acknowledged batches after the fault (s): how long the host could not write. */
  producerStallSeconds: number;
  /** Seconds from the fault until the job was seen failing (when it failed). */
  noticedSeconds?: number;
  /** Seconds from the fault until the broken part was back and every task ran again. */
  recoverySeconds?: number;
  /** Seconds from the fault until ClickHouse was as fresh as before it. */
  catchUpSeconds?: number;
  timeline: { seconds: number; event: string }[];
  clickhouse: { rows: CtrResult[]; final: number; raw: number };
  side: Record<'results' | 'dlq' | 'duplicates' | 'late', SideCount>;
  input: { expected: number; actual: number; missing: number; extra: number };
  /** ClickHouse visibility before the fault: window close -> row first seen (ms). */
  visibility: { p50: number; p95: number; n: number };
  checkpoints: { completed?: number; failed?: number; restored?: string };
  /** Flink's numRestarts of the job after the fault (every attempt, the ones that found no slot too). */
  restarts?: number;
  exceptions: string[];
}

export function pipelineOptions(drill: Drill, stack: Pick<StackBackend, 'sharedDir'>): StreamingOptions {
  return {
    checkpointInterval: drill.checkpointing ? '5s' : '',
    stateBackend: 'rocksdb',
    // The control writes at-least-once: without checkpoints a transaction would never commit.
    deliveryGuarantee: drill.checkpointing ? 'exactly-once' : 'at-least-once',
    checkpointDir: `file://${stack.sharedDir('checkpoints').internal}`,
    rocksdbLogDir: stack.sharedDir('rocksdb-logs').internal,
    parallelism: 1,
    restartAttempts: 30,
    restartDelay: '1 s',
    txnTimeoutMs: 600_000,
    // Without a checkpoint a restarted job resumes from the offsets the consumer auto-committed,
    // with empty state: what a job without checkpoints does in production.
    startupMode: drill.checkpointing ? 'earliest-offset' : 'group-offsets',
    autoCommit: !drill.checkpointing,
    partitions: 2,
  };
}

export async function runDrill(ep: Endpoints, drill: Drill, p: DrillParams): Promise<DrillSummary> {
  const t0 = Date.now();
  const since = (t: number) => (t - t0) / 1000;
  const events: { seconds: number; event: string }[] = [];
  const say = (event: string) => {
    events.push({ seconds: Number(since(Date.now()).toFixed(1)), event });
    p.say(`+${since(Date.now()).toFixed(1).padStart(5)} s  ${event}`);
  };
  const o = pipelineOptions(drill, p.stack);
  const v = streamingNames(p.runId, ep, o);
  // What this drill creates goes when it ends: a later drill should not share the machine with
  // an idle Kafka engine table (each keeps a consumer busy on 18.16). The lab's tracker has it too.
  const mine = new TrackedResources();
  const track = alsoIn(p.track, mine);
  const submit = (opts: StreamingOptions, set: readonly string[] = []) =>
    runStatements(ep, flinkStatements(streamingNames(p.runId, ep, opts), streamingVariant(drill.checkpointing, set)), { session: v.prefix, track });
  // A steady stream without late events: event time advances at `rate` per second, out of order
  // by up to 2 s (< the 5 s watermark delay), with duplicates and malformed lines.
  const lines = p.lines ?? generateDataset({ seed: p.seed, events: p.rate * p.seconds, ratePerSecond: p.rate, lateRate: 0, tricky: true });
  const oracle = runOracle(lines);
  say(`${lines.length} lines at ${p.rate}/s over ${o.partitions} partitions; the oracle expects ${oracle.results.length} windows, dlq ${oracle.counts.dlq}, duplicates ${oracle.counts.duplicates}, late ${oracle.counts.late}`);

  mkdirSync(o.rocksdbLogDir, { recursive: true }); // Flink uses it only if it exists
  await createTrackedTopics(ep, pipelineTopics(v, { inputPartitions: o.partitions }), track);
  await createResultsTables(ep, v, { variant: streamingVariant(drill.checkpointing), track });
  let jobId = await submit(o);
  say(`job ${jobId} submitted (${drill.checkpointing ? 'checkpoints every 5 s, RocksDB, exactly-once sinks' : 'no checkpoints, at-least-once sinks, auto-committed offsets'})`);
  const kafka = kafkaClient(ep.kafka);
  const flink = new FlinkRestClient(ep.flinkRest);
  const chSeen = observeClickhouse(ep, v.results_table);

  // The job's state every 200 ms (the job id changes once in drill 4).
  const timeline: TimelinePoint[] = [];
  let polling = true;
  const poller = (async () => {
    let last = '';
    while (polling) {
      const id = jobId;
      const d = await flink.jobDetails(id).catch(() => undefined);
      if (d) {
        const key = `${id}/${d.state}/${fullyRunning(d)}`;
        if (key !== last) {
          last = key;
          timeline.push({ at: Date.now(), running: fullyRunning(d) });
          say(`job ${d.state}${fullyRunning(d) ? ' (all tasks RUNNING)' : ` [${[...new Set(d.vertices.map((x) => x.status))].join(',')}]`}`);
        }
      }
      await sleep(200);
    }
  })();
  const stopPolling = async () => {
    polling = false;
    await poller;
  };

  try {
    const startDeadline = Date.now() + 90_000;
    while (!timeline.some((t) => t.running)) {
      if (Date.now() > startDeadline) throw new Error(`job ${jobId} never got all tasks RUNNING: ${(await flink.exceptionLines(jobId)).join(' | ') || 'no exception recorded'}`);
      await sleep(100);
    }
    const prod = produceSteadily(kafka, v, lines, p.rate, o.partitions);
    let prodEndedAt: number | undefined;
    void prod.done.then(() => (prodEndedAt = Date.now()));
    say('producing');
    await Promise.race([sleep(p.faultAtSeconds * 1000), prod.done]);

    const cps = (await flink.get(`/jobs/${jobId}/checkpoints`).catch(() => ({}))) as { counts?: { completed?: number } };
    const linesBefore = prod.sent;
    say(`fault after ${linesBefore} lines (${cps.counts?.completed ?? 0} checkpoints completed)`);
    const fault: FaultOutcome = await drill.inject({
      flinkRest: ep.flinkRest,
      stack: p.stack,
      jobId,
      savepointDir: `file://${p.stack.sharedDir('savepoints').internal}`,
      say,
      expectOutage: p.expectOutage,
      resubmit: async ({ parallelism, savepoint }) => submit({ ...o, parallelism }, [`SET 'execution.savepoint.path' = '${savepoint}'`]),
    });
    jobId = fault.jobId;
    track.job(jobId);

    // Catch-up: ClickHouse holds, with the oracle's numbers, every window closed by the lines
    // produced up to `now - L` (L = the pre-fault visibility p95 + 1 s), including at least one
    // window that closed after the fault: as fresh as before it. The control is not measured:
    // it never catches up (that is its point).
    const close = windowCloseTimes(lines, prod);
    const L = catchUpTarget(chSeen.firstSeen, close, fault.at);
    let caughtUp: number | undefined;
    if (drill.checkpointing) {
      say(`catch-up target: ClickHouse as fresh as ${(L / 1000).toFixed(1)} s behind the input (the pre-fault visibility p95 + 1 s)`);
      const sentAt = (t: number) => prod.batches.reduce((n, b) => (b.at <= t ? b.sent : n), 0);
      let closed = { sent: -1, firstAfterFault: Number.POSITIVE_INFINITY };
      while (Date.now() - fault.at < 240_000 && !(prodEndedAt !== undefined && Date.now() - prodEndedAt > 90_000)) {
        const horizon = Date.now() - L;
        // Windows keep closing as the producer goes on: recomputed only when more lines were sent.
        if (closed.sent !== prod.sent) closed = { sent: prod.sent, firstAfterFault: Math.min(...[...windowCloseTimes(lines, prod).values()].filter((c) => c > fault.at)) };
        const firstClosedAfterFault = closed.firstAfterFault;
        if (horizon >= firstClosedAfterFault && timeline[timeline.length - 1]?.running) {
          const want = closedWindowsAfter(lines, sentAt(horizon));
          const got = new Map((await readClickhouse(ep, v).catch(() => ({ final: [] as CtrResult[] }))).final.map((r) => [`${r.product_id}@${r.window_start}`, r]));
          if (want.every((w) => got.get(`${w.product_id}@${w.window_start}`)?.impressions === w.impressions && got.get(`${w.product_id}@${w.window_start}`)?.clicks === w.clicks)) {
            caughtUp = Date.now();
            break;
          }
        }
        await sleep(250);
      }
    }
    if (!drill.checkpointing) {
      // The control is not timed for catch-up; wait (60 s at most) until its job runs again.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && recoveryFrom(timeline, fault, undefined).recoveredAt === undefined) await sleep(250);
    }
    const firstRowAfter = Math.min(...[...chSeen.firstSeen.values()].filter((t) => t > fault.at));
    if (Number.isFinite(firstRowAfter)) say(`ClickHouse: the first new row after the fault landed ${((firstRowAfter - fault.at) / 1000).toFixed(1)} s after it`);
    const rec = recoveryFrom(timeline, fault, caughtUp);
    const f = (t: number | undefined) => (t === undefined ? 'never' : `${((t - fault.at) / 1000).toFixed(1)} s`);
    say(`recovery: ${fault.jobRestarts ? `the job was seen failing after ${f(rec.noticedAt)}, ` : ''}back and every task RUNNING after ${f(rec.recoveredAt)}${drill.checkpointing ? `; ClickHouse caught up after ${f(caughtUp)}` : ''} (from the fault)`);

    await prod.done;
    const stall = longestProducerGap(prod.batches, fault.at);
    say(`produced all ${prod.sent} lines; the producer's longest wait for an acknowledgement after the fault: ${(stall.gapMs / 1000).toFixed(1)} s${stall.resumedAt && stall.gapMs > 1_000 ? ` (acknowledged again at +${since(stall.resumedAt).toFixed(1)} s)` : ''}`);
    // A drained stop ends the sources where they are: wait until the job has read (and, with
    // checkpoints, committed) the whole input, or the unread tail would be missing from the results.
    const unread = await waitInputRead(kafka, v.consumer_group, v.input_topic);
    say(unread === 0 ? 'the job has read the whole input (its consumer group lags 0)' : `the job still lags ${unread} lines after 90 s: stopping anyway`);
    const cpsEnd = (await flink.get(`/jobs/${jobId}/checkpoints`).catch(() => ({}))) as { counts?: { completed?: number; failed?: number }; latest?: { restored?: { external_path?: string } | null } };
    // How often the job restarted (each attempt that found no slot counts: drill 5 burns several while the TaskManager is frozen).
    const restarts = await flink.get(`/jobs/${jobId}/metrics?get=numRestarts`).then((b) => parseMetricValues(b).numRestarts).catch(() => undefined);
    if (restarts) say(`the job restarted ${restarts} time(s) (restart strategy: fixed-delay, ${o.restartAttempts} attempts, ${o.restartDelay} apart)`);
    const sp = await flink.stopWithSavepoint(jobId, { drain: true, targetDirectory: `file://${p.stack.sharedDir('savepoints').internal}` });
    say(`stop-with-savepoint and drain: every open window fired (${sp})`);
    await stopPolling();

    const settled = await waitClickhouseSettled(ep, v, oracle.results.length);
    say(`ClickHouse settled: ${settled.final.length} rows FINAL, ${settled.raw} rows ingested (${settled.raw - settled.final.length} repeats absorbed by the ReplacingMergeTree key)`);
    const [side, input] = await Promise.all([readSideTopics(kafka, v, oracle), compareInput(kafka, v.input_topic, lines)]);
    for (const [name, c] of Object.entries(side)) say(`topic ${name}: read_committed ${c.committed}, read_uncommitted ${c.uncommitted}, oracle ${c.expected}`);
    say(`input topic: ${input.actual} records for ${input.expected} lines (${input.missing} missing, ${input.extra} extra)`);
    const lags = visibilityBefore(chSeen.firstSeen, close, fault.at);
    await chSeen.stop();
    const exceptions = await flink.exceptionLines(jobId);
    // Why the job failed, as Flink recorded it (newest first): the first failure's cause, and how many restarts failed after it.
    const history = [...exceptions].reverse();
    if (history[0]) say(`Flink's exception history, first: ${history[0]}`);
    if (history.length > 1) say(`Flink's exception history: ${history.length - 1} more, the last: ${history.at(-1)}`);

    return {
      drill: drill.id,
      runId: p.runId,
      lines: lines.length,
      oracle,
      fault: { at: new Date(fault.at).toISOString(), restoredSeconds: (fault.restoredAt - fault.at) / 1000, linesBefore, heldSeconds: fault.heldSeconds },
      producerStallSeconds: stall.gapMs / 1000,
      noticedSeconds: rec.noticedAt === undefined ? undefined : (rec.noticedAt - fault.at) / 1000,
      recoverySeconds: rec.recoveredAt === undefined ? undefined : (rec.recoveredAt - fault.at) / 1000,
      catchUpSeconds: caughtUp === undefined ? undefined : (caughtUp - fault.at) / 1000,
      timeline: events,
      clickhouse: { rows: settled.final, final: settled.final.length, raw: settled.raw },
      side,
      input,
      visibility: { p50: percentile(lags, 50), p95: percentile(lags, 95), n: lags.length },
      checkpoints: { completed: cpsEnd.counts?.completed, failed: cpsEnd.counts?.failed, restored: cpsEnd.latest?.restored?.external_path },
      restarts,
      exceptions,
    };
  } finally {
    await stopPolling();
    await chSeen.stop();
    for (const e of await mine.remove(ep)) say(`cleanup: ${e}`);
  }
}

/** A tracker that registers with both: the drill removes its own, the lab's runner whatever is left. */
function alsoIn(a: ResourceTracker, b: ResourceTracker): ResourceTracker {
  return {
    topic: (name) => [a, b].forEach((t) => t.topic(name)),
    table: (name) => [a, b].forEach((t) => t.table(name)),
    job: (id) => [a, b].forEach((t) => t.job(id)),
  };
}

/** Polls the Flink source's committed offsets until they reach the input's end; returns the lag left. */
async function waitInputRead(kafka: ReturnType<typeof kafkaClient>, group: string, topic: string, timeoutMs = 90_000): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lag = await groupLag(admin, group, topic).catch(() => Number.NaN);
      if (lag === 0 || Date.now() > deadline) return lag;
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}

/** The four output topics, each read twice: as committed (what counts) and with aborted records. */
async function readSideTopics(kafka: ReturnType<typeof kafkaClient>, v: PipelineNames, oracle: OracleOutput): Promise<DrillSummary['side']> {
  const topics = [
    ['results', v.results_topic, oracle.results.length],
    ['dlq', v.dlq_topic, oracle.counts.dlq],
    ['duplicates', v.duplicates_topic, oracle.counts.duplicates],
    ['late', v.late_topic, oracle.counts.late],
  ] as const;
  const counts = await Promise.all(
    topics.map(async ([name, topic, expected]) => {
      const [c, u] = await Promise.all([readTopic(kafka, topic, false), readTopic(kafka, topic, true)]);
      return [name, { committed: c.length, uncommitted: u.length, expected }] as const;
    }),
  );
  return Object.fromEntries(counts) as DrillSummary['side'];
}

/**
 * The input topic against the lines produced to it (all but the too_large ones, which went to the
 * DLQ), byte for byte, as multisets: the producer lost and doubled nothing.
 */
async function compareInput(kafka: ReturnType<typeof kafkaClient>, topic: string, lines: readonly InputLine[]): Promise<DrillSummary['input']> {
  const got = await readTopic(kafka, topic, false);
  // latin1: one character per byte, so equal keys are equal bytes.
  const key = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  const sent = lines.filter((l) => !isTooLarge(l));
  const want = new Map<string, number>();
  for (const l of sent) {
    const k = key(lineBytes(l));
    want.set(k, (want.get(k) ?? 0) + 1);
  }
  let extra = 0;
  for (const b of got) {
    const k = key(b);
    const n = want.get(k) ?? 0;
    if (n > 0) want.set(k, n - 1);
    else extra++;
  }
  const missing = [...want.values()].reduce((a, b) => a + b, 0);
  return { expected: sent.length, actual: got.length, missing, extra };
}
