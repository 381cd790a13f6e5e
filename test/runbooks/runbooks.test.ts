/**
 * Every runbook, tested by causing its fault on a live local stack: the test breaks something, runs
 * the runbook's own `diagnose` blocks and asserts their output names the fault, runs its `fix`
 * blocks, then its `confirm` blocks, and asserts the stack recovered. The commands come from the
 * markdown (test/runbooks/blocks.ts), so a runbook whose commands stop working fails here.
 *
 * One stack for the whole file (started here if none runs, and stopped after); each case makes its
 * own run (topics, tables, job, checkpoints named rb_<case>_<time>) and removes it, pass or fail.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { formatStackEvent } from '../../src/cli/output.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';
import { createResultsTables } from '../../src/pipeline/clickhouse.ts';
import { streamingNames, streamingVariant } from '../../src/pipeline/streaming.ts';
import { createTrackedTopics, pipelineTopics } from '../../src/pipeline/topics.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { clickhouseClient, exec, query } from '../../src/stack/clickhouse/client.ts';
import { deleteTopicsAt, endOffsetSum, groupLag, kafkaClient, produceLines } from '../../src/stack/kafka/client.ts';
import { pipelineOptions, runDir } from '../../src/cli/pipeline-config.ts';
import { serviceVersions } from '../../src/stack/versions.ts';
import { runbookBlocks, select } from './blocks.ts';
import { RunbookRecorder } from './record.ts';
import { ShellSession } from './shell.ts';
import { jobIdOf, log, newRunId, pipelineCli, removeRun, waitFor } from './live.ts';

let stack: EnsuredStack;
/** The stack's Flink REST API (its port is known once the stack runs). */
const flink = () => new FlinkRestClient(stack.endpoints.flinkRest);
const t0 = Date.now();
/** RECORD_RUNBOOKS=1 writes static/results/runbooks.json after a complete run (record.ts). */
const recorder = new RunbookRecorder();

