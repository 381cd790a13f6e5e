/**
 * A streaming CTR pipeline a learner can start, feed, redeploy and remove by hand: the phase-1 SQL
 * rendered as the recovery drills run it (unbounded, checkpointed), under a run id of your choice.
 * The runbooks use it to rebuild the situations they describe, and their tests run it too.
 *
 *   npx tsx src/cli/pipeline.ts start   --run demo [--partitions 2] [--set key=value ...]
 *   npx tsx src/cli/pipeline.ts submit  --run demo [--savepoint PATH] [--set key=value ...]
 *   npx tsx src/cli/pipeline.ts produce --run demo --events 2000 [--malformed-rate 0.5] [--partition 0]
 *   npx tsx src/cli/pipeline.ts produce --run demo --file my.jsonl [--partition 0]   (a file's lines, as bytes)
 *   npx tsx src/cli/pipeline.ts stop    --run demo [--drain]   (stop-with-savepoint; prints `savepoint PATH`)
 *   npx tsx src/cli/pipeline.ts remove  --run demo
 *   npx tsx src/cli/pipeline.ts status  --run demo        (one JSON object: jobs, versions, lag, freshness)
 *   npx tsx src/cli/pipeline.ts cancel  --run demo --label v2   (cancels that version's running job, no savepoint)
 *
 * A release of the job (phase 4, labs/phase-4/dags): `--variant DIR` (repeatable) joins DIR/flink
 * and DIR/clickhouse to phase 1's files (a file of the same name replaces phase 1's), `--label v2`
 * names the version in the job's name. Backfill a time range from a file (ADR 0088):
 *   npx tsx src/cli/pipeline.ts backfill-stage   --run demo --file range.jsonl [--variant DIR]
 *   npx tsx src/cli/pipeline.ts backfill-gate    --run demo --file range.jsonl   (the oracle's checks; exit 1 refuses)
 *   npx tsx src/cli/pipeline.ts backfill-publish --run demo --from MS --to MS [--variant DIR]
 *   npx tsx src/cli/pipeline.ts backfill-drop    --run demo [--variant DIR]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDataset } from '../ctr/generator.ts';
import { WINDOW_MS } from '../ctr/event.ts';
import { splitLines } from '../ctr/line.ts';
import { sqlString } from '../lab/sql.ts';
import { createResultsTables, resultsTables } from '../pipeline/clickhouse.ts';
import { dropStaging, gateBackfill, publishBackfill, stageBackfill } from '../pipeline/lifecycle/backfill.ts';
import { jobLabel, labelledPipelineName, type RunJob, runJobs } from '../pipeline/lifecycle/jobs.ts';
import { pipelineStatus } from '../pipeline/lifecycle/status.ts';
import { runStatements } from '../pipeline/gateway.ts';
import { type IngestTopics, ingestLines } from '../pipeline/ingest.ts';
import { flinkStatements, type Variant } from '../pipeline/render.ts';
import { streamingNames, streamingVariant } from '../pipeline/streaming.ts';
import { createTrackedTopics, pipelineTopics } from '../pipeline/topics.ts';
import { stackBackend } from '../stack/index.ts';
import { FlinkRestClient, TERMINAL_JOB_STATES } from '../stack/flink/rest-client.ts';
import { kafkaClient } from '../stack/kafka/client.ts';
import { TrackedResources } from '../stack/resources.ts';
import { line, UsageError } from './output.ts';
import { pipelineOptions, runDir, runName, setStatements, TOLERATE_FAILED_CHECKPOINTS } from './pipeline-config.ts';
import { runCli } from './run.ts';

const COMMANDS = ['start', 'submit', 'produce', 'stop', 'remove', 'status', 'cancel', 'backfill-stage', 'backfill-gate', 'backfill-publish', 'backfill-drop'];
const USAGE = `usage: npx tsx src/cli/pipeline.ts ${COMMANDS.join('|')} --run NAME [options] (see the header of src/cli/pipeline.ts)`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      run: { type: 'string' },
      partitions: { type: 'string', default: '1' },
      set: { type: 'string', multiple: true, default: [] },
      savepoint: { type: 'string' },
      events: { type: 'string', default: '2000' },
      'malformed-rate': { type: 'string', default: '0' },
      partition: { type: 'string' },
      seed: { type: 'string' },
      file: { type: 'string' },
      variant: { type: 'string', multiple: true, default: [] },
      label: { type: 'string' },
      drain: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
    },
  });
  const [command] = positionals;
  if (!command || !COMMANDS.includes(command)) throw new UsageError(USAGE);
  if (values.label !== undefined && !/^[a-z0-9][a-z0-9_.-]{0,19}$/.test(values.label)) throw new UsageError('--label names a version in one word: lowercase letters, digits, _ . -, e.g. --label v2.');
  const release = releaseVariant(values.variant);
  const run = runName(values.run);
  const partitions = Number(values.partitions);
  if (!Number.isInteger(partitions) || partitions < 1) throw new UsageError('--partitions takes a whole number of at least 1, e.g. --partitions 2.');
  if (values.savepoint !== undefined && values.savepoint.trim() === '') throw new UsageError('--savepoint needs the path that `pipeline.ts stop` printed (an empty path would start without state).');
  const stack = stackBackend();
  const ep = stack.endpoints();
  const base = streamingNames(run, ep, pipelineOptions(stack, run, partitions));
  const v = { ...base, pipeline_name: labelledPipelineName(base.pipeline_name, values.label) };
  const extra = [TOLERATE_FAILED_CHECKPOINTS, ...setStatements(values.set), ...(values.savepoint ? [`SET 'execution.savepoint.path' = ${sqlString(values.savepoint)}`] : [])];
  const streaming = streamingVariant(true, extra);
  const variant: Variant = { ...streaming, flink: [...(streaming.flink ?? []), ...(release.flink ?? [])], clickhouse: [...(streaming.clickhouse ?? []), ...(release.clickhouse ?? [])] };
  const submit = async () => line(`job ${await runStatements(ep, flinkStatements(v, variant), { session: v.prefix })}`);
  const topics = pipelineTopics(v, { inputPartitions: partitions });
  switch (command) {
    case 'start':
      await createTrackedTopics(ep, topics);
      await createResultsTables(ep, v, { variant });
      line(`created topics ${topics.map((t) => `${t.topic}${t.partitions === 1 ? '' : ` (${t.partitions} partitions)`}`).join(', ')}; ClickHouse ${resultsTables(v, variant).join(', ')}`);
      await submit();
      return 0;
    case 'submit':
      await submit();
      return 0;
    case 'produce':
      return produce(ep.kafka, v, values);
    case 'stop':
      return stop(new FlinkRestClient(ep.flinkRest), run, runDir(stack, run).internal, values.drain);
    case 'status':
      line(JSON.stringify(await pipelineStatus(ep, new FlinkRestClient(ep.flinkRest), run, v)));
      return 0;
    case 'cancel': {
      const flink = new FlinkRestClient(ep.flinkRest);
      const label = required(values.label, '--label');
      const running = (await runJobs(flink, run)).filter((j) => j.state === 'RUNNING' && jobLabel(j.name, run) === label);
      for (const j of running) await flink.cancelJob(j.jid);
      line(running.length === 0 ? `no running ${label} job of run ${run}` : `cancelled ${running.map((j) => j.jid).join(', ')}`);
      return 0;
    }
    case 'backfill-stage': {
      await stageBackfill(ep, run, splitLines(readFileOrExplain(required(values.file, '--file'))), release, line);
      return 0;
    }
    case 'backfill-gate': {
      const checks = await gateBackfill(ep, run, splitLines(readFileOrExplain(required(values.file, '--file'))));
      for (const c of checks) line(`${c.ok ? 'pass' : 'FAIL'}  ${c.name}: expected ${c.expected}, got ${c.actual}${c.details ? `\n        ${c.details.slice(0, 5).join('\n        ')}` : ''}`);
      const failed = checks.filter((c) => !c.ok).length;
      line(failed === 0 ? 'gate: the replay equals the oracle; publishing is allowed' : `gate: ${failed} of ${checks.length} checks disagree with the oracle; refusing to publish`);
      return failed === 0 ? 0 : 1;
    }
    case 'backfill-publish': {
      const [from, to] = [whole(values.from, '--from'), whole(values.to, '--to')];
      const n = await publishBackfill(ep, v, run, from, to, line);
      line(`published: ${v.results_table} holds ${n} windows in [${from}, ${to})`);
      return 0;
    }
    case 'backfill-drop': {
      const errors = await dropStaging(ep, run, release);
      for (const e of errors) line(`could not remove: ${e}`);
      return errors.length > 0 ? 1 : 0;
    }
    default: {
      // What `start` and `submit` create, found by the run's names; removed as a lab's runner removes what a lab tracked.
      const created = new TrackedResources();
      for (const j of await runJobs(new FlinkRestClient(ep.flinkRest), run)) if (!TERMINAL_JOB_STATES.has(j.state)) created.job(j.jid);
      for (const t of resultsTables(v, variant)) created.table(t);
      for (const t of topics) created.topic(t.topic);
      const errors = await created.remove(ep);
      for (const e of errors) line(`could not remove: ${e}`);
      if (errors.length > 0) return 1;
      line(`removed the jobs, topics and tables of run ${run}`);
      return 0;
    }
  }
}

/**
 * Generated events (the clock as event time), or a file's lines as the labs read them (bytes, split
 * on "\n"); either way through the pipeline's ingestion: a line too large for the input topic goes
 * to the DLQ topic as too_large.
 */
