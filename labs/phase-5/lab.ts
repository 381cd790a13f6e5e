/**
 * Phase 5, a realistic pipeline: phase 1's semantics on the realistic shape (three brokers, topics
 * with 6 partitions and three copies, two TaskManagers, parallelism 2), fed with realistic traffic
 * (skewed products, a partition that goes idle, duplicates, malformed lines, a dimension
 * changelog) at its own pace, enriched with the product dimension as of each event's time, the
 * broken-clock rule on, written to ClickHouse and to an Iceberg table, both exactly once.
 *
 * Four runs, each on its own topics and tables:
 *   steady     nothing can be late in any interleaving: every row equals the oracle exactly, in
 *              both sinks; a broker of three is stopped meanwhile (no restart allowed)
 *   idle       a partition goes quiet: checks that hold under any interleaving (conservation)
 *   tm-kill    the TaskManager running the job is killed: restore from a checkpoint, exact again
 *   clock-off  the broken-clock burst with the rule off: the damage, measured
 * The short form (CI) runs steady (with the broker drill) and idle on a minute of traffic.
 */
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { type CheckResult, defineLab, type LabContext, type LabStep } from '../../src/lab/contract.ts';
import { UsageError } from '../../src/stack/errors.ts';
import { ENRICH_FLINK_SQL } from '../../src/pipeline/enrich/flink.ts';
import { CHECK, PHASE_5_CHECKS, brokerCheck, clockOffChecks, exactChecks, idleChecks, shapeCheck, skipped, tmChecks } from './checks.ts';
import { brokerDrill, type DrillRecord, jobRestarts, observe, taskManagerDrill } from './drills.ts';
import type { Phase5Record } from '../../src/results/phase-5.ts';
import { buildRecord } from './record.ts';
import { collect, createRunResources, finishRun, FULL, jobReading, newRun, replay, type Run, type RunSpec, SHORT, type Sizing, submitRun } from './run.ts';
import { measureShape, type ShapeRecord } from './shape.ts';

export const RUNS: readonly RunSpec[] = [
  { id: 'steady', tag: 's', title: 'Steady run: a broken-clock burst with the rule on, a broker stopped meanwhile', mode: 'steady', burst: true, rule: true, fault: 'broker' },
  { id: 'idle', tag: 'i', title: 'Idle run: a partition goes quiet for longer than a window', mode: 'idle', burst: false, rule: true },
  { id: 'tm-kill', tag: 'k', title: 'TaskManager kill: restore from a checkpoint', mode: 'steady', burst: false, rule: true, fault: 'taskmanager' },
  { id: 'clock-off', tag: 'c', title: 'Broken clock, rule off: the same burst without future_ts', mode: 'steady', burst: true, rule: false },
];

const JOB_TIMEOUT_MS = 300_000;
const SHORT_RUNS: readonly RunSpec['id'][] = ['steady', 'idle'];
const NOT_IN_SHORT = 'not in the short form (CI runs steady and idle); `npm run lab phase-5` runs it';
const NOT_ON_SHARED = 'not run on a stack other runs share (the exercise grader): it stops or kills a service';
/** The exercise grader (a shared stack) runs the steady run only: the enrichment SQL shows there in full, in half a minute. */
const NOT_GRADED = 'not run by the exercise grader (a shared stack): the steady run grades the enrichment; `npm run lab phase-5` runs it';

export interface State {
  short: boolean;
  sizing: Sizing;
  runs: Partial<Record<RunSpec['id'], Run>>;
  finished: Partial<Record<RunSpec['id'], boolean>>;
  drills: Partial<Record<'broker' | 'taskmanager', DrillRecord>>;
  /** Why a run or drill was left out. */
  skipped: Partial<Record<RunSpec['id'] | 'broker', string>>;
  shape?: ShapeRecord;
}

function skipReason(ctx: LabContext, spec: RunSpec): string | undefined {
  if (ctx.options.sharedStack && spec.id !== 'steady') return NOT_GRADED;
  if (ctx.options.short && !SHORT_RUNS.includes(spec.id)) return NOT_IN_SHORT;
  return undefined;
}