before(async () => {
  stack = await ensureStack(stackBackend(), { listener: (e) => log(formatStackEvent(e)) });
});
after(async () => {
  recorder.writeIfAsked(serviceVersions(stack?.services ?? []), log);
  await stack?.release();
  log(`runbook suite: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
});

/** A shell that has run the runbook's setup block (its env line), with the reader's variables set. */
async function session(runbook: string, vars: Record<string, string> = {}): Promise<{ sh: ShellSession; blocks: ReturnType<typeof runbookBlocks> }> {
  const blocks = runbookBlocks(runbook);
  const sh = new ShellSession(vars);
  await sh.run(select(blocks, 'setup'));
  return { sh, blocks };
}

describe('stack-health-checks', () => {
  test('a killed TaskManager shows as dead with no slots; stack up brings it back', recorder.track('stack-health-checks', 'TaskManager killed', async () => {
    const { sh, blocks } = await session('stack-health-checks');
    try {
      await stack.backend.kill('flink-taskmanager');
      await waitFor('the JobManager to notice the lost TaskManager', async () => ((await flink().get('/overview')) as { taskmanagers: number }).taskmanagers === 0 || undefined, 60_000);
      const d = await sh.run(select(blocks, 'diagnose'));
      assert.match(d.output, /flink-taskmanager\W+dead/);
      assert.match(d.output, /flink-taskmanager not healthy/);
      assert.match(d.output, /"taskmanagers":0/);
      await sh.run(select(blocks, 'fix'));
      const c = await sh.run(select(blocks, 'confirm'));
      assert.doesNotMatch(c.output, /dead|unhealthy/);
      assert.match(c.output, /^true$/m);
    } finally {
      sh.dispose();
      // Whatever failed above, the next cases need a TaskManager: repair the stack (a no-op when healthy).
      await stack.backend.up({ listener: (e) => log(formatStackEvent(e)) });
    }
  }));
});

describe('flink-job-failed', () => {
  test('a job whose input topic is missing: diagnose names UnknownTopicOrPartition; the fix runs it', recorder.track('flink-job-failed', 'input topic missing', async () => {
    const run = newRunId('nojob');
    const { sh, blocks } = await session('flink-job-failed', { RUN: run });
    try {
      // What `pipeline.ts start` creates, without its job; then the input topic goes.
      const v = streamingNames(run, stack.endpoints, pipelineOptions(stack.backend, run, 1));
      await createTrackedTopics(stack.endpoints, pipelineTopics(v));
      await createResultsTables(stack.endpoints, v, { variant: streamingVariant(true) });
      await deleteTopicsAt(stack.endpoints.kafka, [v.input_topic]);
      const failed = jobIdOf(await pipelineCli('submit', '--run', run));
      await waitFor(`job ${failed} to record an exception`, async () => {
        const b = (await flink().get(`/jobs/${failed}/exceptions`)) as { exceptionHistory?: { entries?: unknown[] } };
        return (b.exceptionHistory?.entries?.length ?? 0) > 0 || undefined;
      }, 90_000);
      const d = await sh.run(select(blocks, 'diagnose'));
      assert.match(d.output, new RegExp(`newest job of run ${run}: ${failed}`));
      assert.match(d.output, /UnknownTopicOrPartitionException/);
      await sh.run(select(blocks, 'fix'));
      const c = await sh.run(select(blocks, 'confirm'));
      assert.match(c.output, /job [0-9a-f]{32} RUNNING, tasks: RUNNING RUNNING RUNNING/);
      assert.doesNotMatch(c.output, new RegExp(failed), 'the confirmed job is the new one');
    } finally {
      sh.dispose();
      await removeRun(run);
    }
  }));
});

/**
 * One streaming pipeline (2 input partitions) carries the remaining runbooks, one fault after the
 * other, each case leaving it healthy for the next: a submission costs 10-30 s on 2 cores, and a
 * fresh pipeline per case would not fit the suite's 5-minute budget. Order matters and is part of
 * the story: fix the watermark, lose and restore ClickHouse's consumer, break its schema, flood the
 * DLQ, lose the checkpoint storage, overload the job and scale it out, start a second version that
 * finds no slots, deploy a version that cannot restore and roll back.
 */
describe('one pipeline, one fault after another', () => {
  const run = newRunId('flow');
  let v: Record<string, string>;
  let admin: Admin;
  const ch = () => clickhouseClient(stack.endpoints.clickhouseHttp);

  before(async () => {
    v = streamingNames(run, stack.endpoints, pipelineOptions(stack.backend, run, 2));
    admin = kafkaClient(stack.endpoints.kafka).admin();
    await admin.connect();
    await pipelineCli('start', '--run', run, '--partitions', '2');
  });
  after(async () => {
    await admin?.disconnect();
    await removeRun(run);
  });

  /** The materialized views whose SELECT reads `table` (18.16 has no dependency column: read the DDL). */
  const viewsOf = async (client: ReturnType<typeof ch>, table: string): Promise<string[]> =>
    (await query<{ name: string; create_table_query: string }>(client, `SELECT name, create_table_query FROM system.tables WHERE engine = 'MaterializedView'`))
      .filter((r) => new RegExp(`FROM (default\\.)?${table}\\b`).test(r.create_table_query))
      .map((r) => r.name);

  const newestJob = async (state = 'RUNNING'): Promise<string> => {
    const { jobs } = (await flink().get('/jobs/overview')) as { jobs: { jid: string; name: string; state: string; 'start-time': number }[] };
    const mine = jobs.filter((j) => j.name.includes(run) && j.state === state).sort((a, b) => b['start-time'] - a['start-time']);
    if (!mine[0]) throw new Error(`no ${state} job of run ${run}`);
    return mine[0].jid;
  };

  test('no-results-in-clickhouse, idle partition: no watermark and an empty partition; an idle timeout lets windows close', recorder.track('no-results-in-clickhouse', 'one of two partitions idle', async () => {
    const { sh, blocks } = await session('no-results-in-clickhouse', { RUN: run });
    try {
      await pipelineCli('produce', '--run', run, '--events', '3000', '--partition', '0');
      const job = await newestJob();
      // Watermarks are metrics the JobManager fetches every few seconds: wait until they are there, as a reader would.
      await waitFor('watermark metrics of the window operator', async () => {
        const { vertices } = (await flink().get(`/jobs/${job}`)) as { vertices: { id: string; name: string }[] };
        const win = vertices.find((x) => x.name.startsWith('GlobalWindowAggregate'));
        return ((await flink().get(`/jobs/${job}/vertices/${win?.id}/watermarks`)) as unknown[]).length > 0 || undefined;
      }, 60_000, 1_000);
      const d = await sh.run(select(blocks, 'diagnose', 'idle-partition'));
      assert.match(d.output, /^rows in ClickHouse: 0$/m);
      assert.match(d.output, /of GlobalWindowAggregate[^:]*: none$/m);
      assert.match(d.output, new RegExp(`^${v.input_topic}:1:0$`, 'm'), 'partition 1 is empty');
      assert.match(d.output, new RegExp(`^${v.input_topic}:0:[1-9]`, 'm'), 'partition 0 has the events');
      await sh.run(select(blocks, 'fix', 'idle-partition'));
      const c = await sh.run(select(blocks, 'confirm', 'idle-partition'));
      assert.match(c.output, /^rows in ClickHouse: [1-9]\d*$/m);
    } finally {
      sh.dispose();
    }
  }));

  test('no-results-in-clickhouse, consumer stopped: no materialized view and a lagging group; ATTACH resumes it', recorder.track('no-results-in-clickhouse', "ClickHouse's materialized view detached", async () => {
    const { sh, blocks } = await session('no-results-in-clickhouse', { RUN: run });
    const client = ch();
    try {
      // Every view that reads the Kafka table: with none left, ClickHouse stops consuming.
      for (const view of await viewsOf(client, v.queue_table as string)) await exec(client, `DETACH TABLE ${view}`);
      // 30 s of event time: enough for windows to close (and results to reach the topic) behind the watermark.
      await pipelineCli('produce', '--run', run, '--events', '3000');
      await waitFor('results that ClickHouse does not consume', async () => ((await groupLag(admin, v.clickhouse_group as string, v.results_topic as string)) > 0 ? true : undefined), 90_000, 1_000);
      const d = await sh.run(select(blocks, 'diagnose', 'consumer-stopped'));
      assert.match(d.output, new RegExp(`^${v.queue_table}\\tKafka$`, 'm'));
      assert.doesNotMatch(d.output, new RegExp(`^${v.mv_name}\\tMaterializedView$`, 'm'));
      assert.match(d.output, new RegExp(`${v.clickhouse_group}\\s+${v.results_topic}\\s+0\\s+\\d+\\s+\\d+\\s+[1-9]`), 'the group lags');
      const f = await sh.run(select(blocks, 'fix', 'consumer-stopped'));
      assert.match(f.output, new RegExp(`^attached ${v.mv_name}$`, 'm'));
      const c = await sh.run(select(blocks, 'confirm', 'clickhouse-lag'));
      assert.match(c.output, /^ClickHouse consumer lag: 0$/m);
    } finally {
      sh.dispose();
      await client.close();
    }
  }));

  test('no-results-in-clickhouse, schema mismatch: the Kafka engine error names the field; skipping the message resumes', recorder.track('no-results-in-clickhouse', 'a result ClickHouse cannot parse', async () => {
    const { sh, blocks } = await session('no-results-in-clickhouse', { RUN: run });
    try {
      const bad = JSON.stringify({ product_id: 'p01', window_start: '2026-11-22T05:00:00Z', window_end: 0, impressions: 1, clicks: 0, ctr: 0 });
      // The symptom a reader sees: a new parse error in ClickHouse's log, and the group stuck behind it.
      // (Lag alone is there the moment the message is written, before ClickHouse has even read it.)
      const parseErrors = async () => (await stack.backend.logs('clickhouse', 100_000)).match(/StorageKafka.*DB::Exception: .*window_start/g)?.length ?? 0;
      const errorsBefore = await parseErrors();
      await produceLines(kafkaClient(stack.endpoints.kafka), v.results_topic as string, [bad]);
      await waitFor('ClickHouse to log the parse error', async () => ((await parseErrors()) > errorsBefore ? true : undefined), 60_000, 1_000);
      await waitFor('ClickHouse to stop at the bad message', async () => ((await groupLag(admin, v.clickhouse_group as string, v.results_topic as string)) > 0 ? true : undefined), 60_000, 1_000);
      const d = await sh.run(select(blocks, 'diagnose', 'schema-mismatch'));
      assert.match(d.output, /DB::Exception: .*key window_start/);
      assert.match(d.output, new RegExp(`${v.clickhouse_group}\\s+${v.results_topic}\\s+0\\s+\\d+\\s+\\d+\\s+[1-9]`), 'the group is stuck');
      await sh.run(select(blocks, 'fix', 'schema-mismatch'));
      const c = await sh.run(select(blocks, 'confirm', 'clickhouse-lag'));
      assert.match(c.output, /^ClickHouse consumer lag: 0$/m);
    } finally {
      sh.dispose();
    }
  }));

  test('invalid-events: a burst of malformed lines shows in the DLQ share and its reasons; a fixed producer adds none', recorder.track('invalid-events', 'a burst of malformed events', async () => {
    const { sh, blocks } = await session('invalid-events', { RUN: run });
    try {
      await pipelineCli('produce', '--run', run, '--events', '400', '--malformed-rate', '1');
      await waitFor('the burst to reach the DLQ', async () => ((await endOffsetSum(admin, v.dlq_topic as string)) >= 400 ? true : undefined), 90_000, 1_000);
      const d = await sh.run(select(blocks, 'diagnose'));
      assert.match(d.output, /^input lines: \d+, DLQ lines: (\d+) \((\d+)%\)$/m);
      assert.ok(Number(/DLQ lines: (\d+)/.exec(d.output)?.[1]) >= 400, 'the DLQ holds the burst');
      assert.match(d.output, /^\s+\d+ (not_json|bad_event_id|bad_user_id|bad_product_id|bad_event_type|bad_ts)$/m, 'counts per reason');
      assert.match(d.output, /^\{"payload":.*"reason":/m, 'an example line');
      // The fix is at the producer (the runbook says so); here the fixed producer sends valid lines only, while confirm watches.
      const producing = (async () => {
        await sleep(3_000);
        await pipelineCli('produce', '--run', run, '--events', '800');
      })();
      const c = await sh.run(select(blocks, 'confirm'));
      await producing;
      assert.match(c.output, /^last 15 s: [1-9]\d* new input lines, 0 new DLQ lines$/m);
    } finally {
      sh.dispose();
    }
  }));

  test('checkpoints-failing: a checkpoint directory that became a file shows as IO failures; restoring the directory heals it', recorder.track('checkpoints-failing', 'checkpoint directory replaced by a file', async () => {
    const { sh, blocks } = await session('checkpoints-failing', { RUN: run });
    const dir = join(runDir(stack.backend, run).host, 'checkpoints');
    try {
      const job = await newestJob();
      const failedBefore = ((await flink().get(`/jobs/${job}/checkpoints`)) as { counts: { failed: number } }).counts.failed;
      renameSync(dir, `${dir}.lost`);
      writeFileSync(dir, 'not a directory\n');
      await waitFor('a failed checkpoint', async () => (((await flink().get(`/jobs/${job}/checkpoints`)) as { counts: { failed: number } }).counts.failed > failedBefore ? true : undefined), 60_000, 1_000);
      const d = await sh.run(select(blocks, 'diagnose'));
      assert.match(d.output, /FAILED in \d+ ms, \d+ bytes: .*IO-problem detected/);
      assert.match(d.output, new RegExp(`^checkpoint directory: ${dir}$`, 'm'));
      assert.match(d.output, /^-rw\S* .* \S+\/checkpoints$/m, 'ls shows a file where the directory should be');
      await sh.run(select(blocks, 'fix'));
      const c = await sh.run(select(blocks, 'confirm'));
      assert.match(c.output, /^completed checkpoints: (\d+) -> (\d+); latest: file:.*\/chk-\d+$/m);
    } finally {
      sh.dispose();
    }
  }));

  test('backpressure-and-lag: a burst shows lag and the load of every vertex; scaling out with a savepoint drains it', recorder.track('backpressure-and-lag', 'more input than one subtask drains', async () => {
    const { sh, blocks } = await session('backpressure-and-lag', { RUN: run });
    try {
      // A burst larger than the job drains in the seconds that backpressure metrics take to refresh:
      // the producer keeps going while the runbook's diagnosis runs, as an overload would.
      const burst = pipelineCli('produce', '--run', run, '--events', '150000');
      await waitFor('lag on the Flink consumer group', async () => ((await groupLag(admin, v.consumer_group as string, v.input_topic as string)) > 10_000 ? true : undefined), 60_000, 500);
      const d = await sh.run(select(blocks, 'diagnose'));
      await burst;
      // One line per vertex with its backpressure and busy ratios. Which vertex is busy depends on
      // how the 5-s busy-time window meets the burst, so the assertion is on the lag, not on a ratio.
      const ratios = [...d.output.matchAll(/^(?:ok|low|high): backpressured ([\d.]+), busy ([\d.]+) /gm)];
      assert.equal(ratios.length, 3, 'one line per vertex');
      assert.match(d.output, new RegExp(`${v.consumer_group}\\s+${v.input_topic}\\s+\\d\\s+\\d+\\s+\\d+\\s+[1-9]`), 'the Flink group lags');
      await sh.run(select(blocks, 'fix'));
      const c = await sh.run(select(blocks, 'confirm'), 300_000);
      assert.match(c.output, /^Flink consumer lag: 0; parallelism: 2$/m);
    } finally {
      sh.dispose();
    }
  }));

  test('not-enough-slots: a second version waits for slots the old one holds; cancelling the old one lets it run', recorder.track('not-enough-slots', 'a second version finds no free slot', async () => {
    const { sh, blocks } = await session('not-enough-slots', { RUN: run });
    try {
      const waiting = jobIdOf(await pipelineCli('submit', '--run', run, '--set', 'parallelism.default=2'));
      // A reader looks once the job is past its start (INITIALIZING/CREATED last a moment): then it waits for slots.
      await waitFor(`job ${waiting} to be scheduled`, async () => (['RUNNING', 'RESTARTING'].includes(String(((await flink().get(`/jobs/${waiting}`)) as { state: string }).state)) ? true : undefined), 60_000);
      const d = await sh.run(select(blocks, 'diagnose'));
      assert.match(d.output, /^slots: 2 total, 0 free, TaskManagers: 1$/m);
      // Waiting for slots, or (once the scheduler gave up on a slot request) restarting to wait again.
      assert.match(d.output, new RegExp(`^${waiting} (RUNNING|RESTARTING), needs 2 slots, tasks (?!RUNNING,)[A-Z/]+,`, 'm'), 'the new job waits');
      await sh.run(select(blocks, 'fix'));
      const c = await sh.run(select(blocks, 'confirm'));
      assert.match(c.output, new RegExp(`^job ${waiting} RUNNING, tasks: RUNNING RUNNING RUNNING$`, 'm'));
    } finally {
      sh.dispose();
    }
  }));

  test('deploy-with-savepoint: a version that cannot restore shows why; rolling back resumes from the same savepoint', recorder.track('deploy-with-savepoint', 'a new version cannot restore the savepoint', async () => {
    // The "new version" changes the max parallelism: a real change that no savepoint survives.
    const { sh, blocks } = await session('deploy-with-savepoint', { RUN: run, NEW_VERSION: '--set pipeline.max-parallelism=64' });
    try {
      const before = await newestJob();
      await sh.run(select(blocks, 'fix', 'deploy'));
      const savepoint = await sh.get('SAVEPOINT');
      assert.match(savepoint, /savepoint-/);
      const d = await sh.run(select(blocks, 'diagnose', 'deploy'));
      assert.match(d.output, /^error: .*Max parallelism mismatch between checkpoint\/savepoint state and new program/m, 'the refusal and its reason');
      const refused = /^newest job of the run ([0-9a-f]{32}): FAILED/m.exec(d.output)?.[1];
      assert.ok(refused && refused !== before, 'the newest job is the new version, and it failed');
      assert.match(d.output, /^Caused by: .*Max parallelism mismatch/m, 'the root cause');
      assert.match(d.output, /^restored from: nothing$/m);
      await sh.run(select(blocks, 'fix', 'rollback'));
      const c = await sh.run(select(blocks, 'confirm'));
      assert.match(c.output, /^job [0-9a-f]{32} RUNNING, tasks: RUNNING RUNNING RUNNING$/m);
      assert.ok(c.output.includes(`restored from: ${savepoint}`), 'the old version resumed from the savepoint taken before the deploy');
      assert.doesNotMatch(c.output, new RegExp(before), 'a new job, not the stopped one');
    } finally {
      sh.dispose();
    }
  }));
});

describe('orchestrated-upgrade-failed', () => {
  // What ctr_upgrade does up to a failed start, by the same CLI commands its tasks run, with the
  // rollback left undone (as when Airflow stops mid-run): v1 stopped with a savepoint, v2 FAILED.
  const run = newRunId('upg');
  const release = (label: string) => ['--variant', 'labs/phase-4/sql', '--variant', `labs/phase-4/jobs/${label}`, '--label', label];
  after(async () => {
    await pipelineCli('remove', '--run', run, '--variant', 'labs/phase-4/sql').catch((err: Error) => log(`cleanup: ${err.message}`));
    await removeRun(run).catch(() => undefined);
  });

  test('orchestrated-upgrade-failed: v2 cannot map the savepoint and nothing runs; the rollback resumes v1 from the same savepoint', recorder.track('orchestrated-upgrade-failed', 'an upgrade that failed before its rollback', async () => {
    const v1 = jobIdOf(await pipelineCli('start', '--run', run, ...release('v1')));
    await pipelineCli('produce', '--run', run, '--events', '300');
    await waitFor(`job ${v1} to complete a checkpoint`, async () => (((await flink().get(`/jobs/${v1}/checkpoints`)) as { counts: { completed: number } }).counts.completed > 0 ? true : undefined), 60_000);
    const savepoint = /^savepoint (\S+)$/m.exec(await pipelineCli('stop', '--run', run))?.[1];
    assert.ok(savepoint, 'the upgrade took a savepoint');
    await assert.rejects(pipelineCli('submit', '--run', run, ...release('v2'), '--savepoint', savepoint), /Cannot map checkpoint\/savepoint state/);
    const { sh, blocks } = await session('orchestrated-upgrade-failed', { RUN: run, OLD: 'v1' });
    try {
      const d = await sh.run(select(blocks, 'diagnose'));
      assert.match(d.output, /^newest: v2 FAILED, restored from: nothing$/m, 'the new version failed and nothing runs');
      assert.match(d.output, /Cannot map checkpoint\/savepoint state for operator/, 'the reason');
      assert.match(d.output, new RegExp(`^v1 ${v1} FINISHED$`, 'm'), 'the old version was stopped by the savepoint');
      assert.ok(d.output.includes(`newest savepoint: ${savepoint}`), 'the playbook finds the upgrade savepoint');
      await sh.run(select(blocks, 'fix'));
      const c = await sh.run(select(blocks, 'confirm'));
      assert.ok(c.output.includes(`newest: v1 RUNNING, all tasks running: true, restored from: ${savepoint}`), 'v1 again, from the same savepoint');
    } finally {
      sh.dispose();
    }
  }));
});
