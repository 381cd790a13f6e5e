import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { setupOf } from '../../src/results/setup.ts';

const file = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../static/results/${name}.json`, import.meta.url), 'utf8'));

test('a throughput figure names the setup its path is in, with its runs', () => {
  const data = {
    runs: 3,
    machine: { cores: 2, memoryGiB: 24, cpuModel: 'X', load_average: { start: [1.5, 1, 1], end: [2, 1, 1] } },
    versions: { 'flink-jobmanager': '1.20.3', kafka: '3.9.1', clickhouse: '18.16.1' },
    setups: [
      { id: 'exactly-once', delivery: 'exactly-once: transactions', checkpointing: 'every 5 s', input: 'DLQ', dedup: 'whole run', watermarks: 'periodic', sustainable_events_per_s: { median: 4000, min: 3000, max: 5000, runs: [4000, 3000, 5000] } },
      { id: 'relaxed', delivery: 'none', checkpointing: 'off', input: 'JSON', dedup: '10 s', watermarks: 'periodic', sustainable_events_per_s: { median: 75000, min: 75000, max: 75000, runs: [75000] } },
    ],
    pass_through: {},
  };
  const eo = setupOf('phase-3-throughput', data, 'setups[id=exactly-once].sustainable_events_per_s.median');
  assert.equal(eo?.short, 'exactly-once, median of 3 runs, range 3,000-5,000');
  assert.equal(eo?.checkpointing, 'every 5 s');
  assert.match(eo?.machine ?? '', /load average 1.5, 1, 1 at the start/);
  const relaxed = setupOf('phase-3-throughput', data, 'setups[id=relaxed].sustainable_events_per_s.median');
  assert.match(relaxed?.short ?? '', /^without delivery guarantees, one run/);
  assert.equal(setupOf('phase-3-throughput', data, 'setups[id=nope].x')?.short, 'nope: setup not recorded');
  assert.equal(setupOf('phase-3-throughput', undefined, 'x'), undefined);
});

test('a recovery drill is exactly-once with its checkpoint interval; the control says it has no checkpoints', () => {
  const data = file('phase-3-recovery');
  const tm = setupOf('phase-3-recovery', data, 'drills[id=taskmanager].recovery_seconds');
  assert.match(tm?.short ?? '', /^exactly-once, checkpoints every 5s, 200 events\/s/);
  assert.match(tm?.delivery ?? '', /^exactly-once/);
  const control = setupOf('phase-3-recovery', data, 'drills[id=control].actual_rows');
  assert.equal(control?.checkpointing, 'off');
  assert.match(control?.short ?? '', /no checkpoints/);
});

test('figures without a pipeline name the machine and the runs, and no delivery guarantee', () => {
  const s = setupOf('stack-start', file('stack-start'), 'warm_start_median_ms');
  assert.equal(s?.delivery, '');
  assert.match(s?.short ?? '', /median of \d+ starts/);
  assert.match(s?.versions ?? '', /Flink 1\.20/);
});
