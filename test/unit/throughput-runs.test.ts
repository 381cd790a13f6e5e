import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DrainRecord, spreadOf } from '../../src/bench/throughput-record.ts';
import { runsOf } from '../../labs/phase-3-throughput/plan.ts';
import { medianRun } from '../../labs/phase-3-throughput/runs.ts';
import { CONFIGS, EXACTLY_ONCE_CONFIG, setupText } from '../../labs/phase-3-throughput/configs.ts';

test('a spread is the median, the range and every run in run order', () => {
  assert.deepEqual(spreadOf([120, 100, 110]), { median: 110, min: 100, max: 120, runs: [120, 100, 110] });
  assert.deepEqual(spreadOf([100, 130]), { median: 115, min: 100, max: 130, runs: [100, 130] });
  assert.deepEqual(spreadOf([]), { median: 0, min: 0, max: 0, runs: [] });
});

test('--record measures three runs by default; the short form and a plain run stay one run', () => {
  assert.equal(runsOf({ record: true, short: false }), 3);
  assert.equal(runsOf({ record: true, short: true }), 1);
  assert.equal(runsOf({ short: false }), 1);
  assert.equal(runsOf({ runs: 5, record: true, short: false }), 5);
});

const drain = (rate: number, busiest: string): DrainRecord => ({
  name: 'v1-json', change: '', sql: '', set: {}, events: 1, ms: 1, drain_events_per_s: rate, outcome: 'finished',
  cpu_s_per_million: {}, machine_busy: 0, busiest_vertex: busiest, busy_ratio: 0,
});

test('a configuration is shown by its median run, whole, with the spread over every run', () => {
  const m = medianRun([drain(300, 'c'), drain(100, 'a'), drain(200, 'b')]);
  assert.equal(m?.drain_events_per_s, 200);
  assert.equal(m?.busiest_vertex, 'b', 'the other figures belong to the same run');
  assert.deepEqual(m?.spread, { median: 200, min: 100, max: 300, runs: [300, 100, 200] });
  // An even count shows a real run (the lower middle), never an average of two.
  assert.equal(medianRun([drain(100, 'a'), drain(200, 'b')])?.busiest_vertex, 'a');
  assert.equal(medianRun([]), undefined);
});

test('the exactly-once configuration names its checkpoints and transactional sinks; the relaxed ones say they have none', () => {
  const eo = CONFIGS.find((c) => c.name === EXACTLY_ONCE_CONFIG);
  assert.ok(eo);
  assert.equal(eo.setup, 'exactly-once');
  assert.match(setupText(eo).checkpointing, /every 5 s/);
  assert.match(setupText(eo).delivery, /^exactly-once/);
  assert.match(setupText(eo).input, /DLQ/);
  for (const c of CONFIGS.filter((x) => x.setup === 'relaxed')) {
    assert.equal(setupText(c).checkpointing, 'off', c.name);
    assert.match(setupText(c).delivery, /^none/, c.name);
  }
  assert.match(setupText(CONFIGS.find((c) => c.sql === 'v1-json') as (typeof CONFIGS)[number]).input, /fails the job/);
});
