/**
 * One recovery drill, end to end: topics and tables, the streaming job, a steady producer, the
 * fault (TaskManager kill -9 + repair through the stack's up()), stop-with-savepoint and drain,
 * then ClickHouse FINAL and the side topics against the oracle. Used by lab.ts and drills/run.ts.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CtrResult } from '../../../src/ctr/event.ts';
import { generateDataset } from '../../../src/ctr/generator.ts';
import { runOracle, type OracleOutput } from '../../../src/ctr/oracle.ts';
import { compareResults } from '../../../src/lab/compare.ts';
import type { Endpoints } from '../../../src/stack/index.ts';
import { clickhouseClient, query } from '../../../src/stack/clickhouse/client.ts';
import { kafkaClient } from '../../../src/stack/kafka/client.ts';
import { stackPaths } from '../../../src/stack/paths.ts';
import { forgetService, readState } from '../../../src/stack/state.ts';
import { up } from '../../../src/stack/stack.ts';
import {
  closedWindowsAfter,
  createTopicsAndTables,
  dropAll,
  fullyRunning,
  getJson,
  jobDetail,
  names,
  observeResults,
  percentile,
  produceSteadily,
  readClickhouse,
  readTopic,
  stopWithSavepoint,
  submit,
  waitClickhouseSettled,
  windowCloseTimes,
  type PipelineOptions,
} from './pipeline.ts';

export type DrillKind = 'none' | 'tm-kill' | 'control';

export interface DrillParams {
  drill: DrillKind;
  rate: number;
  seconds: number;
  killAtSeconds: number;
  interval: string;
  backend: 'rocksdb' | 'hashmap';
  guarantee: PipelineOptions['deliveryGuarantee'];
  startup: PipelineOptions['startupMode'];
  autoCommit: boolean;
  addJars: string[];
  keep: boolean;
  seed: number;
  txnTimeoutMs: number;
  /** file:// URI; default: the stack's data/flink/checkpoints (the cluster default too). */
  checkpointDir?: string;
  /** Lines to replay instead of the generated stream (must hold no late events for an exact drill). */
  lines?: string[];
  runId?: string;
  say: (s: string) => void;
}

export interface SideCount {
  committed: number;
  uncommitted: number;
  expected: number;
}

export interface DrillSummary {
  runId: string;
  jobId: string;
  drill: DrillKind;
  options: PipelineOptions;
  lines: number;
  oracle: OracleOutput;
  kill?: { at: number; sent: number; expectedClosed: number; pid: number };
  repaired?: { at: number; ms: number };
  noticedSeconds?: number;
  recoverySeconds?: number;
  catchUpSeconds?: number;
  timeline: { at: string; state: string; running: boolean }[];
  clickhouse: { rows: CtrResult[]; final: number; raw: number; equal: boolean; details?: string[] };
  side: Record<'results' | 'dlq' | 'duplicates' | 'late', SideCount>;
  visibility: Record<'committed' | 'uncommitted' | 'clickhouse', { p50: number; p95: number; n: number }>;
  savepoint: string;
  checkpoints: unknown;
  exceptions: string[];
}

