/**
 * Phase 3, throughput: how fast the CTR pipeline really is on this machine, measured honestly.
 * A Java generator (job/) writes the pipeline's JSON events with event time = wall clock; the lab
 * measures the generator alone, a pass-through Flink job, each tuning configuration's drain rate,
 * then open-loop rate steps through the baseline (phase 1's SQL) and the tuned pipeline, with
 * lag, backpressure, CPU per process and result latency (first visible in ClickHouse - window
 * end). The exactness check compares ClickHouse with the generator's own counts.
 */
import { PIPELINE_SQL } from '../../src/pipeline/render.ts';
import { statfsSync } from 'node:fs';
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
import { CONFIGS, configByName, DEFAULT_FINAL, type PipelineConfig } from './configs.ts';
import { measureDrain, type DrainResult } from './drain.ts';
import { compareWithGenerator, emitLatencies, type Exactness } from './evidence.ts';
import { type GenCounts, type GenStatus, LoadGenerator, typicalLine } from './generator.ts';
import { type LadderRun, runLadder } from './ladder.ts';
import { createClickhouseTables, createPipelineTopics, jobStatements, newPipeline, passThroughStatements, type Pipeline, submit } from './pipeline.ts';
import { DUP_EVERY, FULL, PRODUCTS, type RunPlan, SHORT, targetsUpTo } from './plan.ts';
import { startProfile } from './profile.ts';
import { buildRecord } from './record.ts';

const POM = fileURLToPath(new URL('./job/pom.xml', import.meta.url));
const MIN_FREE_DISK_GB = 15;
const PROFILE_SECONDS = 8;
/** Parallelism 1 reads four splits, parallelism 2 two each. */
const INPUT_PARTITIONS = 4;

