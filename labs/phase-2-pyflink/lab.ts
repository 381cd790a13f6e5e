/**
 * Phase 2, PyFlink: the CTR pipeline as a Python Table API job, enriched with a product
 * dimension (category, advertiser, bid price) through an event-time temporal join on a compacted
 * Kafka topic, aggregated per product and category in 10 s windows, written to ClickHouse the
 * phase-1 way. The job is a Python program (jobs/v1, jobs/v2) that submits itself to the running
 * JobManager; v2's cost of a click is a Python UDF that runs in the TaskManager's Python worker.
 *
 * Two runs, both checked against the enrichment oracle (src/ctr/dimension.ts): the main run
 * (bounded, phase 1's messy dataset, a bid change and a product entering the catalogue at known
 * event times), then the recovery run (unbounded, checkpointed, restarts on; the TaskManager is
 * killed mid-run; a drained stop closes the windows).
 *
 * Local backend only: the project's docker images have no Python (ADR 0067).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DimensionVersion, type EnrichedResult, generateDimension, parseChangelog } from '../../src/ctr/dimension.ts';
import { snapshotDescendants, stillRunning } from '../../src/bench/proc.ts';
import { generateDataset } from '../../src/ctr/generator.ts';
import { type CheckResult, defineLab, type LabContext } from '../../src/lab/contract.ts';
import { labLines } from '../../src/lab/dataset.ts';
import { compareCount, compareTally, tally } from '../../src/lab/compare.ts';
import { collectOutputs } from '../../src/pipeline/collect.ts';
import { ingestLines } from '../../src/pipeline/ingest.ts';
import { UsageError } from '../../src/stack/errors.ts';
import { FlinkRestClient, type JobDetails } from '../../src/stack/flink/rest-client.ts';
import { groupLag, kafkaClient } from '../../src/stack/kafka/client.ts';
import { venvProblem } from '../../src/stack/pyflink/venv.ts';
import { readState } from '../../src/stack/state.ts';
import { compareEnriched } from '../../src/pipeline/enrich/compare.ts';
import { DEFAULT_FLAGS, type RecoveryFlags, submitJob, type Version } from './job.ts';
import { buildPlan, connectorJars, runNames } from './plan.ts';
import { createAll, newRun, produceDimension, readRows, type Run } from './run.ts';

const DATASET = { events: 3_000, tricky: true };
const SHORT_EVENTS = 800;
/** The recovery run's stream: no late events (watermarks are not checkpointed, FINDINGS of phase 3). */
const RECOVERY = { events: 2_000, lateRate: 0 };
const SHORT_RECOVERY_EVENTS = 600;
const START_TS = 1_700_000_000_000;
/** The version the lab runs (v2: with the Python UDF); --job overlays this version's files. */
const VERSION: Version = 'v2';
const JOB_VERSION_DIR = new URL(`./jobs/${VERSION}/`, import.meta.url);
const JOB_TIMEOUT_MS = 300_000;

export const DOCKER_SENTENCE = "The PyFlink lab runs on the local backend only: the project's Flink images have no Python for the TaskManager's Python worker (ADR 0067); run it without --backend docker.";

/**
 * On a stack other runs share (the exercise grader runs two at once) the recovery run is left out:
 * killing the TaskManager would fail the others' jobs. The check says it was skipped.
 */
const NO_KILL_ON_SHARED_STACK = 'not run on a stack other runs share (the exercise grader): killing the TaskManager would fail their jobs; `npm run lab phase-2-pyflink` runs it';
const sharedStack = (o: LabContext['options']) => o.sharedStack === true;

interface State {
  main: Run;
  recovery: Run;
  /** When p01's bid changes (event time): the rows after it are checked on their own. */
  priceChangeAt?: number;
  killedAt?: number;
  recoveredSeconds?: number;
  /** The processes the TaskManager had started (its Python workers) just before it was killed. */
  workersAtKill?: { pid: number; startedAt: number }[];
}