export async function runDrill(ep: Endpoints, p: DrillParams): Promise<DrillSummary> {
  const say = p.say;
  const { drill, rate, seconds } = p;
  const checkpointing = drill !== 'control';
  const runId = p.runId ?? `drill_${drill.replace('-', '')}_${Date.now().toString(36)}`;
  const o: PipelineOptions = {
    checkpointInterval: checkpointing ? p.interval : '',
    stateBackend: p.backend,
    deliveryGuarantee: p.guarantee,
    checkpointDir: p.checkpointDir ?? `file://${join(stackPaths.data('flink'), 'checkpoints')}`,
    parallelism: 1,
    restartAttempts: 10,
    restartDelay: '1 s',
    txnTimeoutMs: p.txnTimeoutMs,
    startupMode: p.startup,
    autoCommit: p.autoCommit,
    extraStatements: p.addJars.map((j) => `ADD JAR '${j}'`),
  };
  const v = names(runId, ep, o);
  // A steady stream without late events: event time advances at `rate` events per second,
  // out of order by up to 2 s (< the 5 s watermark delay), with duplicates and malformed lines.
  const lines = p.lines ?? generateDataset({ seed: p.seed, events: rate * seconds, ratePerSecond: rate, lateRate: 0, tricky: true });
  const oracle = runOracle(lines);
  say(`run ${runId}: ${lines.length} lines at ${rate}/s (~${seconds} s); oracle: ${oracle.results.length} windows, dlq ${oracle.counts.dlq}, duplicates ${oracle.counts.duplicates}, late ${oracle.counts.late}`);
  say(`options ${JSON.stringify({ drill, ...o })}`);

  await createTopicsAndTables(ep, v);
  const jobId = await submit(ep, v, o);
  say(`job ${jobId} submitted`);
  const kafka = kafkaClient(ep.kafka);
  const chSeen = observeClickhouse(ep, v.results_table as string);
  const committed = await observeResults(kafka, v.results_topic as string, false);
  const uncommitted = await observeResults(kafka, v.results_topic as string, true);

  // Job state timeline, every 200 ms.
  const timeline: { at: number; state: string; running: boolean }[] = [];
  let polling = true;
  const poller = (async () => {
    let last = '';
    while (polling) {
      try {
        const d = await jobDetail(ep.flinkRest, jobId);
        const key = `${d.state}/${fullyRunning(d)}`;
        if (key !== last) {
          last = key;
          timeline.push({ at: Date.now(), state: d.state, running: fullyRunning(d) });
          say(`job ${d.state}${fullyRunning(d) ? ' (all tasks RUNNING)' : ` [${d.vertices.map((x) => x.status).join(',')}]`}`);
        }
      } catch (err) {
        say(`job poll: ${(err as Error).message}`);
      }
      await sleep(200);
    }
  })();

  const startDeadline = Date.now() + 90_000;
  while (!timeline.some((t) => t.running)) {
    const last = timeline[timeline.length - 1]?.state;
    if (last === 'FAILED' || Date.now() > startDeadline) {
      polling = false;
      throw new Error(`job never got all tasks RUNNING (last state ${last}): ${(await exceptionLines(ep.flinkRest, jobId)).join(' | ')}`);
    }
    await sleep(100);
  }
  const cfg = await getJson(ep.flinkRest, `/jobs/${jobId}/checkpoints/config`).catch((e: Error) => e.message);
  say(`checkpoint config: ${JSON.stringify(cfg)}`);
  const prod = produceSteadily(kafka, v.input_topic as string, lines, rate);
  let prodFinishedAt: number | undefined;
  void prod.done.then(() => {
    prodFinishedAt = Date.now();
  });
  say('producing');

  let kill: { at: number; sent: number; expectedClosed: number; pid: number } | undefined;
  let repaired: { at: number; ms: number } | undefined;
  if (drill === 'tm-kill' || drill === 'control') {
    await sleep(p.killAtSeconds * 1000);
    const tm = readState().services['flink-taskmanager'];
    if (!tm) throw new Error('no TaskManager recorded in state.json');
    // Let a checkpoint or two complete first (they are what recovery restores).
    const cps = (await getJson(ep.flinkRest, `/jobs/${jobId}/checkpoints`).catch(() => ({}))) as { counts?: { completed?: number } };
    say(`checkpoints completed before the kill: ${cps.counts?.completed ?? 'n/a'}`);
    forgetService('flink-taskmanager');
    process.kill(tm.pid, 'SIGKILL');
    kill = { at: Date.now(), sent: prod.sent, expectedClosed: closedWindowsAfter(lines, prod.sent).length, pid: tm.pid };
    say(`KILL -9 TaskManager pid ${tm.pid} after ${prod.sent} lines; ${kill.expectedClosed} windows closed by then`);
    const u0 = Date.now();
    const r = await up({});
    repaired = { at: Date.now(), ms: Date.now() - u0 };
    const newTm = readState().services['flink-taskmanager'];
    say(`stack up(): ${r.services.map((s) => `${s.name}=${s.outcome}`).join(' ')}; new TaskManager pid ${newTm?.pid} registered in ${(repaired.ms / 1000).toFixed(1)} s`);
  }

  // Recovery: the first moment after the kill at which every task runs again, after the JobManager
  // noticed the loss (until then the job still shows RUNNING on the dead TaskManager).
  // Catch-up: ClickHouse is as fresh as before the kill: it holds every window (with the oracle's
  // numbers) closed by the lines produced up to `now - L`, L = the pre-kill visibility p95 + 1 s.
  let caughtUp: number | undefined;
  let recoveredAt: number | undefined;
  let noticedAt: number | undefined;
  if (kill) {
    const killAt = kill.at;
    const preKill = windowCloseTimes(lines, prod);
    const preLags = [...chSeen.firstSeen.entries()].flatMap(([k, at]) => {
      const c = preKill.get(Number(k.slice(k.lastIndexOf('@') + 1)));
      return c === undefined || at > killAt ? [] : [at - c];
    });
    const L = (preLags.length ? percentile(preLags, 95) : 8_000) + 1_000;
    say(`catch-up target: ClickHouse holds every window closed ${(L / 1000).toFixed(1)} s ago (pre-kill visibility p95 + 1 s, n=${preLags.length})`);
    const sentAt = (t: number) => {
      let n = 0;
      for (const b of prod.batches) if (b.at <= t) n = b.sent;
      return n;
    };
    // Gives up 240 s after the kill, or 30 s after the last line was produced.
    while (Date.now() - killAt < 240_000 && !(prodFinishedAt !== undefined && Date.now() - prodFinishedAt > 30_000)) {
      noticedAt ??= timeline.find((t) => t.at > killAt && !t.running)?.at;
      if (noticedAt !== undefined) recoveredAt ??= timeline.find((t) => t.at > (noticedAt as number) && t.running)?.at;
      if (recoveredAt !== undefined) {
        const want = closedWindowsAfter(lines, sentAt(Date.now() - L));
        const { final } = await readClickhouse(ep, v);
        const got = new Map(final.map((r) => [`${r.product_id}@${r.window_start}`, r]));
        const ok = want.every((w) => {
          const g = got.get(`${w.product_id}@${w.window_start}`);
          return g && g.impressions === w.impressions && g.clicks === w.clicks;
        });
        if (ok) {
          caughtUp = Date.now();
          break;
        }
      }
      await sleep(250);
    }
    const f = (t: number | undefined) => (t ? `${((t - killAt) / 1000).toFixed(1)} s` : 'never');
    say(`recovery: JobManager noticed the loss after ${f(noticedAt)}; all tasks RUNNING again after ${f(recoveredAt)}; ClickHouse caught up after ${f(caughtUp)} (from the kill)`);
  }

  await prod.done;
  say(`produced all ${prod.sent} lines`);
  await sleep(2_000);
  const cpsEnd = (await getJson(ep.flinkRest, `/jobs/${jobId}/checkpoints`).catch(() => ({}))) as Record<string, unknown>;
  say(`checkpoints: ${JSON.stringify((cpsEnd as { counts?: unknown }).counts)} restored=${JSON.stringify((cpsEnd as { latest?: { restored?: unknown } }).latest?.restored ?? null)}`);
  const sp = await stopWithSavepoint(ep.flinkRest, jobId, true, `file://${join(stackPaths.data('flink'), 'savepoints')}`).catch((e: Error) => `FAILED: ${e.message}`);
  say(`stop-with-savepoint (drain): ${sp}`);
  polling = false;
  await poller;
  let finalState = await jobDetail(ep.flinkRest, jobId).catch(() => ({ state: '?' }));
  for (let i = 0; i < 100 && !['FINISHED', 'CANCELED', 'FAILED'].includes(finalState.state); i++) {
    await sleep(200);
    finalState = await jobDetail(ep.flinkRest, jobId).catch(() => ({ state: '?' }));
  }
  say(`job ended ${finalState.state}`);

  const settled = await waitClickhouseSettled(ep, v, oracle.results.length);
  say(`ClickHouse settled in ${(settled.waitedMs / 1000).toFixed(1)} s: ${settled.final.length} rows FINAL, ${settled.raw} raw (re-emitted windows: ${settled.raw - settled.final.length})`);
  const cmp = compareResults('ClickHouse FINAL equals the oracle', oracle.results, settled.final);
  say(`${cmp.name}: expected ${cmp.expected}, actual ${cmp.actual} => ${cmp.ok ? 'PASS' : 'FAIL'}`);
  for (const d of cmp.details ?? []) say(`   ${d}`);

  await chSeen.stop();
  await committed.stop();
  await uncommitted.stop();
  const side = {} as DrillSummary['side'];
  for (const [name, topic, expected] of [
    ['results', v.results_topic, oracle.results.length],
    ['dlq', v.dlq_topic, oracle.counts.dlq],
    ['duplicates', v.duplicates_topic, oracle.counts.duplicates],
    ['late', v.late_topic, oracle.counts.late],
  ] as const) {
    const c = (await readTopic(kafka, topic as string, false)).length;
    const u = (await readTopic(kafka, topic as string, true)).length;
    side[name] = { committed: c, uncommitted: u, expected };
    say(`topic ${name}: read_committed ${c}, read_uncommitted ${u}, oracle ${expected}`);
  }

  // Visibility: window close (the line that closes it was acknowledged) -> first seen.
  const close = windowCloseTimes(lines, prod);
  const lag = (obs: Map<string, number>) =>
    [...obs.entries()].flatMap(([k, at]) => {
      const c = close.get(Number(k.slice(k.lastIndexOf('@') + 1)));
      return c === undefined || (kill && c >= kill.at - 10_000) ? [] : [at - c];
    });
  const lc = lag(committed.firstSeen);
  const lu = lag(uncommitted.firstSeen);
  const lch = lag(chSeen.firstSeen);
  say(`visibility in ClickHouse (raw table, polled every 500 ms): p50 ${percentile(lch, 50)} ms p95 ${percentile(lch, 95)} ms max ${Math.max(...lch)} ms (n=${lch.length})`);
  say(`visibility after window close (before any kill): read_committed p50 ${percentile(lc, 50)} ms p95 ${percentile(lc, 95)} ms max ${Math.max(...lc)} ms (n=${lc.length}); read_uncommitted p50 ${percentile(lu, 50)} ms p95 ${percentile(lu, 95)} ms max ${Math.max(...lu)} ms (n=${lu.length})`);

  const exceptions = await exceptionLines(ep.flinkRest, jobId);
  say(`job exception history: ${exceptions.length === 0 ? 'none' : ''}`);
  for (const e of exceptions) say(`   ${e}`);

  const summary: DrillSummary = {
    runId,
    jobId,
    drill,
    options: o,
    lines: lines.length,
    oracle,
    kill,
    repaired,
    noticedSeconds: kill && noticedAt ? (noticedAt - kill.at) / 1000 : undefined,
    recoverySeconds: kill && recoveredAt ? (recoveredAt - kill.at) / 1000 : undefined,
    catchUpSeconds: kill && caughtUp ? (caughtUp - kill.at) / 1000 : undefined,
    timeline: timeline.map((t) => ({ ...t, at: new Date(t.at).toISOString() })),
    clickhouse: { rows: settled.final, final: settled.final.length, raw: settled.raw, equal: cmp.ok, details: cmp.details },
    side,
    visibility: {
      committed: { p50: percentile(lc, 50), p95: percentile(lc, 95), n: lc.length },
      uncommitted: { p50: percentile(lu, 50), p95: percentile(lu, 95), n: lu.length },
      clickhouse: { p50: percentile(lch, 50), p95: percentile(lch, 95), n: lch.length },
    },
    savepoint: sp,
    checkpoints: cpsEnd,
    exceptions,
  };
  if (!p.keep) await dropAll(ep, v).catch((e: Error) => say(`cleanup: ${e.message}`));
  else say(`kept topics and tables (prefix ${runId})`);
  return summary;
}


