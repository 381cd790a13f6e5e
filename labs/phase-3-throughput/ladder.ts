/**
 * Open-loop rate steps through one pipeline configuration: the generator holds each target rate
 * for a warm-up and a measuring phase, whatever the pipeline does (open loop: a slow pipeline
 * builds lag, it does not slow the input down). After each step the lab waits for the step's
 * windows to become visible in ClickHouse, judges the step (verdict.ts) and climbs only while the
 * steps are sustainable.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { percentile, slope } from '../../src/bench/stats.ts';
import type { StepRecord } from '../../src/bench/throughput-record.ts';
import { WINDOW_MS } from '../../src/ctr/event.ts';
import type { LabContext } from '../../src/lab/contract.ts';
import { type ClickHouseClient, query } from '../../src/stack/clickhouse/client.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { offsetsForTime } from '../../src/stack/kafka/client.ts';
import type { LoadGenerator } from './generator.ts';
import { POLL_MS, VisibilityPoller } from './latency.ts';
import type { Pipeline } from './pipeline.ts';
import { backpressureOver, cpuPerMillion, machineBusy, round, type Sample, Sampler } from './sampler.ts';
import { verdict } from './verdict.ts';

/** Heap guard: used above this share of max for 3 samples in a row stops the step. */
const HEAP_GUARD = 0.85;

export interface LadderPlan {
  targets: number[];
  warmupMs: number;
  measureMs: number;
  /** The lab's overall deadline (epoch ms): no step starts or continues past it. */
  deadline: number;
  products: number;
  /**
   * Seconds between the consumer's offset commits beyond the usual (the exactly-once setup commits
   * on checkpoints, every 5 s): the lag read from committed offsets is that much coarser, so the
   * "lag at the end" rule allows it.
   */
  commitLagSeconds?: number;
}

export interface LadderRun {
  steps: StepRecord[];
  /** Per step, the windows measured (window starts), for the emit latencies and the exactness check. */
  windows: Map<number, number[]>;
}

export interface LadderEnv {
  ctx: LabContext;
  admin: Admin;
  ch: ClickHouseClient;
  gen: LoadGenerator;
  p: Pipeline;
  config: string;
  startMs: number;
}

export async function runLadder(env: LadderEnv, plan: LadderPlan): Promise<LadderRun> {
  const { ctx, p } = env;
  const jobId = p.jobId as string;
  await new FlinkRestClient(ctx.endpoints.flinkRest).waitForJob(jobId, { states: ['RUNNING'], timeoutMs: 60_000 });
  const inputTopic = p.vars.input_topic as string;
  const startOffsets = await offsetsForTime(env.admin, inputTopic, env.startMs);
  const sampler = new Sampler({ stack: ctx.stack, admin: env.admin, flinkRest: ctx.endpoints.flinkRest, inputTopic, group: p.vars.consumer_group as string, jobId, generatorPid: env.gen.pid, startOffsets });
  const poller = new VisibilityPoller(env.ch, p.vars.results_table as string, plan.products, env.startMs);
  sampler.start();
  poller.start();
  const run: LadderRun = { steps: [], windows: new Map() };
  try {
    await catchUp(env, sampler, plan);
    for (const target of plan.targets) {
      if (Date.now() + plan.warmupMs + plan.measureMs > plan.deadline) {
        ctx.note(`${env.config} ${target}/s: skipped, the lab's time limit is near`);
        break;
      }
      const step = await runStep(env, plan, sampler, poller, target);
      run.steps.push(step.record);
      run.windows.set(target, step.windows);
      const r = step.record;
      ctx.note(
        `${env.config} ${target}/s: ${r.status}${r.reason ? ` (${r.reason})` : ''}; in ${r.input_events_per_s}/s, out ${r.output_events_per_s}/s, lag ${r.lag.end}, p99 ${r.latency_ms_after_window_end.p99} ms after window end (per window: ${r.latency_ms_after_window_end.window_p99.join(', ')}), machine ${Math.round(r.machine_busy * 100)}% busy`,
      );
      if (r.status !== 'sustainable') break;
    }
  } finally {
    sampler.stop();
    await poller.stop();
  }
  return run;
}