/** The dimension for a dataset of `events` base events at 100/s: the bid change and the catalogue entry at known points of it. */
function dimensionFor(seed: number, events: number): { versions: DimensionVersion[]; priceChangeAt: number } {
  const span = events * 10; // ms of event time at 100 events/s
  const priceChangeAt = START_TS + Math.floor(span * 0.41);
  return { versions: generateDimension({ seed, products: 8, priceChangeAt, entryAt: START_TS + Math.floor(span * 0.62) }), priceChangeAt };
}

async function submit(ctx: LabContext, r: Run, flags: RecoveryFlags, tag: string): Promise<void> {
  const plan = buildPlan(r.names, ctx.endpoints, connectorJars());
  r.submitted = await submitJob({ workDir: ctx.workDir, version: VERSION, overlay: ctx.options.overlayDir, plan, flags, tag });
  ctx.track.job(r.submitted.jobId);
  ctx.note(`job ${r.submitted.jobId}, submitted by Python in ${(r.submitted.ms / 1000).toFixed(1)} s`);
  ctx.note(`rerun: ${r.submitted.command}`);
}

/** The main run: phase 1's collect (it waits for every results message in ClickHouse), then the enriched rows. */
async function collect(ctx: LabContext, r: Run): Promise<void> {
  r.out = await collectOutputs(ctx.endpoints, r.names);
  r.rows = await readRows(ctx, r);
  ctx.note(`${r.rows.length} enriched rows in ClickHouse (the oracle: ${r.oracle.results.length}); ${r.out.dlq.length} DLQ, ${r.out.duplicates.length} duplicates, ${r.out.late.length} late`);
}

/**
 * The recovery run writes in transactions: the results topic's offsets count commit markers too,
 * so its messages cannot be counted from offsets. ClickHouse reads committed records only; wait
 * until it holds as many rows as the oracle (or 90 s), then read them: a missing row fails the check.
 */
async function collectCommitted(ctx: LabContext, r: Run): Promise<void> {
  const deadline = Date.now() + 90_000;
  r.rows = await readRows(ctx, r);
  while (r.rows.length < r.oracle.results.length && Date.now() < deadline) {
    await sleep(1_000);
    r.rows = await readRows(ctx, r);
  }
  ctx.note(`${r.rows.length} enriched rows in ClickHouse (the oracle: ${r.oracle.results.length})`);
}

const CHECKS = [
  { name: 'enriched rows equal the oracle', explain: 'Every (product, window, category, advertiser) row read with FINAL has the oracle\'s impressions, clicks, ctr and spend: the dimension version valid at each event\'s time, joined in Flink, equals the oracle\'s lookup.' },
  { name: 'rows after the price change', explain: "p01's rows from the window holding the bid change on: their spend uses the old bid before the change's event time and the new bid after it, exactly as the oracle says." },
  { name: 'each window emitted once', explain: 'The results topic holds one message per oracle row: no window fired twice, none missing.' },
  { name: 'DLQ reasons', explain: "Phase 1's validation, in the same SQL: the DLQ reasons, counted per reason, equal the oracle's." },
  { name: 'duplicates and late', explain: "Phase 1's dedup and lateness: the duplicates and late-events topics hold the oracle's counts." },
  { name: 'TaskManager killed mid-run: enriched rows equal the oracle', explain: 'The recovery run: checkpointed, restarts on, the TaskManager killed after a checkpoint, restarted; after a drained stop every row equals the oracle, none counted twice.' },
  { name: 'no Python worker outlives the killed TaskManager', explain: 'The processes the TaskManager had started (its Python workers, found in /proc just before the kill) have all ended by the end of the run: a kill -9 leaves no orphan burning CPU beside the new TaskManager.' },
] as const;


