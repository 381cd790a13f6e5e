/**
 * The Iceberg sink, live, on the shared stack (no mocks): phase 1's pipeline as a streaming,
 * checkpointed job whose statement set writes the results to ClickHouse (through Kafka) and to an
 * Iceberg table in a Hadoop catalog under .stack/. Halfway through, the job is cancelled and a new
 * one restores from its last retained checkpoint (the committer must not append a checkpoint's
 * files twice); the second half of the input follows, then a stop-with-savepoint with drain fires
 * the last windows and commits them. The Iceberg table, read back with a Flink batch query, must
 * equal runOracle's results exactly (a duplicated row would be an extra row), and so must
 * ClickHouse's (read with FINAL).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pipelineOptions, runDir, TOLERATE_FAILED_CHECKPOINTS } from '../../src/cli/pipeline-config.ts';
import { formatStackEvent } from '../../src/cli/output.ts';
import { generateDataset } from '../../src/ctr/generator.ts';
import { runOracle } from '../../src/ctr/oracle.ts';
import { sqlString } from '../../src/lab/sql.ts';
import { createResultsTables } from '../../src/pipeline/clickhouse.ts';
import { collectOutputs } from '../../src/pipeline/collect.ts';
import { icebergNames, namespaceDir, readIcebergResults, runIcebergJob, trackIcebergNamespace, withIcebergSink } from '../../src/pipeline/iceberg/index.ts';
import { ingestLines } from '../../src/pipeline/ingest.ts';
import { flinkStatements } from '../../src/pipeline/render.ts';
import { streamingNames, streamingVariant } from '../../src/pipeline/streaming.ts';
import { createTrackedTopics, pipelineTopics } from '../../src/pipeline/topics.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';
import { groupLag, kafkaClient } from '../../src/stack/kafka/client.ts';
import { TrackedResources } from '../../src/stack/resources.ts';

const run = `iceberg_${Date.now().toString(36)}`;
const log = (line: string) => process.stdout.write(`# ${line}\n`);
const track = new TrackedResources();
let stack: EnsuredStack;

// 400 events at 10 per second of event time: about 40 s, four products, so a dozen windows on each
// side of the restore. No late events (lateRate 0, disorder 2 s < the 5 s watermark delay): which
// events are late after a restore is phase 3's lesson; here every window must be exact.
const lines = generateDataset({ seed: 20, events: 400, products: 4, ratePerSecond: 10, lateRate: 0 });
const half = Math.floor(lines.length / 2);

before(async () => {
  stack = await ensureStack(stackBackend(), { listener: (e) => log(formatStackEvent(e)) });
});

after(async () => {
  const errors = stack ? await track.remove(stack.endpoints) : [];
  rmSync(runDir(stackBackend(), run).host, { recursive: true, force: true });
  await stack?.release();
  assert.deepEqual(errors, [], 'the run removed everything it created');
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

test('results written to Iceberg on checkpoints, across a restore and a drained stop, equal the oracle (and ClickHouse)', async () => {
  const t0 = Date.now();
  const step = (s: string) => log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${s}`);
  const ep = stack.endpoints;
  const flink = new FlinkRestClient(ep.flinkRest);
  const dir = runDir(stack.backend, run).internal;
  const v = streamingNames(run, ep, { ...pipelineOptions(stack.backend, run, 1), checkpointInterval: '1 s' });
  const ice = icebergNames(run);
  trackIcebergNamespace(track, ice);
  const variant = streamingVariant(true, [TOLERATE_FAILED_CHECKPOINTS]);
  await createTrackedTopics(ep, pipelineTopics(v, { inputPartitions: 1 }), track);
  await createResultsTables(ep, v, { variant, track });
  const kafka = kafkaClient(ep.kafka);
  const admin = kafka.admin();
  await admin.connect();
  const submit = (set: string[]) =>
    runIcebergJob(ep, withIcebergSink(flinkStatements(v, { ...variant, set: [...(variant.set ?? []), ...set] }), v.results_table, ice), { session: v.prefix, track });
  // Offsets are committed when a checkpoint completes: lag 0 = a checkpoint covers the whole input so far.
  const drained = () => waitFor('the job to read its input up to a checkpoint', async () => ((await groupLag(admin, v.consumer_group, v.input_topic).catch(() => -1)) === 0 ? true : undefined), 120_000);
  try {
    await ingestLines(kafka, v, lines.slice(0, half));
    const first = await submit([]);
    step(`job ${first} running, ${half} lines in; waiting for a checkpoint past them`);
    await drained();
    await flink.cancelJob(first);
    await flink.waitForJob(first, { states: ['CANCELED'], timeoutMs: 60_000 });
    const cps = (await flink.get(`/jobs/${first}/checkpoints`)) as { latest?: { completed?: { external_path?: string } | null } };
    const checkpoint = cps.latest?.completed?.external_path;
    assert.ok(checkpoint, 'the cancelled job retained a completed checkpoint');
    step(`cancelled; restoring from ${checkpoint}`);

    const second = await submit([`SET 'execution.savepoint.path' = ${sqlString(checkpoint)}`]);
    await ingestLines(kafka, v, lines.slice(half));
    await drained();
    step(`job ${second} read the rest; stop-with-savepoint, drain`);
    await flink.stopWithSavepoint(second, { drain: true, targetDirectory: `file://${join(dir, 'savepoints')}` });
    assert.equal(await flink.waitForJob(second, { timeoutMs: 60_000 }), 'FINISHED');
  } finally {
    await admin.disconnect();
  }

  const oracle = runOracle(lines);
  assert.ok(oracle.results.length >= 16, `the dataset spans enough windows (${oracle.results.length})`);
  step('reading Iceberg back (Flink batch SQL)');
  const fromIceberg = await readIcebergResults(ep, ice);
  assert.deepStrictEqual(fromIceberg, oracle.results, 'Iceberg holds exactly the oracle\'s rows: none missing, none twice');
  step(`Iceberg: ${fromIceberg.length} rows equal the oracle; reading ClickHouse`);
  const fromClickHouse = (await collectOutputs(ep, v)).rows;
  assert.deepStrictEqual(fromClickHouse, oracle.results, 'ClickHouse (FINAL) holds the oracle\'s rows');
  step('ClickHouse equals the oracle too');
  // The small-files figure of ADR 0097: what two short jobs with a checkpoint a second left behind.
  const files = (sub: string) => readdirSync(join(namespaceDir(ice), 'results', sub)).filter((f) => !f.startsWith('.'));
  assert.ok(existsSync(namespaceDir(ice)), 'the table lives in the run\'s namespace folder under .stack/');
  log(`Iceberg files: ${files('data').length} data files, ${files('metadata').filter((f) => f.endsWith('.metadata.json')).length} metadata versions for ${fromIceberg.length} rows`);
});