/** At most this long for a job to work off the input written while it was submitted and deployed. */
const CATCH_UP_MS = 180_000;

/**
 * The input ran while the job was submitted and its tasks deployed (tens of seconds on a busy
 * machine, and a checkpointed job commits its first offsets only at its first checkpoint): wait
 * until the lag is below the lag guard of the first step before the first step starts, so that
 * backlog is not judged as the step's.
 */
async function catchUp(env: LadderEnv, sampler: Sampler, plan: LadderPlan): Promise<void> {
  const limit = Math.min(30 * (plan.targets[0] ?? 1_000), 20_000_000);
  const t0 = Date.now();
  while (Date.now() - t0 < CATCH_UP_MS && Date.now() < plan.deadline) {
    if (env.ctx.signal.aborted) throw new Error('interrupted (Ctrl-C)');
    if (sampler.failure) return;
    const s = sampler.last;
    if (s && s.t > t0 && s.lag <= limit) {
      env.ctx.note(`${env.config}: caught up with the input written during its start (lag ${s.lag}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return;
    }
    await sleep(1_000);
  }
  env.ctx.note(`${env.config}: lag still ${sampler.last?.lag ?? '?'} after ${Math.round((Date.now() - t0) / 1000)} s: the first step starts anyway`);
}

async function runStep(env: LadderEnv, plan: LadderPlan, sampler: Sampler, poller: VisibilityPoller, target: number): Promise<{ record: StepRecord; windows: number[] }> {
  env.gen.setRate(target);
  const stepStart = Date.now();
  // No lag guard in the warm-up: a job's backlog at its start is the time its submission took
  // (the input ran meanwhile), and a checkpointed job commits its first offsets only later.
  let guard = await hold(env, sampler, stepStart + plan.warmupMs, target, plan.deadline, false);
  const measureStart = Date.now();
  if (!guard) guard = await hold(env, sampler, measureStart + plan.measureMs, target, plan.deadline, true);
  const measureEnd = Date.now();
  const first = Math.ceil(measureStart / WINDOW_MS) * WINDOW_MS;
  const windows: number[] = [];
  for (let ws = first; ws + WINDOW_MS <= measureEnd; ws += WINDOW_MS) windows.push(ws);
  // Keep the rate while the step's last windows fire (5 s + the pipeline's delay) and land.
  if (!guard && windows.length > 0) await poller.settled(first, (windows[windows.length - 1] as number) + WINDOW_MS, Math.min(measureEnd + 30_000, plan.deadline));
  const samples = sampler.between(measureStart, measureEnd + 1);
  // Lag that ran away before the measuring phase had two samples: nothing to fit a slope to, but
  // the verdict is clear (and it is not "rate not reached": the generator kept its rate).
  const last = sampler.last;
  if (!guard && samples.length < 2 && last && last.lag > Math.min(30 * target, 20_000_000)) {
    return { record: { ...(await stepRecord(env, target, undefined, sampler.between(stepStart), sampler.between(stepStart), windows, poller, plan.commitLagSeconds ?? 0)), status: 'unsustainable', reason: `lag ${last.lag} when the measuring began: more than 30 s of input behind` }, windows };
  }
  return { record: await stepRecord(env, target, guard, samples, sampler.between(stepStart), windows, poller, plan.commitLagSeconds ?? 0), windows };
}

/** Waits until `until`, checking the guards every second; returns the guard that fired, if any. */
async function hold(env: LadderEnv, sampler: Sampler, until: number, target: number, deadline: number, lagGuard: boolean): Promise<string | undefined> {
  let hot = 0;
  const lagLimit = Math.min(30 * target, 20_000_000);
  while (Date.now() < until) {
    if (env.ctx.signal.aborted) throw new Error('interrupted (Ctrl-C)');
    if (Date.now() > deadline) return 'the lab\'s time limit';
    if (sampler.failure) return sampler.failure;
    const s = sampler.last;
    if (s?.heapUsedMb !== undefined && s.heapMaxMb) hot = s.heapUsedMb / s.heapMaxMb > HEAP_GUARD ? hot + 1 : 0;
    if (hot >= 3) return `TaskManager heap above ${HEAP_GUARD * 100}% of its maximum`;
    // A lag this large cannot be worked off in this step: end the measuring now; the lag slope says why.
    if (lagGuard && s && s.lag > lagLimit) {
      env.ctx.note(`${env.config} ${target}/s: lag ${s.lag} > ${lagLimit} (30 s of input): the step ends here`);
      return undefined;
    }
    await sleep(Math.min(1_000, Math.max(0, until - Date.now())));
  }
  return undefined;
}

async function stepRecord(env: LadderEnv, target: number, guard: string | undefined, m: Sample[], all: Sample[], windows: number[], poller: VisibilityPoller, commitLagSeconds: number): Promise<StepRecord> {
  const a = m[0];
  const b = m[m.length - 1];
  const secs = a && b ? (b.t - a.t) / 1000 : 0;
  const input = a && b && secs > 0 ? (b.inputOffsets - a.inputOffsets) / secs : 0;
  const consumed = a && b && secs > 0 ? (b.inputOffsets - b.lag - (a.inputOffsets - a.lag)) / secs : 0;
  const lagSlope = slope(m.map((s) => ({ x: s.t / 1000, y: s.lag })));
  const lat = windows.map((ws) => poller.window(ws));
  const rows = lat.flatMap((w) => w?.latencies ?? []);
  const p99s = lat.map((w, i) => ({ x: i, y: w && w.latencies.length > 0 ? percentile(w.latencies, 99) : Number.NaN })).filter((x) => Number.isFinite(x.y));
  const incomplete = lat.filter((w) => !w?.complete).length;
  const output = await outputRate(env, windows);
  const v = verdict({ target, input, lagSlope, lagEnd: b?.lag ?? 0, commitLagSeconds, p99Slope: slope(p99s), windowP99: p99s.map((x) => x.y), windows: windows.length, incompleteWindows: incomplete, guard });
  const t0 = all[0]?.t ?? 0;
  return {
    config: env.config,
    target_events_per_s: target,
    status: v.status,
    reason: v.reason,
    input_events_per_s: Math.round(input),
    consumed_events_per_s: Math.round(consumed),
    output_events_per_s: output,
    lag: { start: a?.lag ?? 0, end: b?.lag ?? 0, slope_events_per_s: Math.round(lagSlope) },
    latency_ms_after_window_end: { ...pcts(rows), window_p99: p99s.map((x) => x.y), slope_ms_per_window: Math.round(slope(p99s)), windows: windows.length, incomplete_windows: incomplete, resolution_ms: POLL_MS },
    backpressure: backpressureOver(m, a?.t ?? 0),
    cpu_s_per_million: a && b ? cpuPerMillion(a, b) : {},
    machine_busy: a && b ? machineBusy(a, b) : 0,
    tm_heap_used_max_mb: Math.round(Math.max(0, ...m.map((s) => s.heapUsedMb ?? 0))),
    series: all.map((s, i) => {
      const prev = all[i - 1];
      return { t: round((s.t - t0) / 1000, 1), input: prev ? Math.round(((s.inputOffsets - prev.inputOffsets) * 1000) / (s.t - prev.t)) : 0, lag: s.lag };
    }).slice(1),
  };
}

export function pcts(xs: readonly number[]): { p50: number; p95: number; p99: number; n: number } {
  if (xs.length === 0) return { p50: 0, p95: 0, p99: 0, n: 0 };
  return { p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99), n: xs.length };
}

/** Events counted in ClickHouse for the measured windows / their total duration. */
async function outputRate(env: LadderEnv, windows: number[]): Promise<number> {
  if (windows.length === 0) return 0;
  const [r] = await query<{ n: number }>(env.ch, `SELECT sum(impressions + clicks) AS n FROM ${env.p.vars.results_table} FINAL WHERE window_start IN (${windows.join(',')})`);
  return Math.round(Number(r?.n ?? 0) / ((windows.length * WINDOW_MS) / 1000));
}