export default defineLab<State>({
  id: 'phase-2-pyflink',
  title: 'PyFlink: a Python Table API job with enrichment and recovery',
  lesson: '/docs/phase-2-code-driven-jobs/pyflink-lab',
  summary:
    'A Python program builds the CTR pipeline with the Table API and submits it to the running JobManager: phase 1\'s validation, an event-time temporal join with a product dimension read from a compacted topic, a Python UDF in the TaskManager\'s Python worker, 10 s windows per product and category into ClickHouse; then the TaskManager is killed mid-run. Every enriched row compared with the oracle.',
  services: ['kafka', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager'],
  // What a learner edits (--job DIR, exercises): the files of the version the lab runs, by name.
  job: fileURLToPath(JOB_VERSION_DIR),
  checks: [...CHECKS],
  // Before the stack starts: neither a docker stack nor a missing venv can run this lab.
  preflight(options) {
    if (options.backend?.name === 'docker') throw new UsageError(DOCKER_SENTENCE);
    const problem = venvProblem();
    if (problem) throw new UsageError(problem);
  },
  init(ctx) {
    const o = ctx.options;
    const lines = labLines(o, DATASET, SHORT_EVENTS);
    const dim = dimensionFor(o.seed, o.short ? SHORT_EVENTS : DATASET.events);
    let versions = dim.versions;
    if (o.dimensionFile) {
      try {
        versions = parseChangelog(readFileSync(o.dimensionFile, 'utf8'));
      } catch (err) {
        throw new UsageError(`${o.dimensionFile}: ${(err as Error).message}`);
      }
    }
    const recoveryEvents = o.short ? SHORT_RECOVERY_EVENTS : RECOVERY.events;
    const recLines = generateDataset({ ...RECOVERY, events: recoveryEvents, seed: o.seed + 1 });
    return {
      main: newRun(runNames(ctx.runId, ctx.endpoints, false), lines, versions),
      recovery: newRun(runNames(`${ctx.runId}_r`, ctx.endpoints, true), recLines, dimensionFor(o.seed, recoveryEvents).versions),
      priceChangeAt: o.dimensionFile ? undefined : dim.priceChangeAt,
    };
  },
  steps: [
    {
      id: 'create',
      title: 'Create the topics and the ClickHouse tables',
      explain: "Phase 1's topics (input, DLQ, duplicates, late, results; one partition each), the product dimension's compacted topic, and phase 1's ClickHouse path with the enrichment columns.",
      async run(ctx, s) {
        await createAll(ctx, s.main);
      },
    },
    {
      id: 'produce',
      title: 'Produce the events and the product dimension',
      explain: "Phase 1's messy dataset, and the dimension changelog keyed by product_id: every product from the start but one, which enters the catalogue mid-run, and p01's bid doubled at a known event time.",
      async run(ctx, s) {
        const r = await ingestLines(kafkaClient(ctx.endpoints.kafka), s.main.names, s.main.lines);
        await produceDimension(ctx, s.main);
        const at = s.priceChangeAt ? ` (p01's bid changes at ts ${s.priceChangeAt})` : '';
        ctx.note(`${r.count} event lines, ${s.main.versions.length} dimension versions${at}; the oracle expects ${s.main.oracle.results.length} enriched rows`);
      },
    },
    {
      id: 'submit',
      title: 'Run the Python program: it builds the job and submits it',
      explain: 'jobs/v2/job.py with the venv\'s Python: remote execution against the JobManager\'s REST address, the Kafka connector jars from the stack, phase 1\'s statements, the temporal join, the UDF, the windows; it prints the job id and exits.',
      async run(ctx, s) {
        await submit(ctx, s.main, DEFAULT_FLAGS, 'main');
      },
    },
    {
      id: 'run-job',
      title: 'Let the job read to the end',
      explain: 'Both sources are bounded: at the end the dimension source finishes (its watermark jumps to the end of time, ADR 0066), the events\' final watermark closes every window, and the job finishes.',
      async run(ctx, s) {
        await new FlinkRestClient(ctx.endpoints.flinkRest).waitForJob(s.main.submitted?.jobId as string, { states: ['FINISHED'], timeoutMs: JOB_TIMEOUT_MS });
      },
    },
    {
      id: 'collect',
      title: 'Collect the outputs',
      explain: 'The enriched rows from ClickHouse (FINAL), and the DLQ, duplicates and late-events topics.',
      async run(ctx, s) {
        await collect(ctx, s.main);
      },
    },
    {
      id: 'recovery-start',
      title: 'Recovery run: start the job with checkpoints and restarts, feed half the stream',
      explain: 'A second run on its own topics: unbounded, checkpoints every second, a fixed-delay restart strategy, transactional sinks; the first half of a stream without late events.',
      async run(ctx, s) {
        if (sharedStack(ctx.options)) return ctx.note(NO_KILL_ON_SHARED_STACK);
        const r = s.recovery;
        await createAll(ctx, r);
        await produceDimension(ctx, r);
        const half = Math.floor(r.lines.length / 2);
        await ingestLines(kafkaClient(ctx.endpoints.kafka), r.names, r.lines.slice(0, half));
        const checkpointDir = `file://${ctx.stack.sharedDir('checkpoints').internal}/${r.names.prefix}`;
        await submit(ctx, r, { ...DEFAULT_FLAGS, checkpointInterval: '1 s', checkpointDir, restart: 'fixed-delay', restartAttempts: 30, restartDelay: '2 s' }, 'recovery');
      },
    },
    {
      id: 'kill-taskmanager',
      title: 'Kill the TaskManager after a checkpoint, restart it',
      explain: 'kill -9 once a checkpoint has completed; the stack starts a new TaskManager; the job restarts from the checkpoint (state, offsets and the dimension versions).',
      async run(ctx, s) {
        if (sharedStack(ctx.options)) return;
        const rest = new FlinkRestClient(ctx.endpoints.flinkRest);
        const jobId = s.recovery.submitted?.jobId as string;
        const deadline = Date.now() + 120_000;
        while ((await completedCheckpoints(rest, jobId)) < 2) {
          if (Date.now() > deadline) throw new Error('no checkpoint completed within 120 s');
          await sleep(500);
        }
        // The Python workers are the TaskManager's children (the lab runs on the local backend only).
        const tmPid = readState().services['flink-taskmanager']?.pid;
        s.workersAtKill = tmPid === undefined ? [] : snapshotDescendants(tmPid);
        ctx.note(`${s.workersAtKill.length} process(es) below the TaskManager (its Python workers) before the kill`);
        const t0 = Date.now();
        await ctx.expectOutage('flink-taskmanager', async () => {
          const k = await ctx.stack.kill('flink-taskmanager');
          ctx.note(`killed the TaskManager (${k.where})`);
          await ctx.stack.up({ services: ['flink-taskmanager'] });
        });
        // Running again: every task RUNNING, but the dimension's source and its normalizer, which
        // finished before the kill, stay FINISHED after the restore (they have nothing left to read).
        const restarted = Date.now();
        while (!runningAgain(await rest.jobDetails(jobId))) {
          if (Date.now() > restarted + 300_000) throw new Error('the job was not RUNNING again within 5 min of the TaskManager restart');
          await sleep(500);
        }
        s.recoveredSeconds = (Date.now() - t0) / 1000;
        ctx.note(`every task RUNNING again ${s.recoveredSeconds.toFixed(1)} s after the kill`);
      },
    },
    {
      id: 'recovery-finish',
      title: 'Feed the second half, stop with a drain, collect',
      explain: 'The rest of the stream; a stop-with-savepoint with drain emits the final watermark, so every window fires and the last transactions commit; then the outputs are read.',
      async run(ctx, s) {
        if (sharedStack(ctx.options)) return;
        const r = s.recovery;
        const half = Math.floor(r.lines.length / 2);
        await ingestLines(kafkaClient(ctx.endpoints.kafka), r.names, r.lines.slice(half));
        const rest = new FlinkRestClient(ctx.endpoints.flinkRest);
        // A drain stops where the job has read to: wait until a checkpoint has committed the
        // source's offsets at the topic's end (Flink commits them to the group on checkpoints).
        const admin = kafkaClient(ctx.endpoints.kafka).admin();
        await admin.connect();
        try {
          const deadline = Date.now() + 120_000;
          while ((await groupLag(admin, r.names.consumer_group, r.names.input_topic)) > 0) {
            if (Date.now() > deadline) throw new Error('the job did not read the second half within 120 s');
            await sleep(500);
          }
        } finally {
          await admin.disconnect();
        }
        await rest.stopWithSavepoint(r.submitted?.jobId as string, { drain: true, targetDirectory: `file://${ctx.stack.sharedDir('savepoints').internal}` });
        await collectCommitted(ctx, r);
      },
    },
  ],
  async evaluate(ctx, s) {
    const m = s.main;
    const skipRecovery = sharedStack(ctx.options);
    if (!m.out || !m.rows || (!s.recovery.rows && !skipRecovery)) throw new Error('the collect steps did not run');
    const after = (rows: readonly EnrichedResult[]) => (s.priceChangeAt === undefined ? [] : rows.filter((r) => r.product_id === 'p01' && r.window_start + 10_000 > (s.priceChangeAt as number)));
    const checks: CheckResult[] = [
      compareEnriched(CHECKS[0].name, m.oracle.results, m.rows),
      s.priceChangeAt === undefined
        ? { name: CHECKS[1].name, expected: 'the generated dimension (a bid change at a known time)', actual: 'not applicable: --dimension replaces the generated changelog; the full comparison above covers your changes', ok: true, skipped: true }
        : compareEnriched(CHECKS[1].name, after(m.oracle.results), after(m.rows)),
      compareCount(CHECKS[2].name, m.oracle.results.length, m.out.emitted),
      compareTally(CHECKS[3].name, tally(m.oracle.base.dlq, (d) => d.reason), tally(m.out.dlq, (d) => d.reason)),
      {
        name: CHECKS[4].name,
        expected: `${m.oracle.base.counts.duplicates} duplicates, ${m.oracle.base.counts.late} late`,
        actual: `${m.out.duplicates.length} duplicates, ${m.out.late.length} late`,
        ok: m.oracle.base.counts.duplicates === m.out.duplicates.length && m.oracle.base.counts.late === m.out.late.length,
      },
      skipRecovery
        ? { name: CHECKS[5].name, expected: 'the recovery run', actual: NO_KILL_ON_SHARED_STACK, ok: true, skipped: true }
        : compareEnriched(CHECKS[5].name, s.recovery.oracle.results, s.recovery.rows ?? []),
      skipRecovery ? { name: CHECKS[6].name, expected: 'the recovery run', actual: NO_KILL_ON_SHARED_STACK, ok: true, skipped: true } : orphanCheck(s.workersAtKill ?? []),
    ];
    return checks;
  },
  report: (s) => ({
    counts: { produced: s.main.lines.length, valid: s.main.oracle.base.counts.valid, dlq: s.main.out?.dlq.length ?? 0, duplicates: s.main.out?.duplicates.length ?? 0, late: s.main.out?.late.length ?? 0 },
    results: (s.main.rows ?? []).map((r) => ({ product_id: r.product_id, window_start: r.window_start, impressions: r.impressions, clicks: r.clicks, ctr: r.ctr })),
  }),
});

function orphanCheck(workers: readonly { pid: number; startedAt: number }[]): CheckResult {
  const alive = stillRunning(workers);
  return {
    name: CHECKS[6].name,
    expected: 'at least 1 worker before the kill, none running now',
    actual: workers.length === 0 ? 'no process below the TaskManager before the kill: the UDF had not started its worker' : `${workers.length} before the kill, ${alive.length} running now${alive.length > 0 ? ` (pids ${alive.join(', ')})` : ''}`,
    ok: workers.length > 0 && alive.length === 0,
  };
}

/** The job RUNNING with every task RUNNING or FINISHED (a finished bounded source stays finished after a restore). */
export function runningAgain(d: Pick<JobDetails, 'state' | 'vertices'>): boolean {
  return d.state === 'RUNNING' && d.vertices.some((v) => v.status === 'RUNNING') && d.vertices.every((v) => v.status === 'RUNNING' || v.status === 'FINISHED');
}

async function completedCheckpoints(rest: FlinkRestClient, jobId: string): Promise<number> {
  const c = (await rest.get(`/jobs/${jobId}/checkpoints`)) as { counts?: { completed?: number } };
  return c.counts?.completed ?? 0;
}
