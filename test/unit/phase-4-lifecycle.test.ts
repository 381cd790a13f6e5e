/**
 * Phase 4's pure parts, no services: job version labels in job names, the backfill's minute
 * partitions, and the lab's scenario (what is streamed, lost, leaked and re-delivered, and the
 * expected end state, all from the oracle).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planScenario } from '../../labs/phase-4/scenario.ts';
import { generateDataset } from '../../src/ctr/generator.ts';
import { runOracle } from '../../src/ctr/oracle.ts';
import { PARTITION_MS, partitionsOf } from '../../src/pipeline/lifecycle/backfill.ts';
import { jobLabel, labelledPipelineName } from '../../src/pipeline/lifecycle/jobs.ts';
import { AIRFLOW_REQUIREMENTS, pinnedAirflowVersion } from '../../src/stack/airflow/venv.ts';
import { readFileSync } from 'node:fs';

test('a job name carries the run id and the version label after it', () => {
  assert.equal(labelledPipelineName('ctr-phase-3 demo', 'v2'), 'ctr-phase-3 demo v2');
  assert.equal(labelledPipelineName('ctr-phase-3 demo', undefined), 'ctr-phase-3 demo');
  assert.equal(jobLabel('ctr-phase-3 demo v2', 'demo'), 'v2');
  assert.equal(jobLabel('ctr-phase-3 demo', 'demo'), '');
  assert.equal(jobLabel('ctr-phase-3 other v1', 'demo'), '');
});

test('a backfill range is whole minutes, one partition each', () => {
  assert.deepEqual(partitionsOf(2 * PARTITION_MS, 4 * PARTITION_MS), [2, 3]);
  assert.throws(() => partitionsOf(PARTITION_MS + 1, 3 * PARTITION_MS), /whole minutes/);
  assert.throws(() => partitionsOf(3 * PARTITION_MS, 3 * PARTITION_MS), /from < to/);
});

test('the scenario: the range is re-delivered whole, the stream lost a quarter of it and got two ghosts', () => {
  const lines = generateDataset({ events: 720, ratePerSecond: 4, startTs: 1_700_000_040_000, seed: 42 });
  const sc = planScenario(lines, 1);
  // The first event is jittered into the minute before startTs: the range is the minute after that one.
  assert.deepEqual(sc.range, { fromTs: 1_700_000_040_000, toTs: 1_700_000_100_000 });
  assert.ok(sc.lost > 0 && sc.ghosts === 2);
  assert.equal(sc.streamed.length, lines.length - sc.lost + sc.ghosts);
  assert.deepEqual([...sc.parts[0], ...sc.parts[1]], sc.streamed);
  assert.ok(runOracle(sc.file).counts.duplicates > 0, 'the re-delivered file repeats an event');
  const inRange = (ws: number) => ws >= sc.range.fromTs && ws < sc.range.toTs;
  // Before the backfill the stream's windows in the range differ from the file's (lost events, ghosts); the expectation takes the file's.
  const streamedRange = sc.oracleStreamed.results.filter((r) => inRange(r.window_start));
  assert.ok(streamedRange.some((r) => r.product_id === 'probe'));
  assert.ok(!sc.expected.some((r) => r.product_id === 'probe'), 'no ghost window expected at the end');
  assert.deepEqual(sc.expected.filter((r) => inRange(r.window_start)), sc.oracleFile.results);
  assert.deepEqual(sc.expected.filter((r) => !inRange(r.window_start)), sc.oracleStreamed.results.filter((r) => !inRange(r.window_start)));
});

test('a dataset too short for a range and two more minutes is refused with a sentence', () => {
  const lines = generateDataset({ events: 100, ratePerSecond: 4, startTs: 1_700_000_040_000, seed: 1 });
  assert.throws(() => planScenario(lines, 1), /phase-4 needs events up to/);
});

test('the Airflow pin is a 3.x release, and pytest is pinned beside it', () => {
  assert.match(pinnedAirflowVersion() ?? '', /^3\.\d+\.\d+$/);
  assert.match(readFileSync(AIRFLOW_REQUIREMENTS, 'utf8'), /^pytest==\S+$/m);
});

test('the phase-4 lab refuses the docker backend and a missing Airflow venv, each with one sentence', async () => {
  const lab = (await import('../../labs/phase-4/lab.ts')).default;
  const options = { seed: 42, short: true };
  assert.throws(() => lab.preflight?.({ ...options, backend: { name: 'docker' } }), /local backend only: .*run it without --backend docker/);
  const saved = process.env.CTR_AIRFLOW_VENV;
  process.env.CTR_AIRFLOW_VENV = '/nonexistent/airflow-venv';
  try {
    assert.throws(() => lab.preflight?.({ ...options, backend: { name: 'local' } }), /venv is missing .*: run `npm run airflow:setup`/);
  } finally {
    if (saved === undefined) delete process.env.CTR_AIRFLOW_VENV;
    else process.env.CTR_AIRFLOW_VENV = saved;
  }
});
