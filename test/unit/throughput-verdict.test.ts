import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type StepFigures, sustainableRate, verdict } from '../../labs/phase-3-throughput/verdict.ts';
import { targetsUpTo } from '../../labs/phase-3-throughput/plan.ts';

const ok: StepFigures = { target: 10_000, input: 10_010, lagSlope: 20, lagEnd: 3_000, p99Slope: 30, windowP99: [5_400, 5_450, 5_420], windows: 5, incompleteWindows: 0 };

test('a step that keeps up is sustainable', () => {
  assert.deepEqual(verdict(ok), { status: 'sustainable', reason: '' });
});

test('each rule fails on its own, with the reason', () => {
  assert.equal(verdict({ ...ok, input: 9_000 }).status, 'rate_not_reached');
  assert.match(verdict({ ...ok, lagSlope: 2_000 }).reason, /lag grows 2000 events\/s \(allowed 200\)/);
  assert.match(verdict({ ...ok, lagEnd: 25_000 }).reason, /lag at the end/);
  assert.match(verdict({ ...ok, incompleteWindows: 1 }).reason, /1 of 5 windows/);
  assert.match(verdict({ ...ok, windows: 0 }).reason, /no window/);
  assert.equal(verdict({ ...ok, guard: 'TaskManager heap above 85% of its maximum' }).status, 'aborted');
});

test('lag may grow by 2% of the target at high rates, 200 events/s at low ones', () => {
  assert.equal(verdict({ ...ok, target: 100_000, input: 100_000, lagEnd: 100_000, lagSlope: 1_900 }).status, 'sustainable');
  assert.equal(verdict({ ...ok, target: 1_000, input: 1_000, lagEnd: 500, lagSlope: 190 }).status, 'sustainable');
  assert.equal(verdict({ ...ok, target: 1_000, input: 1_000, lagEnd: 500, lagSlope: 250 }).status, 'unsustainable');
});

test('latency growth needs both an upward trend and a real rise from first to last window', () => {
  // one slow window in the middle tilts nothing
  assert.equal(verdict({ ...ok, p99Slope: 600, windowP99: [6_800, 9_000, 7_000] }).status, 'sustainable');
  // ClickHouse's read cycle alone: one window shown at once, the next ~2 s later (ADR 0037)
  assert.equal(verdict({ ...ok, p99Slope: 2_100, windowP99: [5_200, 7_300], windows: 2 }).status, 'sustainable');
  // a steady climb of 4 s is growth
  const grows = verdict({ ...ok, p99Slope: 2_000, windowP99: [5_500, 7_500, 9_500] });
  assert.equal(grows.status, 'unsustainable');
  assert.match(grows.reason, /p99 latency grows 2000 ms per window \(4000 ms/);
});

test('sustainable throughput: the highest target with every lower step sustainable', () => {
  const s = (t: number, status: 'sustainable' | 'unsustainable') => ({ target_events_per_s: t, status });
  assert.equal(sustainableRate([s(1_000, 'sustainable'), s(10_000, 'sustainable'), s(25_000, 'unsustainable')]), 10_000);
  assert.equal(sustainableRate([s(10_000, 'sustainable'), s(1_000, 'unsustainable')]), 0);
  assert.equal(sustainableRate([]), 0);
});

test('the ramp stops at the first target above the drain rate, which it still runs', () => {
  assert.deepEqual(targetsUpTo([1, 10, 25, 50], 20), [1, 10, 25]);
  assert.deepEqual(targetsUpTo([1, 10], 100), [1, 10]);
  assert.deepEqual(targetsUpTo([1, 10], undefined), [1, 10]);
});

test('an exactly-once job commits offsets only on checkpoints: its end lag may hold one interval more', () => {
  // 6 s of input at the end: too much for a job that commits every second, within 2 s + one 5 s checkpoint interval.
  assert.equal(verdict({ ...ok, lagEnd: 60_000 }).status, 'unsustainable');
  assert.equal(verdict({ ...ok, lagEnd: 60_000, commitLagSeconds: 5 }).status, 'sustainable');
  assert.match(verdict({ ...ok, lagEnd: 80_000, commitLagSeconds: 5 }).reason, /lag at the end 80000 > 7 s of input/);
});

test('an exactly-once window becomes visible at the next checkpoint: its p99 may vary by one interval without running away', () => {
  const jitter = { ...ok, p99Slope: 2_400, windowP99: [8_928, 13_516, 13_747] };
  assert.equal(verdict(jitter).status, 'unsustainable');
  assert.equal(verdict({ ...jitter, commitLagSeconds: 5 }).status, 'sustainable');
  assert.equal(verdict({ ...jitter, windowP99: [8_000, 13_000, 18_000], commitLagSeconds: 5 }).status, 'unsustainable');
});