async function produce(kafka: string, topics: IngestTopics, values: { events?: string; 'malformed-rate'?: string; partition?: string; seed?: string; file?: string }): Promise<number> {
  const partition = values.partition === undefined ? undefined : Number(values.partition);
  if (partition !== undefined && !(Number.isInteger(partition) && partition >= 0)) throw new UsageError('--partition takes a partition number, e.g. --partition 0.');
  const lines = values.file === undefined ? generatedLines(values) : splitLines(readFileOrExplain(values.file));
  const r = await ingestLines(kafkaClient(kafka), topics, lines, { partition });
  const tooLarge = r.tooLarge > 0 ? ` (${r.tooLarge} of them too large for it: to ${topics.dlq_topic} as too_large)` : '';
  line(`produced ${r.count} lines to ${topics.input_topic}${partition === undefined ? '' : ` partition ${partition}`}${tooLarge} in ${r.ms} ms`);
  return 0;
}

/** The `--variant` folders as one variant: each folder's flink/ and clickhouse/ join phase 1's, in the order given. */
function releaseVariant(dirs: readonly string[]): Variant {
  const sub = (name: string) => dirs.map((d) => join(resolve(d), name)).filter((d) => existsSync(d));
  for (const d of dirs) if (!existsSync(d)) throw new UsageError(`--variant ${d}: no such folder (give a folder with flink/ and/or clickhouse/ SQL files, e.g. labs/phase-4/jobs/v2).`);
  return { flink: sub('flink'), clickhouse: sub('clickhouse') };
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required for this command (see the header of src/cli/pipeline.ts).`);
  return value;
}

function whole(value: string | undefined, flag: string): number {
  const n = Number(required(value, flag));
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes epoch milliseconds, a whole minute, e.g. ${flag} 1767225600000.`);
  return n;
}

