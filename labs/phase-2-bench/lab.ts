/**
 * Phase 2's benchmark: the Kotlin DataStream job and phase 1's SQL at equal semantics (DLQ with
 * reasons, dedup, on-event watermarks, late events aside, checkpoints every 5 s on RocksDB,
 * exactly-once Kafka sinks, parallelism 1) drain the same pre-written input; each run's drain rate
 * (events / the source's running time), what limited it, and its outputs against the oracle. The
 * rounds alternate SQL and Kotlin so that the machine's load (shared, 2 cores) falls on both alike.
 * `--record` writes static/results/phase-2-bench.json, which the phase-2 lesson renders.
 */
import { loadavg } from 'node:os';
import { machineInfo } from '../../src/bench/machine.ts';
import { measureDrain } from '../../src/bench/drain-job.ts';
import type { Phase2BenchRecord, Phase2Drain } from '../../src/bench/phase2-record.ts';
import { median } from '../../src/bench/stats.ts';
import { generateDataset } from '../../src/ctr/generator.ts';
import { type OracleOutput, runOracle } from '../../src/ctr/oracle.ts';
import { defineLab } from '../../src/lab/contract.ts';
import { deleteJar, uploadJar } from '../../src/pipeline/jvm-job.ts';
import { buildKotlinJob } from '../../src/pipeline/kotlin-job.ts';
import { createTrackedTopics } from '../../src/pipeline/topics.ts';
import { kafkaClient, produceLines } from '../../src/stack/kafka/client.ts';
import { type LatencyFigure, measureLatency } from './latency.ts';
import { CHECKPOINT_MS, compareWithOracle, runNames, submit } from './runs.ts';

const FULL = { events: 60_000, rounds: 2, latency: { rate: 2_000, seconds: 60 } };
const SHORT = { events: 10_000, rounds: 1, latency: { rate: 500, seconds: 20 } };
const JOBS = ['sql', 'kotlin'] as const;
/** A drain slower than this is broken, not slow (the shared machine has drained SQL at 450 events/s). */
const MIN_RATE = 100;

interface BenchState {
  form: 'full' | 'short';
  rounds: number;
  lines: string[];
  oracle?: OracleOutput;
  inputTopic: string;
  jarId?: string;
  jar?: string;
  drains: Phase2Drain[];
  equal: { kotlin: boolean; sql: boolean };
  latencyPlan: { rate: number; seconds: number };
  latency: LatencyFigure[];
  differences: string[];
  load0: number;
}

