import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { jobArgs, stageJob, DEFAULT_FLAGS, overlayFiles } from '../../labs/phase-2-pyflink/job.ts';
import { buildPlan, runNames } from '../../labs/phase-2-pyflink/plan.ts';

const ep = { internal: { kafka: '127.0.0.1:9092' }, flinkRest: 'http://127.0.0.1:8081' };

test("the plan holds phase 1's statements for the run, its three side inserts, and no results sink of phase 1's", () => {
  const names = runNames('run1', ep, false);
  const plan = buildPlan(names, ep, ['/j/kafka.jar']);
  assert.deepEqual(plan.rest, { host: '127.0.0.1', port: 8081 });
  assert.equal(plan.settings['table.local-time-zone'], 'UTC');
  assert.equal(plan.settings['parallelism.default'], '1');
  assert.deepEqual(plan.inserts.map((i) => /^INSERT INTO (\S+)/.exec(i)?.[1]), ['run1_dlq', 'run1_dup', 'run1_late']);
  assert.ok(plan.statements.some((s) => s.startsWith('CREATE TABLE run1_src')));
  assert.ok(!plan.statements.some((s) => s.includes('run1_results')), "phase 1's results table is the Python job's own");
  assert.deepEqual(plan.client_jars, ['/j/kafka.jar']);
  assert.equal(names.dimension_topic, 'run1_products');
});

test('the recovery run reads unbounded and writes in transactions', () => {
  const n = runNames('r', ep, true);
  assert.equal(n.bounded_mode, 'unbounded');
  assert.equal(n.delivery_guarantee, 'exactly-once');
  assert.equal(runNames('r', ep, false).bounded_mode, 'latest-offset');
});

test('--job DIR lays its files over the version by name and keeps the others', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pyflink-stage-'));
  try {
    const overlay = join(dir, 'overlay');
    mkdirSync(overlay);
    writeFileSync(join(overlay, 'udfs.py'), '# mine\n');
    const script = stageJob(join(dir, 'work'), 'v2', overlay);
    assert.equal(script, join(dir, 'work', 'jobs', 'v2', 'job.py'));
    assert.equal(readFileSync(join(dir, 'work', 'jobs', 'v2', 'udfs.py'), 'utf8'), '# mine\n');
    assert.ok(existsSync(join(dir, 'work', 'jobs', 'v2', 'enrich.sql')));
    assert.ok(existsSync(join(dir, 'work', 'jobs', 'ctr_common', 'run.py')));
    assert.throws(() => overlayFiles(join(dir, 'nope')), /--job .*: no such folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Every exercise's files are checked against the lab's editable files in exercises.test.ts (all labs).
test('the job flags the lab passes', () => {
  assert.deepEqual(jobArgs('p.json', { ...DEFAULT_FLAGS, checkpointInterval: '1 s', checkpointDir: 'file:///cp', restart: 'fixed-delay' }), [
    '--plan', 'p.json', '--parallelism', '1', '--checkpoint-interval', '1 s', '--checkpoint-dir', 'file:///cp', '--state-backend', 'hashmap', '--restart', 'fixed-delay', '--restart-attempts', '10', '--restart-delay', '2 s',
  ]);
});

test('the lab refuses the docker backend and a missing venv before any stack starts, in one sentence each', async () => {
  const lab = (await import('../../labs/phase-2-pyflink/lab.ts')).default;
  const options = { seed: 42, short: true };
  assert.throws(() => lab.preflight?.({ ...options, backend: { name: 'docker' } }), /local backend only: the project's Flink images have no Python/);
  const saved = process.env.CTR_PYFLINK_VENV;
  process.env.CTR_PYFLINK_VENV = join(tmpdir(), 'no-such-venv');
  try {
    assert.throws(() => lab.preflight?.({ ...options, backend: { name: 'local' } }), /venv is missing .*: run `npm run pyflink:setup`/);
  } finally {
    if (saved === undefined) delete process.env.CTR_PYFLINK_VENV;
    else process.env.CTR_PYFLINK_VENV = saved;
  }
});

test('running again after a restore: finished bounded sources may stay FINISHED, nothing else may lag', async () => {
  const { runningAgain } = await import('../../labs/phase-2-pyflink/lab.ts');
  const v = (status: string) => ({ id: status, name: status, status, parallelism: 1 });
  const job = (state: string, ...statuses: string[]) => ({ state, vertices: statuses.map(v) }) as unknown as Parameters<typeof runningAgain>[0];
  assert.equal(runningAgain(job('RUNNING', 'RUNNING', 'FINISHED', 'RUNNING')), true);
  assert.equal(runningAgain(job('RUNNING', 'RUNNING', 'DEPLOYING')), false);
  assert.equal(runningAgain(job('RESTARTING', 'RUNNING')), false);
  assert.equal(runningAgain(job('RUNNING', 'FINISHED')), false);
});