async function runOne(ctx: LabContext, s: State, spec: RunSpec): Promise<void> {
  const why = skipReason(ctx, spec);
  if (why) {
    s.skipped[spec.id] = why;
    ctx.note(`skipped: ${why}`);
    return;
  }
  const r = newRun(ctx, spec, s.sizing);
  s.runs[spec.id] = r;
  const t = r.traffic;
  ctx.note(`${t.lines.length} lines over ${t.options.partitions} partitions, ${t.options.durationMs / 1000} s of event time at ${r.speedup.toFixed(1)}x (the manifest: ${t.manifest.base.length} events, ${t.manifest.duplicates.length} duplicates, ${t.manifest.malformed.length} malformed, ${t.manifest.stragglers.length} stragglers, ${t.manifest.burst.length} from a clock a year ahead${t.manifest.idle ? `; partition ${t.manifest.idle.partition} quiet for ${(t.manifest.idle.to - t.manifest.idle.from) / 1000} s` : ''})`);
  await createRunResources(ctx, r);

  // The job starts first and the traffic as soon as every task reads: a job that waited long for
  // its first record would see every input idle (scan.watermark.idle-timeout), and an all-idle
  // input lets the finished dimension's +infinity watermark through the temporal join, where every
  // later event is dropped as late; a job started on a backlog sees partitions idle while it reads
  // the others (both measured, ADR 0106). The Java producer warms up meanwhile.
  let share = 0;
  let t0 = 0;
  let reported = 0;
  const submitted = submitRun(ctx, r);
  const replaying = replay(
    ctx,
    r,
    async () => {
      await jobReading(ctx, await submitted);
      t0 = Date.now();
    },
    (x) => {
      share = x;
      if (x >= reported + 0.25 || x === 1) {
        reported = Math.floor(x * 4) / 4;
        ctx.note(`replay ${Math.round(x * 100)}% at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
    },
  );
  const jobId = await submitted.catch(async (err: unknown) => {
    await replaying.catch(() => {});
    throw err;
  });
  ctx.note(`job ${jobId}: parallelism 2, checkpoints every 2 s, exactly-once to Kafka and Iceberg; the replay starts once every task reads`);
  if (spec.id === 'steady') s.shape = await measureShape(ctx, r.names.input_topic);

  let drill: Promise<Omit<DrillRecord, 'restarts' | 'alerts'>> | undefined;
  if (spec.fault === 'broker' && ctx.options.sharedStack) {
    s.skipped.broker = NOT_ON_SHARED;
    ctx.note(`broker drill skipped: ${NOT_ON_SHARED}`);
  } else if (spec.fault === 'broker') drill = brokerDrill(ctx, r, () => share, replaying);
  else if (spec.fault === 'taskmanager') drill = taskManagerDrill(ctx, r, () => share, replaying);
  const [, d] = await Promise.all([replaying, drill]);

  const rest = new FlinkRestClient(ctx.endpoints.flinkRest);
  const state = await finishRun(ctx, r, JOB_TIMEOUT_MS);
  s.finished[spec.id] = state === 'FINISHED';
  if (d) {
    const restarts = await jobRestarts(rest, jobId);
    s.drills[d.kind] = { ...d, restarts, ...(await observe(ctx, r, d.faultAt, Date.now())) };
  }
  r.out = await collect(ctx, r);
  const o = r.out;
  ctx.note(`ClickHouse ${o.clickhouse.length} rows, Iceberg ${o.iceberg.length}; DLQ ${o.dlq.length} (future_ts ${o.dlq.filter((x) => x.reason === 'future_ts').length}), duplicates ${o.duplicates.length}, late ${o.late.length}`);
}

const runStep = (spec: RunSpec): LabStep<State> => ({
  id: spec.id,
  title: spec.title,
  explain: {
    steady: 'Steady traffic (no idle partition, disorder within the watermark delay) with 60 events from a producer whose clock is a year ahead, the future_ts rule on; kafka-2 is stopped a quarter into the replay and started again later. Nothing can be late in any interleaving: every row must equal the oracle.',
    idle: 'Partition 2 carries nothing for longer than a window plus the watermark delay, then resumes; stragglers 60-120 s behind. Idleness lets the other partitions move the watermark; which events end up late depends on timing, so the checks are the interleaving-tolerant ones.',
    'tm-kill': 'Steady traffic; after a checkpoint the TaskManager running the job is killed with kill -9 and started again. The job restores from the checkpoint: Kafka transactions and Iceberg commits that were not part of it are discarded.',
    'clock-off': 'The steady run\'s burst again, without the future_ts rule: one event from the broken clock on each partition moves the watermark a year ahead, and every later event is late.',
  }[spec.id],
  run: (ctx, s) => runOne(ctx, s, spec),
});

export default defineLab<State, Phase5Record>({
  id: 'phase-5',
  title: 'A realistic pipeline: three brokers, six partitions, enrichment, Iceberg and a broken clock',
  lesson: '/docs/phase-5-realistic-pipeline/lab',
  summary:
    'Realistic traffic on six replicated partitions read at parallelism 2 with watermark idleness and alignment, enriched with the product dimension as of event time, the broken-clock rule, ClickHouse and Iceberg sinks exactly once; a broker stopped, a TaskManager killed, the clock broken with the rule off. Exact checks where no event can be late, conservation where timing decides.',
  services: ['kafka', 'kafka-2', 'kafka-3', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager', 'flink-taskmanager-2', 'sql-gateway', 'prometheus', 'pipeline-exporter'],
  // What a learner edits (--sql DIR, exercises): the enrichment's Flink SQL, shared with the library.
  sql: ENRICH_FLINK_SQL,
  checks: [...PHASE_5_CHECKS],
  preflight(options) {
    if (options.eventsFile) throw new UsageError('Phase 5 generates its traffic (partitions, keys and record timestamps the oracle needs): run it without --events (phase-1 takes a file).');
    if (options.dimensionFile) throw new UsageError('Phase 5 generates its dimension changelog with its traffic: run it without --dimension (phase-2-pyflink takes a file).');
    if (options.backend?.name === 'docker') throw new UsageError('Phase 5 needs the realistic shape, which the docker backend does not run yet: run it without --backend docker.');
  },
  init: (ctx) => ({ short: ctx.options.short, sizing: ctx.options.short ? SHORT : FULL, runs: {}, finished: {}, drills: {}, skipped: {} }),
  steps: RUNS.map(runStep),
  async evaluate(_ctx, s): Promise<CheckResult[]> {
    const results: CheckResult[] = [shapeCheck(s.shape)];
    const steady = s.runs.steady as Run;
    results.push(...exactChecks(steady, { clickhouse: CHECK.steadyClickHouse, iceberg: CHECK.steadyIceberg, side: CHECK.steadySide }));
    results.push(s.skipped.broker ? skipped(CHECK.broker, s.skipped.broker) : brokerCheck(s.drills.broker));
    const idle = s.runs.idle;
    const idleNames = PHASE_5_CHECKS.filter((c) => /idle run/.test(c.name)).map((c) => c.name);
    results.push(...(idle ? idleChecks(idle) : idleNames.map((n) => skipped(n, s.skipped.idle ?? NOT_IN_SHORT))));
    const kill = s.runs['tm-kill'];
    results.push(...(kill ? tmChecks(kill, s.drills.taskmanager, s.finished['tm-kill'] === true) : [CHECK.tmRestart, CHECK.tmExact].map((n) => skipped(n, s.skipped['tm-kill'] ?? NOT_IN_SHORT))));
    const off = s.runs['clock-off'];
    const offNames = PHASE_5_CHECKS.slice(-2).map((c) => c.name);
    results.push(...(off ? clockOffChecks(off) : offNames.map((n) => skipped(n, s.skipped['clock-off'] ?? NOT_IN_SHORT))));
    return results;
  },
  record: (s, report) => buildRecord(s, report),
});