/** Polls the raw ClickHouse results table, noting when each (product_id, window_start) first lands. */
function observeClickhouse(ep: Endpoints, table: string): { firstSeen: Map<string, number>; stop: () => Promise<void> } {
  const firstSeen = new Map<string, number>();
  const ch = clickhouseClient(ep.clickhouseHttp);
  let on = true;
  const loop = (async () => {
    while (on) {
      try {
        for (const r of await query<{ product_id: string; window_start: number }>(ch, `SELECT product_id, window_start FROM ${table}`)) {
          const k = `${r.product_id}@${r.window_start}`;
          if (!firstSeen.has(k)) firstSeen.set(k, Date.now());
        }
      } catch {
        /* table not there yet, or ClickHouse busy */
      }
      await sleep(500);
    }
  })();
  return {
    firstSeen,
    stop: async () => {
      on = false;
      await loop;
      await ch.close();
    },
  };
}

/** The job's exception history, one line each: time, exception, where. */
export async function exceptionLines(rest: string, jobId: string): Promise<string[]> {
  try {
    const b = (await getJson(rest, `/jobs/${jobId}/exceptions`)) as { exceptionHistory?: { entries?: { exceptionName?: string; stacktrace?: string; timestamp?: number; taskName?: string }[] } };
    return (b.exceptionHistory?.entries ?? []).map((e) => {
      const causes = (e.stacktrace ?? '').split('\n').filter((l) => l.startsWith('Caused by: '));
      const root = (causes[causes.length - 1] ?? (e.stacktrace ?? '').split('\n')[0] ?? '').slice(0, 240);
      return `${new Date(e.timestamp ?? 0).toISOString().slice(11, 23)} ${e.exceptionName ?? ''} @ ${e.taskName ?? '-'}: ${root}`;
    });
  } catch (err) {
    return [`(exceptions unavailable: ${(err as Error).message})`];
  }
}