export default defineLab<BenchState, Phase2BenchRecord>({
  id: 'phase-2-bench',
  title: 'Kotlin DataStream vs Flink SQL at equal semantics: drain rate',
  lesson: '/docs/phase-2-code-driven-jobs/kotlin-lab',
  summary:
    'The same input drained by phase 1\'s SQL and by the Kotlin job, both with DLQ, dedup, checkpoints every 5 s on RocksDB and exactly-once sinks, in alternating rounds; each run\'s rate, busiest operator and CPU per million events, and each run\'s outputs compared with the oracle.',
  services: ['kafka', 'flink-jobmanager', 'flink-taskmanager', 'sql-gateway'],
  checks: [
    { name: 'every drain finished', explain: 'Each job read the whole input and finished, faster than 100 events/s (slower means something is broken, not slow).' },
    { name: 'Kotlin outputs equal the oracle', explain: 'Every result row of every Kotlin run, and its DLQ, duplicates and late counts, equal the oracle\'s.' },
    { name: 'SQL outputs equal the oracle', explain: 'The same for every SQL run: the two jobs were measured doing the same work.' },
  ],
  preflight(options) {
    if (options.eventsFile) throw new Error('phase-2-bench generates its own input: it takes no --events file.');
  },
  init(ctx) {
    const f = ctx.options.short ? SHORT : FULL;
    return {
      form: ctx.options.short ? 'short' : 'full',
      rounds: f.rounds,
      lines: generateDataset({ seed: ctx.options.seed, events: f.events, products: 50, ratePerSecond: 10_000 }),
      inputTopic: `${ctx.runId}_events`,
      drains: [],
      latencyPlan: f.latency,
      latency: [],
      equal: { kotlin: true, sql: true },
      differences: [],
      load0: Number(loadavg()[0]?.toFixed(2)),
    };
  },
  steps: [
    {
      id: 'build-job',
      title: 'Build the Kotlin job and upload it',
      explain: 'The phase-2 lab\'s job, built once (cached under .stack/builds) and uploaded through POST /jars/upload.',
      async run(ctx, s) {
        const b = await buildKotlinJob();
        s.jar = b.jar;
        s.jarId = await uploadJar(ctx.endpoints.flinkRest, b.jar);
        ctx.note(b.built ? `built in ${(b.ms / 1000).toFixed(1)} s` : 'unchanged since the last build: reused');
      },
    },
    {
      id: 'produce',
      title: 'Write the input once, ask the oracle about it',
      explain: 'A generated dataset with every kind of mess (2% malformed, 2% duplicates, 1% late), 50 products, into one single-partition topic that every run reads from the start; the oracle computes what each run must write.',
      async run(ctx, s) {
        await createTrackedTopics(ctx.endpoints, [{ topic: s.inputTopic, partitions: 1 }], ctx.track);
        const r = await produceLines(kafkaClient(ctx.endpoints.kafka), s.inputTopic, s.lines, { batchSize: 5_000 });
        s.oracle = runOracle(s.lines);
        const c = s.oracle.counts;
        ctx.note(`${r.count.toLocaleString('en')} lines in ${(r.ms / 1000).toFixed(1)} s; the oracle expects ${c.dlq} DLQ, ${c.duplicates} duplicates, ${c.late} late, ${s.oracle.results.length} windows`);
      },
    },
    {
      id: 'drain',
      title: 'Drain the input with each job, in alternating rounds',
      explain: 'Per round: the SQL job (through the SQL Gateway), then the Kotlin job (through the REST API), each bounded, on its own output topics; the drain rate is events / the source\'s running time (which includes the final checkpoint and commit). Then its outputs are read back and compared with the oracle.',
      async run(ctx, s) {
        for (let round = 1; round <= s.rounds; round++) {
          for (const job of JOBS) {
            const v = runNames(ctx, job, round, s.inputTopic);
            const jobId = await submit(ctx, job, v, s.jarId as string);
            const m = await measureDrain(ctx.stack, ctx.endpoints.flinkRest, jobId, s.lines.length, { timeoutMs: 900_000, signal: ctx.signal });
            s.drains.push({ job, round, ...m });
            const cmp = await compareWithOracle(ctx, v, s.oracle as OracleOutput);
            if (!cmp.equal) {
              s.equal[job] = false;
              s.differences.push(...cmp.differences.slice(0, 10).map((d) => `${job} round ${round}: ${d}`));
            }
            ctx.note(`round ${round} ${job.padEnd(6)} ${m.events_per_s.toLocaleString('en').padStart(9)} events/s (${(m.ms / 1000).toFixed(1)} s), busiest ${m.busiest[0]?.vertex ?? '?'} ${m.busiest[0]?.busy_ratio ?? ''}, TM ${m.taskmanager_cpu_s_per_million} CPU s per million, machine ${(m.machine_busy * 100).toFixed(0)}% busy; ${cmp.equal ? 'outputs equal the oracle' : `${cmp.differences.length} differences from the oracle`}`);
          }
        }
      },
    },
    {
      id: 'latency',
      title: 'Measure latency beyond the watermark, open loop',
      explain: 'Each job in turn reads a live topic while events stamped with the current time arrive at a fixed rate; a window can fire once events 5 s past its end arrive, so each result\'s latency is when Flink\'s producer stamped it minus (window end + 5 s). Exactly-once results become visible at the next checkpoint, up to 5 s later: not counted here.',
      async run(ctx, s) {
        for (const job of JOBS) {
          const l = await measureLatency(ctx, job, s.jarId as string, s.latencyPlan.rate, s.latencyPlan.seconds);
          s.latency.push(l);
          ctx.note(`${job.padEnd(6)} ${l.events_per_s} events/s for ${l.seconds} s: ${l.windows} windows, p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms beyond window end + 5 s`);
        }
      },
    },
  ],
  async evaluate(_ctx, s) {
    const slow = s.drains.filter((d) => d.events_per_s < MIN_RATE);
    const expectedRuns = s.rounds * JOBS.length;
    const diff = (job: 'kotlin' | 'sql') => s.differences.filter((d) => d.startsWith(job));
    return [
      {
        name: 'every drain finished',
        expected: `${expectedRuns} runs, each over ${MIN_RATE} events/s`,
        actual: `${s.drains.length} runs: ${s.drains.map((d) => `${d.job} ${d.events_per_s}`).join(', ')}`,
        ok: s.drains.length === expectedRuns && slow.length === 0,
      },
      { name: 'Kotlin outputs equal the oracle', expected: 'every row and count', actual: s.equal.kotlin ? 'equal' : `${diff('kotlin').length} differences`, ok: s.equal.kotlin, ...(s.equal.kotlin ? {} : { details: diff('kotlin') }) },
      { name: 'SQL outputs equal the oracle', expected: 'every row and count', actual: s.equal.sql ? 'equal' : `${diff('sql').length} differences`, ok: s.equal.sql, ...(s.equal.sql ? {} : { details: diff('sql') }) },
    ];
  },
  record(s, report) {
    const o = s.oracle as OracleOutput;
    const rate = (job: 'kotlin' | 'sql') => Math.round(median(s.drains.filter((d) => d.job === job).map((d) => d.events_per_s)));
    return {
      recordedAt: report.startedAt,
      command: `npm run lab phase-2-bench -- --record${s.form === 'short' ? ' --short' : ''}`,
      form: s.form,
      machine: { ...machineInfo(), loadAverage1m_before: s.load0, loadAverage1m_after: Number(loadavg()[0]?.toFixed(2)) },
      versions: report.versions,
      semantics: { parallelism: 1, checkpoint_interval_ms: CHECKPOINT_MS, state_backend: 'rocksdb', delivery: 'exactly-once', watermarks: 'on-event' },
      input: { lines: s.lines.length, valid: o.counts.valid, dlq: o.counts.dlq, duplicates: o.counts.duplicates, late: o.counts.late, windows: o.results.length },
      drains: s.drains,
      median_events_per_s: { kotlin: rate('kotlin'), sql: rate('sql') },
      equal_to_oracle: s.equal,
      latency: s.latency,
    };
  },
  async cleanup(ctx, s) {
    if (s.jarId) await deleteJar(ctx.endpoints.flinkRest, s.jarId);
  },
});