export interface State {
  plan: RunPlan;
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
  tuning: DrainRecord[];
  passThrough?: DrainResult & { parallelism: number };
  finalConfig: string;
  ladders: { config: string; p: Pipeline; run: LadderRun }[];
  genFinal?: { status: GenStatus; counts: GenCounts };
  exact?: Exactness;
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

async function drainConfig(ctx: LabContext, s: State, cfg: PipelineConfig, i: number): Promise<DrainRecord> {
  const p = newPipeline(`${ctx.runId}_d${i}`, ctx.endpoints, s.inputTopic, PRODUCTS);
  await createPipelineTopics(ctx.endpoints, p, cfg, ctx.track);
  const range = slice(s, cfg.sql === 'v0-phase1' ? s.plan.baselineDrainEvents : s.plan.drainEvents);
  await submit(ctx.endpoints, p, jobStatements(p, cfg, range), ctx.track);
  // A CPU profile of the TaskManager while the slice drains (2 s in: past the job's start).
  await sleep(2_000, undefined, { signal: ctx.signal });
  const profiled = await startProfile(ctx.stack, PROFILE_SECONDS, `${p.id}.jfr`).catch((err: unknown) => ctx.note(`no profile: ${String(err).split('\n')[0]}`));
  const r = await measureDrain(ctx.stack, ctx.endpoints.flinkRest, p.jobId as string, range.events, s.plan.drainTimeoutMs, ctx.signal);
  const profile = profiled ? await profiled().catch((err: unknown) => void ctx.note(`no profile: ${String(err).split('\n')[0]}`)) : undefined;
  return { name: cfg.name, change: cfg.change, sql: cfg.sql === 'v1-json' ? 'phase 1 + sql/v1-json' : 'phase 1', set: cfg.set, ...r, ...(profile ? { profile } : {}) };
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
    { name: 'ClickHouse counts equal what was produced', explain: 'For every window measured in a sustainable step of the final configuration, each (product, window) row in ClickHouse (FINAL) has exactly the generator\'s impressions and clicks: nothing lost, the injected duplicates dropped.' },
    { name: 'no late events', explain: 'The late-events topic is empty: event time is the wall clock at send, so only a stall longer than the 5 s watermark delay could make an event late.' },
    { name: 'every step measured', explain: 'Each step that ran has input, lag and latency figures for every window of its measuring phase, or a stated reason it stopped (rate not reached, lag growing, a guard).' },
    { name: 'sustainable throughput found', explain: 'At least the lowest step is sustainable: lag and latency stop growing and every measured window becomes visible in ClickHouse.' },
  ],
  preflight(options) {
    if (options.eventsFile) throw new UsageError('phase-3-throughput generates its own load at the wall clock and takes no --events file: run it without --events (phase-1 replays files).');
  },
  async init(ctx) {
    const plan = ctx.options.short ? SHORT : FULL;
    return {
      plan,
      deadline: Date.now() + plan.maxMinutes * 60_000,
      inputTopic: `${ctx.runId}_events`,
      scratchTopic: `${ctx.runId}_scratch`,
      countsFile: join(ctx.workDir, 'counts.json'),
      baselineBusy: 0,
      java: (await javaVersion()) ?? 'unknown',
      alternatives: [],
      calibEvents: 0,
      tuning: [],
      finalConfig: DEFAULT_FINAL,
      ladders: [],
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
        ctx.note(`${s.plan.form} form; the machine was ${Math.round(s.baselineBusy * 100)}% busy before the run${s.baselineBusy > 0.2 ? ': something else is running, the figures will be lower than this machine can do' : ''}`);
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
        s.gen = new LoadGenerator({ jar, kafkaJarsDir: (await kafkaJars()).dir, brokers: ctx.endpoints.kafka, topic: s.inputTopic, partitions: INPUT_PARTITIONS, runId: ctx.runId, products: PRODUCTS, dupEvery: DUP_EVERY, maxSeconds: s.plan.maxMinutes * 60, countsOut: s.countsFile, seed: ctx.options.seed });
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
      explain: 'Each configuration of the pipeline reads a fixed slice of the calibration burst as a bounded job, as fast as it can: events / the source\'s running time, CPU per million events and the busiest vertex. The fastest becomes the final configuration. The short form skips this and uses the default.',
      async run(ctx, s) {
        if (!s.plan.sweep) {
          ctx.note(`short form: final configuration ${s.finalConfig} without a sweep`);
          return;
        }
        for (const [i, cfg] of CONFIGS.entries()) {
          const r = await drainConfig(ctx, s, cfg, i);
          s.tuning.push(r);
          ctx.note(`${cfg.name}: ${r.drain_events_per_s} events/s (${r.outcome}, ${r.events} events), busiest ${r.busiest_vertex || '-'} at ${r.busy_ratio}, machine ${Math.round(r.machine_busy * 100)}% busy`);
          if (r.profile) ctx.note(`  profile: ${r.profile.threads.slice(0, 3).map((t) => `${t.thread} ${Math.round(t.share * 100)}%`).join('; ')}`);
        }
        const best = [...s.tuning].filter((t) => t.outcome === 'finished').sort((a, b) => b.drain_events_per_s - a.drain_events_per_s)[0];
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
        const p = newPipeline(`${ctx.runId}_pt`, ctx.endpoints, s.inputTopic, PRODUCTS);
              const range = slice(s, s.plan.drainEvents);
        await submit(ctx.endpoints, p, passThroughStatements(p, parallelism, range), ctx.track);
        const r = await measureDrain(ctx.stack, ctx.endpoints.flinkRest, p.jobId as string, range.events, s.plan.drainTimeoutMs, ctx.signal);
        if (r.outcome !== 'finished') throw new Error(`the pass-through job did not read ${range.events} events within ${s.plan.drainTimeoutMs / 1000} s: the machine is overloaded, rerun when it is quiet`);
        s.passThrough = { ...r, parallelism };
        ctx.note(`pass-through: ${r.drain_events_per_s} events/s over ${r.events} events (parallelism ${parallelism})`);
      },
    },
    {
      id: 'baseline-steps',
      title: 'Ramp the baseline: phase 1\'s SQL (full form)',
      explain: 'Open-loop steps through phase 1\'s pipeline as it is, up to the first step above its drain rate: the "before" of the tuning.',
      async run(ctx, s) {
        if (!s.plan.sweep) {
          ctx.note('short form: no baseline ramp');
          return;
        }
        const drain = s.tuning.find((t) => t.name === 'v0-phase1');
        await ladder(ctx, s, configByName('v0-phase1'), targetsUpTo(s.plan.baselineTargets, drain?.drain_events_per_s), 'b');
      },
    },
    {
      id: 'final-steps',
      title: 'Ramp the final configuration',
      explain: `The same open-loop steps through the final configuration, each held for a warm-up and a measuring phase, climbing while the steps are sustainable (full form: ${FULL.warmupMs / 1000} s + ${FULL.measureMs / 1000} s per step; short form: ${SHORT.targets.join(' and ')} events/s, ${SHORT.warmupMs / 1000} s + ${SHORT.measureMs / 1000} s).`,
      async run(ctx, s) {
        const drain = s.tuning.find((t) => t.name === s.finalConfig);
        await ladder(ctx, s, configByName(s.finalConfig), targetsUpTo(s.plan.targets, drain?.drain_events_per_s), 'f');
      },
    },
    {
      id: 'collect',
      title: 'Stop the generator and collect the evidence',
      explain: 'The generator flushes and writes its exact counts per window and product; the lab reads the results topic (Flink\'s emit times), the late-events topic and the ClickHouse rows of every window measured.',
      async run(ctx, s) {
        s.genFinal = await (s.gen as LoadGenerator).stop();
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
            const messages = n === 0 ? [] : await consumeAll(kafka, l.p.vars.results_topic, { expected: n, timeoutMs: 90_000 });
            for (const step of l.run.steps) step.emit_latency_ms_after_window_end = emitLatencies(messages, l.run.windows.get(step.target_events_per_s) ?? []);
          }
          const final = s.ladders.find((l) => l.config === s.finalConfig);
          if (final) {
            const windows = final.run.steps.filter((x) => x.status === 'sustainable').flatMap((x) => final.run.windows.get(x.target_events_per_s) ?? []);
            const rows =
              windows.length === 0
                ? []
                : await query<Record<string, unknown>>(ch, `SELECT product_id, window_start, impressions, clicks, ctr FROM ${final.p.vars.results_table} FINAL WHERE window_start IN (${windows.join(',')})`);
            s.exact = compareWithGenerator(s.genFinal.counts, windows, rows.map(rowToResult));
            ctx.note(`exactness: ${s.exact.rows} rows over ${s.exact.windows} windows, ${s.exact.events} events compared, ${s.exact.differences.length} differences`);
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
    const finalSteps = s.ladders.find((l) => l.config === s.finalConfig)?.run.steps ?? [];
    const e = s.exact;
    const errors = s.genFinal?.status.errors ?? 0;
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
        expected: `>= ${finalSteps[0]?.target_events_per_s ?? s.plan.targets[0]} events/s`,
        actual: `${sustainable(finalSteps)} events/s (${s.finalConfig})`,
        ok: sustainable(finalSteps) > 0,
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

/** One configuration's ladder: its topics and ClickHouse tables, its job from now on, the steps. */
async function ladder(ctx: LabContext, s: State, cfg: PipelineConfig, targets: number[], tag: string): Promise<void> {
  const p = newPipeline(`${ctx.runId}_${tag}`, ctx.endpoints, s.inputTopic, PRODUCTS);
  await createPipelineTopics(ctx.endpoints, p, cfg, ctx.track);
  await createClickhouseTables(ctx.endpoints, p, ctx.track);
  const gen = s.gen as LoadGenerator;
  // The load runs before the job starts: the job reads from startMs on, so it starts with a full input.
  gen.setRate(targets[0] ?? 1_000);
  const startMs = Date.now();
  await submit(ctx.endpoints, p, jobStatements(p, cfg, { kind: 'from-time', startMs }), ctx.track);
  ctx.note(`${cfg.name}: job ${p.jobId}, steps ${targets.join(', ')} events/s`);
  const admin = kafkaClient(ctx.endpoints.kafka).admin();
  await admin.connect();
  const ch = clickhouseClient(ctx.endpoints.clickhouseHttp);
  try {
    const run = await runLadder({ ctx, admin, ch, gen, p, config: cfg.name, startMs }, { targets, warmupMs: s.plan.warmupMs, measureMs: s.plan.measureMs, deadline: s.deadline, products: PRODUCTS });
    s.ladders.push({ config: cfg.name, p, run });
  } finally {
    gen.setRate(0);
    await new FlinkRestClient(ctx.endpoints.flinkRest).cancelJob(p.jobId as string).catch(() => {});
    await ch.close();
    await admin.disconnect();
  }
}
