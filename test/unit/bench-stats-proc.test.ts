import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { busyShare, parseMachineStat, descendantsOf, parseProcStat, processCpuSeconds, snapshotDescendants, stillRunning } from '../../src/bench/proc.ts';
import { percentile, slope } from '../../src/bench/stats.ts';

test('nearest-rank percentiles are measured values, never interpolations', () => {
  const xs = [15, 20, 35, 40, 50];
  assert.equal(percentile(xs, 30), 20);
  assert.equal(percentile(xs, 40), 20);
  assert.equal(percentile(xs, 50), 35);
  assert.equal(percentile(xs, 100), 50);
  assert.equal(percentile([7], 99), 7);
  // order of the input does not matter
  assert.equal(percentile([50, 15, 40, 20, 35], 50), 35);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('p99 of 1000 values is the 990th smallest', () => {
  const xs = Array.from({ length: 1000 }, (_, i) => 1000 - i);
  assert.equal(percentile(xs, 99), 990);
  assert.equal(percentile(xs, 95), 950);
});

test('least-squares slope', () => {
  assert.equal(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]), 2);
  assert.equal(slope([{ x: 0, y: 4 }, { x: 1, y: 4 }]), 0);
  assert.ok(Math.abs(slope([{ x: 0, y: 0 }, { x: 1, y: 2 }, { x: 2, y: 1 }, { x: 3, y: 3 }]) - 0.8) < 1e-9);
  assert.equal(slope([{ x: 5, y: 1 }]), 0);
  assert.equal(slope([{ x: 1, y: 1 }, { x: 1, y: 9 }]), 0);
});

test('/proc/<pid>/stat: utime + stime counted after the last ") ", so a name with spaces and parentheses cannot shift them', () => {
  const line = '4242 (java (C2) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 40 0 100 0 0';
  assert.equal(parseProcStat(line), 1234 + 567);
});


test('CPU seconds of a process grow while it computes; a pid that does not exist has none', () => {
  const before = processCpuSeconds(process.pid);
  assert.ok(before !== undefined && before > 0, 'loading the test runner took CPU');
  // Busy until the counter moves (it counts in 10 ms ticks), at most 5 s of wall time: on a loaded
  // machine the loop gets less CPU per second, never none.
  const until = Date.now() + 5_000;
  let after = before;
  while (Date.now() < until && after - before < 0.05) {
    for (let i = 0; i < 1e6; i++) Math.sqrt(i);
    after = processCpuSeconds(process.pid) ?? before;
  }
  assert.ok(after - before >= 0.05, `CPU seconds grew by ${(after - before).toFixed(2)} during a busy loop`);
  assert.equal(processCpuSeconds(2 ** 30), undefined);
});

test('/proc/stat: busy share between two readings', () => {
  const a = parseMachineStat('cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\n');
  const b = parseMachineStat('cpu  250 0 150 800 100 0 0 0 0 0\n');
  assert.deepEqual(a, { total: 1000, idle: 800 });
  // user +150, system +50, idle +100: 200 busy ticks of 300
  assert.ok(Math.abs(busyShare(a, b) - 200 / 300) < 1e-12);
  assert.equal(busyShare(a, a), 0);
});

test('descendants: children and their children, not the root or unrelated processes', () => {
  const table = new Map([
    [10, { ppid: 1 }], // the TaskManager
    [11, { ppid: 10 }], // a runner script
    [12, { ppid: 11 }], // the Python worker it starts
    [13, { ppid: 12 }],
    [20, { ppid: 1 }], // someone else's
  ]);
  assert.deepEqual(descendantsOf(table, 10).sort(), [11, 12, 13]);
  assert.deepEqual(descendantsOf(table, 20), []);
});

test('a snapshot of the processes below this one: a child is found, runs, and after it ends is not running', async () => {
  const child = spawn('sleep', ['30']);
  try {
    const snap = snapshotDescendants(process.pid);
    assert.ok(snap.some((p) => p.pid === child.pid), `the child ${child.pid} is below this process`);
    assert.ok(stillRunning(snap).includes(child.pid as number));
    const ended = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await ended;
    assert.ok(!stillRunning(snap).includes(child.pid as number), 'a killed child is not running');
    assert.deepEqual(stillRunning([{ pid: process.pid, startedAt: -5 }]), [], 'the same pid with another start time is another process');
  } finally {
    child.kill('SIGKILL');
  }
});