function readFileOrExplain(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`--file: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
}

function generatedLines(values: { events?: string; 'malformed-rate'?: string; seed?: string }): string[] {
  const events = Number(values.events);
  const malformedRate = Number(values['malformed-rate']);
  if (!Number.isInteger(events) || events < 1) throw new UsageError('--events takes a whole number of at least 1, e.g. --events 2000.');
  if (!(malformedRate >= 0 && malformedRate <= 1)) throw new UsageError('--malformed-rate takes a number from 0 to 1, e.g. --malformed-rate 0.5.');
  // Event time starts now (aligned to a window), so a second `produce` continues the stream instead
  // of arriving late; the seed defaults to the clock so event ids never repeat across calls.
  const startTs = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  return generateDataset({ seed, events, startTs, malformedRate, duplicateRate: 0, lateRate: 0 });
}

/**
 * Stop-with-savepoint of the run's newest running job, without drain by default: open windows stay
 * open in the savepoint and close in the job that resumes from it (drain fires them now: for a
 * pipeline's last stop, when no job will resume).
 */
async function stop(flink: FlinkRestClient, run: string, dir: string, drain: boolean): Promise<number> {
  const newest: RunJob | undefined = (await runJobs(flink, run)).filter((j) => j.state === 'RUNNING')[0];
  if (!newest) {
    line(`No running job of run ${run}: list the jobs with curl -s "$FLINK_REST/jobs/overview".`);
    return 1;
  }
  line(`stopping job ${newest.jid} with a savepoint${drain ? ' (drain: every open window fires first)' : ''}...`);
  line(`savepoint ${await flink.stopWithSavepoint(newest.jid, { drain, targetDirectory: `file://${join(dir, 'savepoints')}` })}`);
  return 0;
}

runCli(main);
