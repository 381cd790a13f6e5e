/**
 * A streaming CTR pipeline a learner can start, feed, redeploy and remove by hand: the phase-1 SQL
 * rendered as the recovery drills run it (unbounded, checkpointed), under a run id of your choice.
 * The runbooks use it to rebuild the situations they describe, and their tests run it too.
 *
 *   npx tsx src/cli/pipeline.ts start   --run demo [--partitions 2] [--set key=value ...]
 *   npx tsx src/cli/pipeline.ts submit  --run demo [--savepoint PATH] [--set key=value ...]
 *   npx tsx src/cli/pipeline.ts produce --run demo --events 2000 [--malformed-rate 0.5] [--partition 0]
 *   npx tsx src/cli/pipeline.ts produce --run demo --file my.jsonl [--partition 0]   (a file's lines, as bytes)
 *   npx tsx src/cli/pipeline.ts stop    --run demo        (stop-with-savepoint; prints `savepoint PATH`)
 *   npx tsx src/cli/pipeline.ts remove  --run demo
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDataset } from '../ctr/generator.ts';
import { WINDOW_MS } from '../ctr/event.ts';
import { splitLines } from '../ctr/line.ts';
import { sqlString } from '../lab/sql.ts';
import { createResultsTables, resultsTables } from '../pipeline/clickhouse.ts';
import { runStatements } from '../pipeline/gateway.ts';
import { type IngestTopics, ingestLines } from '../pipeline/ingest.ts';
import { flinkStatements } from '../pipeline/render.ts';
import { streamingNames, streamingVariant } from '../pipeline/streaming.ts';
import { createTrackedTopics, pipelineTopics } from '../pipeline/topics.ts';
import { stackBackend } from '../stack/index.ts';
import { FlinkRestClient, type JobState, TERMINAL_JOB_STATES } from '../stack/flink/rest-client.ts';
import { kafkaClient } from '../stack/kafka/client.ts';
import { TrackedResources } from '../stack/resources.ts';
import { line, UsageError } from './output.ts';
import { pipelineOptions, runDir, runName, setStatements, TOLERATE_FAILED_CHECKPOINTS } from './pipeline-config.ts';
import { runCli } from './run.ts';

const USAGE = 'usage: npx tsx src/cli/pipeline.ts start|submit|produce|stop|remove --run NAME [options] (see the header of src/cli/pipeline.ts)';

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
    },
  });
  const [command] = positionals;
  if (!command || !['start', 'submit', 'produce', 'stop', 'remove'].includes(command)) throw new UsageError(USAGE);
  const run = runName(values.run);
  const partitions = Number(values.partitions);
  if (!Number.isInteger(partitions) || partitions < 1) throw new UsageError('--partitions takes a whole number of at least 1, e.g. --partitions 2.');
  if (values.savepoint !== undefined && values.savepoint.trim() === '') throw new UsageError('--savepoint needs the path that `pipeline.ts stop` printed (an empty path would start without state).');
  const stack = stackBackend();
  const ep = stack.endpoints();
  const v = streamingNames(run, ep, pipelineOptions(stack, run, partitions));
  const extra = [TOLERATE_FAILED_CHECKPOINTS, ...setStatements(values.set), ...(values.savepoint ? [`SET 'execution.savepoint.path' = ${sqlString(values.savepoint)}`] : [])];
  const variant = streamingVariant(true, extra);
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
      return stop(new FlinkRestClient(ep.flinkRest), run, runDir(stack, run).internal);
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
 * Stop-with-savepoint of the run's newest running job, without drain: open windows stay open in the
 * savepoint and close in the job that resumes from it (drain would fire them now, early).
 */
async function stop(flink: FlinkRestClient, run: string, dir: string): Promise<number> {
  const running = (await runJobs(flink, run)).filter((j) => j.state === 'RUNNING');
  const newest = running.sort((a, b) => b['start-time'] - a['start-time'])[0];
  if (!newest) {
    line(`No running job of run ${run}: list the jobs with curl -s "$FLINK_REST/jobs/overview".`);
    return 1;
  }
  line(`stopping job ${newest.jid} with a savepoint...`);
  line(`savepoint ${await flink.stopWithSavepoint(newest.jid, { drain: false, targetDirectory: `file://${join(dir, 'savepoints')}` })}`);
  return 0;
}

interface JobOverview {
  jid: string;
  name: string;
  state: JobState;
  'start-time': number;
}

/** The run's jobs, in any state (Flink names the job after the pipeline, which carries the run id). */
async function runJobs(flink: FlinkRestClient, run: string): Promise<JobOverview[]> {
  const { jobs } = (await flink.get('/jobs/overview')) as { jobs: JobOverview[] };
  return jobs.filter((j) => j.name.split(' ').includes(run));
}

runCli(main);
