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
import { after, before, describe, test } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';
import { type EnsuredStack, ensureStack, killService } from '../../src/stack/index.ts';
import { createTopicsAndTables, getJson, names } from '../../labs/phase-3-recovery/drills/pipeline.ts';
import { deleteTopicsAt } from '../../src/stack/kafka/client.ts';
import { pipelineOptions } from '../../src/cli/pipeline-config.ts';
import { runbookBlocks, select } from './blocks.ts';
import { ShellSession } from './shell.ts';
import { jobIdOf, log, newRunId, pipelineCli, removeRun, waitFor } from './live.ts';

let stack: EnsuredStack;
const t0 = Date.now();

before(async () => {
  stack = await ensureStack({ listener: (e) => log(formatStackEvent(e)) });
});
after(async () => {
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
  test('a killed TaskManager shows as dead with no slots; stack up brings it back', async () => {
    const { sh, blocks } = await session('stack-health-checks');
    try {
      await killService('flink-taskmanager');
      await waitFor('the JobManager to notice the lost TaskManager', async () => ((await getJson(stack.endpoints.flinkRest, '/overview')) as { taskmanagers: number }).taskmanagers === 0 || undefined, 60_000);
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
    }
  });
});

describe('flink-job-failed', () => {
  test('a job whose input topic is missing: diagnose names UnknownTopicOrPartition; the fix runs it', async () => {
    const run = newRunId('nojob');
    const { sh, blocks } = await session('flink-job-failed', { RUN: run });
    try {
      const v = names(run, stack.endpoints, pipelineOptions(run, 1));
      await createTopicsAndTables(stack.endpoints, v, 1);
      await deleteTopicsAt(stack.endpoints.kafka, [v.input_topic as string]);
      const failed = jobIdOf(await pipelineCli('submit', '--run', run));
      await waitFor(`job ${failed} to record an exception`, async () => {
        const b = (await getJson(stack.endpoints.flinkRest, `/jobs/${failed}/exceptions`)) as { exceptionHistory?: { entries?: unknown[] } };
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
  });
});
