/**
 * Phase 3, throughput: how fast the CTR pipeline really is on this machine, measured honestly.
 * A Java generator (job/) writes the pipeline's JSON events with event time = wall clock; the lab
 * measures the generator alone, a pass-through Flink job, each configuration's drain rate, then
 * open-loop rate steps through two setups side by side: exactly-once (phase 1's full semantics,
 * checkpoints every 5 s) and relaxed (the tuned pipeline without delivery guarantees), with lag,
 * backpressure, CPU per process and result latency (first visible in ClickHouse - window end).
 * With `--runs N` the drains and the ladders repeat, so each figure is a median and a range.
 * The exactness check compares ClickHouse with the generator's own counts.
 */
import { PIPELINE_SQL } from '../../src/pipeline/render.ts';
import { mkdirSync, statfsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { busyShare, machineTicks } from '../../src/bench/proc.ts';
import type { DrainRecord, StepRecord } from '../../src/bench/throughput-record.ts';
import { defineLab, type LabContext } from '../../src/lab/contract.ts';
import { clickhouseClient, query } from '../../src/stack/clickhouse/client.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { UsageError } from '../../src/stack/errors.ts';
import { javaVersion } from '../../src/stack/java.ts';
import { kafkaJars } from '../../src/stack/kafka/service.ts';
import { buildJar } from '../../src/stack/maven.ts';
import { consumeAll, endOffsets, kafkaClient, topicOffsetSpan } from '../../src/stack/kafka/client.ts';
import { rowToResult } from '../../src/pipeline/clickhouse.ts';
import { createTrackedTopics } from '../../src/pipeline/topics.ts';
import { generatorMax, type GeneratorMax, kafkajsMax, producerPerfMax } from './calibrate.ts';
import { CONFIGS, configByName, DEFAULT_FINAL, EXACTLY_ONCE_COMMIT_SECONDS, EXACTLY_ONCE_CONFIG, type PipelineConfig, type SetupId } from './configs.ts';
import { measureDrain, type DrainResult } from './drain.ts';
import { compareWithGenerator, emitLatencies, type Exactness } from './evidence.ts';
import { type GenCounts, type GenStatus, LoadGenerator, typicalLine } from './generator.ts';
import { type LadderRun, runLadder } from './ladder.ts';
import { type CheckpointDirs, createClickhouseTables, createPipelineTopics, jobStatements, newPipeline, passThroughStatements, type Pipeline, submit } from './pipeline.ts';
import { DUP_EVERY, FULL, PRODUCTS, type RunPlan, runsOf, SHORT, targetsUpTo } from './plan.ts';
import { medianRun } from './runs.ts';
import { startProfile } from './profile.ts';
import { buildRecord } from './record.ts';

const POM = fileURLToPath(new URL('./job/pom.xml', import.meta.url));
const MIN_FREE_DISK_GB = 15;
const PROFILE_SECONDS = 8;
/** Parallelism 1 reads four splits, parallelism 2 two each. */
const INPUT_PARTITIONS = 4;

export interface State {
  plan: RunPlan;
  /** `--runs N` (runsOf): how many times the drains and the ladders repeat. */
  runs: number;
  /** The 1, 5 and 15 minute load averages at the start and at the end. */
  load: { start: number[]; end: number[] };
  dirs: CheckpointDirs;
  deadline: number;
  inputTopic: string;
  scratchTopic: string;
  countsFile: string;
  baselineBusy: number;
  java: string;
  gen?: LoadGenerator;
  genMax?: GeneratorMax;
  alternatives: { kind: string; events_per_s: number; note: string }[];
  calibFrom?: Map<number, number>;
  calibTo?: Map<number, number>;
  calibEvents: number;
  /** Every drain of every run, in the order measured. */
  drains: (DrainRecord & { run: number })[];
  /** Per configuration, its median run with the spread over all runs. */
  tuning: DrainRecord[];
  passThroughs: (DrainResult & { parallelism: number })[];
  finalConfig: string;
  ladders: { config: string; setup: SetupId; index: number; p: Pipeline; run: LadderRun }[];
  genFinal?: { status: GenStatus; counts: GenCounts };
  exact: Partial<Record<SetupId, Exactness>>;
  late: number;
}

/** The slice of the calibration burst a drain reads: the first `events` of it, spread evenly over the partitions. */
function slice(s: State, events: number): { kind: 'slice'; from: Map<number, number>; to: Map<number, number>; events: number } {
  const from = s.calibFrom as Map<number, number>;
  const to = s.calibTo as Map<number, number>;
  const per = Math.floor(events / from.size);
  const end = new Map([...from].map(([p, o]) => [p, Math.min(o + per, to.get(p) ?? o)]));
  const total = [...end].reduce((sum, [p, o]) => sum + o - (from.get(p) ?? 0), 0);
  return { kind: 'slice', from, to: end, events: total };
}

async function drainConfig(ctx: LabContext, s: State, cfg: PipelineConfig, tag: string): Promise<DrainRecord> {
  const p = newPipeline(`${ctx.runId}_${tag}`, ctx.endpoints, s.inputTopic, PRODUCTS, s.dirs);
  await createPipelineTopics(ctx.endpoints, p, cfg, ctx.track);
  const range = slice(s, cfg.sql === 'v0-phase1' ? s.plan.baselineDrainEvents : s.plan.drainEvents);
  await submit(ctx.endpoints, p, jobStatements(p, cfg, range), ctx.track);
  // A CPU profile of the TaskManager while the slice drains (2 s in: past the job's start).
  await sleep(2_000, undefined, { signal: ctx.signal });
  const profiled = await startProfile(ctx.stack, PROFILE_SECONDS, `${p.id}.jfr`).catch((err: unknown) => ctx.note(`no profile: ${String(err).split('\n')[0]}`));
  const r = await measureDrain(ctx.stack, ctx.endpoints.flinkRest, p.jobId as string, range.events, s.plan.drainTimeoutMs, ctx.signal);
  const profile = profiled ? await profiled().catch((err: unknown) => void ctx.note(`no profile: ${String(err).split('\n')[0]}`)) : undefined;
  return { name: cfg.name, setup: cfg.setup, change: cfg.change, sql: cfg.sql === 'v1-json' ? 'phase 1 + sql/v1-json' : 'phase 1', set: cfg.set, ...r, ...(profile ? { profile } : {}) };
}

export default defineLab<State>({
  id: 'phase-3-throughput',
  title: 'Throughput and latency: how fast the CTR pipeline really is, measured',
  lesson: '/docs/phase-3-operations/throughput',
  summary:
    'A Java generator drives open-loop rate steps through the phase-1 pipeline and its tuned variant; the lab records input and output rates, consumer lag, Flink backpressure, CPU per million events per process and result latency (first visible in ClickHouse - window end), and checks ClickHouse against the generator\'s own counts.',
  services: ['kafka', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager', 'sql-gateway'],
  // --sql DIR: copies of phase 1's files (flink/, clickhouse/, streaming/), which this lab renders.
  sql: PIPELINE_SQL,
  checks: [
    { name: 'generator is not the bottleneck', explain: 'The generator alone reaches at least twice the highest rate the pipeline sustained, so the limit found is the pipeline\'s, not the load\'s.' },
    { name: 'ClickHouse counts equal what was produced', explain: 'For every window measured in a sustainable step of either setup, each (product, window) row in ClickHouse (FINAL) has exactly the generator\'s impressions and clicks: nothing lost, the injected duplicates dropped.' },
    { name: 'no late events', explain: 'The late-events topic is empty: event time is the wall clock at send, so only a stall longer than the 5 s watermark delay could make an event late.' },
    { name: 'every step measured', explain: 'Each step that ran has input, lag and latency figures for every window of its measuring phase, or a stated reason it stopped (rate not reached, lag growing, a guard).' },
    { name: 'sustainable throughput found', explain: 'In each setup and each run at least the lowest step is sustainable: lag and latency stop growing and every measured window becomes visible in ClickHouse.' },
  ],
  repeatable: true,
  preflight(options) {
    if (options.short && (options.runs ?? 1) > 1) throw new UsageError('--short is one quick run (the CI form): drop --runs, or drop --short to measure the full form several times.');
    if (options.eventsFile) throw new UsageError('phase-3-throughput generates its own load at the wall clock and takes no --events file: run it without --events (phase-1 replays files).');
  },
  async init(ctx) {
    const plan = ctx.options.short ? SHORT : FULL;
    const runs = runsOf(ctx.options);
    const dirs = { checkpointDir: `file://${ctx.stack.sharedDir('checkpoints').internal}`, rocksdbLogDir: ctx.stack.sharedDir('rocksdb-logs').internal };
    mkdirSync(ctx.stack.sharedDir('rocksdb-logs').host, { recursive: true }); // Flink uses it only if it exists
    return {
      plan,
      runs,
      load: { start: loadavg().map((x) => Number(x.toFixed(2))), end: [] },
      dirs,
      deadline: Date.now() + (plan.maxMinutes + (runs - 1) * plan.minutesPerExtraRun) * 60_000,
      inputTopic: `${ctx.runId}_events`,
      scratchTopic: `${ctx.runId}_scratch`,
      countsFile: join(ctx.workDir, 'counts.json'),
      baselineBusy: 0,
      java: (await javaVersion()) ?? 'unknown',
      alternatives: [],
      calibEvents: 0,
      drains: [],
      tuning: [],
      passThroughs: [],
      finalConfig: DEFAULT_FINAL,
      ladders: [],
      exact: {},
      late: 0,
    };
  },
  steps: [
    {
      id: 'check-quiet',
      title: 'Check that the machine can measure',
      explain: 'No other Flink job may run (it would share the two cores), the disk needs room for the input topic, and the machine\'s busy share over 3 s is recorded as the baseline next to every figure.',
      async run(ctx, s) {
        const running = (await new FlinkRestClient(ctx.endpoints.flinkRest).overview()).jobsRunning;
        if (running > 0) throw new Error(`Flink already runs ${running} job(s): cancel them in the Flink UI (or stop the lab that started them) first; they would share the CPU and skew every figure.`);
        // Kafka's data dir is where the input topic grows; on any backend it is this machine's disk.
        const fs = statfsSync(ctx.workDir);
        const freeGb = (fs.bavail * fs.bsize) / 1e9;
        if (freeGb < MIN_FREE_DISK_GB) throw new Error(`Only ${freeGb.toFixed(1)} GB free under ${ctx.workDir}: the full run writes several GB to Kafka; free at least ${MIN_FREE_DISK_GB} GB first.`);
        const a = machineTicks();
        await sleep(3_000, undefined, { signal: ctx.signal });
        s.baselineBusy = Math.round(busyShare(a, machineTicks()) * 1000) / 1000;
        ctx.note(`${s.plan.form} form, ${s.runs} run${s.runs > 1 ? 's' : ''}; the machine was ${Math.round(s.baselineBusy * 100)}% busy before the run (load average ${s.load.start.join(', ')})${s.baselineBusy > 0.2 ? ': something else is running, the figures will be lower than this machine can do' : ''}`);
      },
    },
    {
      id: 'build-generator',
      title: 'Build and start the load generator',
      explain: 'Maven builds the one-class Java generator (job/), once; it starts paused, with a 256 MB heap, and stops when the lab does (even on Ctrl-C or a crash: it exits when its stdin closes).',
      async run(ctx, s) {
        const { jar, built } = await buildJar(POM, 'ctr-loadgen.jar');
        ctx.note(built ? `built ${jar}` : 'generator jar up to date');
        await createTrackedTopics(
          ctx.endpoints,
          [
            // Bounded size: the run cannot fill the disk.
            { topic: s.inputTopic, partitions: INPUT_PARTITIONS, configs: { 'retention.bytes': String(2 * 1024 ** 3) } },
            ...(s.plan.alternatives ? [{ topic: s.scratchTopic, partitions: INPUT_PARTITIONS, configs: { 'retention.bytes': String(1024 ** 3) } }] : []),
          ],
          ctx.track,
        );
        s.gen = new LoadGenerator({ jar, kafkaJarsDir: (await kafkaJars()).dir, brokers: ctx.endpoints.kafka, topic: s.inputTopic, partitions: INPUT_PARTITIONS, runId: ctx.runId, products: PRODUCTS, dupEvery: DUP_EVERY, maxSeconds: Math.ceil((s.deadline - Date.now()) / 1000) + 60, countsOut: s.countsFile, seed: ctx.options.seed });
        const onAbort = () => s.gen?.kill();
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        await s.gen.ready();
        ctx.note(`generator pid ${s.gen.pid}: ${PRODUCTS} products, 1 duplicate per ${DUP_EVERY} events, input topic ${s.inputTopic} (${INPUT_PARTITIONS} partitions)`);
      },
    },
    {
      id: 'calibrate-generator',
      title: 'Measure the generator alone',
      explain: 'No Flink job runs: the generator writes as fast as it can into the input topic. Its acknowledged events per second are the ceiling for R1 and for the steps. The full form also measures Kafka\'s ProducerPerformance and a tuned kafkajs producer, for the generator\'s ADR.',
      async run(ctx, s) {
        const admin = kafkaClient(ctx.endpoints.kafka).admin();
        await admin.connect();
        try {
          s.calibFrom = await endOffsets(admin, s.inputTopic);
          s.genMax = await generatorMax(ctx.stack, s.gen as LoadGenerator, s.plan.calibrateSeconds, ctx.signal);
          s.calibTo = await endOffsets(admin, s.inputTopic);
          s.calibEvents = [...s.calibTo].reduce((sum, [p, o]) => sum + o - (s.calibFrom?.get(p) ?? 0), 0);
        } finally {
          await admin.disconnect();
        }
        ctx.note(`generator alone: ${s.genMax.events_per_s} events/s (${s.calibEvents} records written; CPU s per million: ${JSON.stringify(s.genMax.cpu_s_per_million)})`);
        if (!s.plan.alternatives) return;
        const size = Buffer.byteLength(typicalLine(ctx.runId));
        const perf = await producerPerfMax(ctx.endpoints.kafka, s.scratchTopic, size, 3_000_000);
        s.alternatives.push({ kind: 'kafka-producer-perf', events_per_s: perf, note: `ProducerPerformance, ${size}-byte random records (the generator's line size), same producer settings; cannot stamp wall-clock event times` });
        const kjs = await kafkajsMax(ctx.endpoints.kafka, s.scratchTopic, 10);
        s.alternatives.push({ kind: 'kafkajs', events_per_s: kjs, note: 'tuned kafkajs producer in the lab\'s Node process (acks=1, 1000 lines per request, 5 in flight)' });
        ctx.note(`alternatives: ProducerPerformance ${perf}/s, kafkajs ${kjs}/s`);
      },
    },
    {
      id: 'tuning-sweep',
      title: 'Measure each configuration\'s drain rate (full form)',
      explain: 'Each configuration of the pipeline (the exactly-once one first) reads a fixed slice of the calibration burst as a bounded job, as fast as it can: events / the source\'s running time, CPU per million events and the busiest vertex. With --runs N every configuration is drained N times, round after round (so a busy moment of the machine hits every configuration alike), and the median counts. The fastest relaxed configuration becomes the final one. The short form skips this and uses the default.',
      async run(ctx, s) {
        if (!s.plan.sweep) {
          ctx.note(`short form: final configuration ${s.finalConfig} without a sweep`);
          return;
        }
        for (let run = 1; run <= s.runs; run++) {
          for (const [i, cfg] of CONFIGS.entries()) {
            const r = await drainConfig(ctx, s, cfg, `r${run}d${i}`);
            s.drains.push({ ...r, run });
            ctx.note(`run ${run}/${s.runs}, ${cfg.name}: ${r.drain_events_per_s} events/s (${r.outcome}, ${r.events} events), busiest ${r.busiest_vertex || '-'} at ${r.busy_ratio}, machine ${Math.round(r.machine_busy * 100)}% busy`);
            if (r.profile) ctx.note(`  profile: ${r.profile.threads.slice(0, 3).map((t) => `${t.thread} ${Math.round(t.share * 100)}%`).join('; ')}`);
          }
        }
        s.tuning = CONFIGS.map((cfg) => medianRun(s.drains.filter((d) => d.name === cfg.name))).filter((d): d is DrainRecord => d !== undefined);
        for (const t of s.tuning) if (t.spread && s.runs > 1) ctx.note(`${t.name}: median ${t.spread.median} events/s, range ${t.spread.min}-${t.spread.max}`);
        const best = [...s.tuning].filter((t) => t.outcome === 'finished' && t.setup === 'relaxed').sort((a, b) => b.drain_events_per_s - a.drain_events_per_s)[0];
        if (best) s.finalConfig = best.name;
        ctx.note(`final configuration: ${s.finalConfig}`);
      },
    },
    {
      id: 'pass-through',
      title: 'Measure the pass-through job',
      explain: 'Kafka -> JSON parse of every field -> discard, at the final configuration\'s parallelism, on a slice of the same topic: the most any pipeline on this Flink could do. R2 = sustainable throughput / this rate.',
      async run(ctx, s) {
        const parallelism = Number(configByName(s.finalConfig).set['parallelism.default'] ?? 1);
        for (let run = 1; run <= s.runs; run++) {
          const p = newPipeline(`${ctx.runId}_r${run}pt`, ctx.endpoints, s.inputTopic, PRODUCTS);
          const range = slice(s, s.plan.drainEvents);
          await submit(ctx.endpoints, p, passThroughStatements(p, parallelism, range), ctx.track);
          const r = await measureDrain(ctx.stack, ctx.endpoints.flinkRest, p.jobId as string, range.events, s.plan.drainTimeoutMs, ctx.signal);
          if (r.outcome !== 'finished') throw new Error(`the pass-through job did not read ${range.events} events within ${s.plan.drainTimeoutMs / 1000} s: the machine is overloaded, rerun when it is quiet`);
          s.passThroughs.push({ ...r, parallelism });
          ctx.note(`run ${run}/${s.runs}, pass-through: ${r.drain_events_per_s} events/s over ${r.events} events (parallelism ${parallelism})`);
        }
      },
    },
    {
      id: 'rate-steps',
      title: 'Ramp both setups: exactly-once, then relaxed',
      explain: `Open-loop steps through each setup, each held for a warm-up and a measuring phase, climbing while the steps are sustainable, up to the first step above the configuration's drain rate: first phase 1's full semantics with checkpoints every 5 s and exactly-once sinks (${EXACTLY_ONCE_CONFIG}), then the final relaxed configuration, run after run with --runs N (full form: ${FULL.warmupMs / 1000} s + ${FULL.measureMs / 1000} s per step; short form: ${SHORT.exactlyOnceTargets.join(', ')} events/s exactly-once and ${SHORT.targets.join(' and ')} events/s relaxed, ${SHORT.warmupMs / 1000} s + ${SHORT.measureMs / 1000} s).`,
      async run(ctx, s) {
        const eo = configByName(EXACTLY_ONCE_CONFIG);
        const final = configByName(s.finalConfig);
        const drainOf = (name: string) => s.tuning.find((t) => t.name === name)?.drain_events_per_s;
        for (let run = 1; run <= s.runs; run++) {
          await ladder(ctx, s, eo, targetsUpTo(s.plan.exactlyOnceTargets, drainOf(eo.name)), run);
          await ladder(ctx, s, final, targetsUpTo(s.plan.targets, drainOf(final.name)), run);
        }
      },
    },
    {
      id: 'collect',
      title: 'Stop the generator and collect the evidence',
      explain: 'The generator flushes and writes its exact counts per window and product; the lab reads the results topic (Flink\'s emit times), the late-events topic and the ClickHouse rows of every window measured.',
      async run(ctx, s) {
        s.genFinal = await (s.gen as LoadGenerator).stop();
        s.load.end = loadavg().map((x) => Number(x.toFixed(2)));
        const st = s.genFinal.status;
        ctx.note(`generator: ${st.events} events + ${st.dups} duplicates sent, ${st.acked} acknowledged, ${st.errors} errors${st.first_error ? ` (${st.first_error})` : ''}, ${st.skipped} skipped`);
        const kafka = kafkaClient(ctx.endpoints.kafka);
        const admin = kafka.admin();
        await admin.connect();
        const ch = clickhouseClient(ctx.endpoints.clickhouseHttp);
        try {
          for (const l of s.ladders) {
            s.late += await topicOffsetSpan(admin, l.p.vars.late_topic);
            const n = await topicOffsetSpan(admin, l.p.vars.results_topic);
            // The exactly-once setup's offsets count transaction markers too, so `n` is an upper
            // bound: stop at n records or after 5 s without one, not at the 90 s timeout.
            const messages = n === 0 ? [] : await consumeAll(kafka, l.p.vars.results_topic, { expected: n, idleMs: 5_000, timeoutMs: 90_000 });
            for (const step of l.run.steps) step.emit_latency_ms_after_window_end = emitLatencies(messages, l.run.windows.get(step.target_events_per_s) ?? []);
          }
          // Each setup's sustainable windows, read from the tables of its own ladders (windows of
          // different ladders never overlap: the ladders run one after another).
          for (const setup of ['exactly-once', 'relaxed'] as const) {
            const windows: number[] = [];
            const rows: Record<string, unknown>[] = [];
            for (const l of s.ladders.filter((x) => x.setup === setup)) {
              const mine = l.run.steps.filter((x) => x.status === 'sustainable').flatMap((x) => l.run.windows.get(x.target_events_per_s) ?? []);
              if (mine.length === 0) continue;
              windows.push(...mine);
              rows.push(...(await query<Record<string, unknown>>(ch, `SELECT product_id, window_start, impressions, clicks, ctr FROM ${l.p.vars.results_table} FINAL WHERE window_start IN (${mine.join(',')})`)));
            }
            const e = compareWithGenerator(s.genFinal.counts, windows, rows.map(rowToResult));
            s.exact[setup] = e;
            ctx.note(`exactness, ${setup}: ${e.rows} rows over ${e.windows} windows, ${e.events} events compared, ${e.differences.length} differences`);
          }
        } finally {
          await ch.close();
          await admin.disconnect();
        }
      },
    },
  ],
  async evaluate(_ctx, s) {
    const steps = s.ladders.flatMap((l) => l.run.steps);
    // The highest rate the pipeline sustained: the generator must have had room above it. (A step
    // the generator could not feed says so itself: rate_not_reached.)
    const top = Math.max(0, ...steps.filter((x) => x.status === 'sustainable').map((x) => x.target_events_per_s));
    const gmax = s.genMax?.events_per_s ?? 0;
    const unmeasured = steps.filter((x) => x.status !== 'aborted' && (x.input_events_per_s === 0 || (x.status === 'sustainable' && x.latency_ms_after_window_end.n === 0)));
    const exacts = Object.values(s.exact);
    const e = exacts.length === 0 ? undefined : { rows: exacts.reduce((a, x) => a + x.rows, 0), windows: exacts.reduce((a, x) => a + x.windows, 0), events: exacts.reduce((a, x) => a + x.events, 0), differences: exacts.flatMap((x) => x.differences) };
    const errors = s.genFinal?.status.errors ?? 0;
    const perLadder = s.ladders.map((l) => ({ name: `${l.setup} run ${l.index}`, rate: sustainable(l.run.steps), lowest: l.run.steps[0]?.target_events_per_s ?? 0 }));
    return [
      { name: 'generator is not the bottleneck', expected: `>= ${2 * top} events/s (2 x the highest sustained step)`, actual: `${gmax} events/s`, ok: gmax >= 2 * top && top > 0 },
      {
        name: 'ClickHouse counts equal what was produced',
        expected: 'every row equal, 0 producer errors',
        actual: e ? `${e.rows - e.differences.filter((d) => !d.startsWith('extra')).length}/${e.rows} rows equal over ${e.windows} windows (${e.events} events), ${e.differences.length} differences, ${errors} producer errors` : 'not compared',
        ok: !!e && e.rows > 0 && e.differences.length === 0 && errors === 0,
        details: e?.differences.slice(0, 20),
      },
      { name: 'no late events', expected: '0', actual: String(s.late), ok: s.late === 0 && s.ladders.length > 0 },
      {
        name: 'every step measured',
        expected: 'figures for every step that ran',
        actual: steps.length === 0 ? 'no step ran' : `${steps.length - unmeasured.length}/${steps.length} steps (${steps.map((x) => `${x.config} ${x.target_events_per_s}: ${x.status}`).join('; ')})`,
        ok: steps.length > 0 && unmeasured.length === 0,
      },
      {
        name: 'sustainable throughput found',
        expected: `every ladder >= its lowest step (${s.plan.exactlyOnceTargets[0]} events/s exactly-once, ${s.plan.targets[0]} relaxed)`,
        actual: perLadder.length === 0 ? 'no ladder ran' : perLadder.map((l) => `${l.name}: ${l.rate} events/s`).join('; '),
        ok: perLadder.length === 2 * s.runs && perLadder.every((l) => l.rate > 0 && l.rate >= l.lowest),
        // Why a step was not sustainable, in the report itself: a CI log keeps only the table.
        details: s.ladders.flatMap((l) => l.run.steps.filter((x) => x.status !== 'sustainable').map((x) => `${l.setup} run ${l.index}, ${x.target_events_per_s} events/s: ${x.status}: ${x.reason}`)),
      },
    ];
  },
  report() {
    return { counts: { produced: 0, valid: 0, dlq: 0, duplicates: 0, late: 0 }, results: [] };
  },
  record(s, report) {
    return buildRecord(s, report);
  },
  async cleanup(_ctx, s) {
    // The topics, tables and jobs are tracked (ctx.track); the generator is a process of this lab.
    s.gen?.kill();
  },
});

function sustainable(steps: readonly StepRecord[]): number {
  let best = 0;
  for (const x of steps) {
    if (x.status !== 'sustainable') break;
    best = x.target_events_per_s;
  }
  return best;
}

/** One configuration's ladder in run `index`: its topics and ClickHouse tables, its job from now on, the steps. */
async function ladder(ctx: LabContext, s: State, cfg: PipelineConfig, targets: number[], index: number): Promise<void> {
  const p = newPipeline(`${ctx.runId}_r${index}${cfg.setup === 'exactly-once' ? 'e' : 'f'}`, ctx.endpoints, s.inputTopic, PRODUCTS, s.dirs);
  await createPipelineTopics(ctx.endpoints, p, cfg, ctx.track);
  await createClickhouseTables(ctx.endpoints, p, ctx.track);
  const gen = s.gen as LoadGenerator;
  // The load runs before the job starts: the job reads from startMs on, so it starts with a full input.
  gen.setRate(targets[0] ?? 1_000);
  const startMs = Date.now();
  await submit(ctx.endpoints, p, jobStatements(p, cfg, { kind: 'from-time', startMs }), ctx.track);
  ctx.note(`run ${index}/${s.runs}, ${cfg.setup} (${cfg.name}): job ${p.jobId}, steps ${targets.join(', ')} events/s`);
  const admin = kafkaClient(ctx.endpoints.kafka).admin();
  await admin.connect();
  const ch = clickhouseClient(ctx.endpoints.clickhouseHttp);
  try {
    const run = await runLadder({ ctx, admin, ch, gen, p, config: cfg.name, startMs }, { targets, warmupMs: s.plan.warmupMs, measureMs: s.plan.measureMs, deadline: s.deadline, products: PRODUCTS, commitLagSeconds: cfg.setup === 'exactly-once' ? EXACTLY_ONCE_COMMIT_SECONDS : 0 });
    for (const step of run.steps) step.run = index;
    s.ladders.push({ config: cfg.name, setup: cfg.setup, index, p, run });
  } finally {
    gen.setRate(0);
    await new FlinkRestClient(ctx.endpoints.flinkRest).cancelJob(p.jobId as string).catch(() => {});
    await ch.close();
    await admin.disconnect();
  }
}
