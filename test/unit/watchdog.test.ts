/**
 * The lab watchdog fails a lab as soon as a recorded service dies, except a service a drill
 * kills on purpose (ctx.expectOutage) while it is excused; killService kills by the recorded pid.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { watchStack } from '../../src/lab/watchdog.ts';
import { localBackend } from '../../src/stack/local/backend.ts';
import { isAlive } from '../../src/stack/process.ts';
import { killService } from '../../src/stack/stack.ts';
import { readState, recordService } from '../../src/stack/state.ts';
import { useTempStackDir } from './fixtures/temp-stack-dir.ts';

const stackDir = useTempStackDir('ctr-watchdog-');

/** A stand-in process recorded as the TaskManager: the watchdog only looks at pids. */
function fakeService(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const pid = child.pid ?? 0;
  recordService({ name: 'flink-taskmanager', pid, ports: {}, url: 'x', logFile: join(stackDir(), 'tm.log'), startedAt: 'now' });
  return pid;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('killService kills the recorded pid and keeps the record (so up() repairs it)', async () => {
  const pid = fakeService();
  const killed = await killService('flink-taskmanager');
  assert.equal(killed.pid, pid);
  // isAlive, not kill(0): the killed child may not be reaped yet, and a zombie still answers kill(0).
  assert.equal(isAlive(pid), false);
  assert.equal(readState().services['flink-taskmanager']?.pid, pid);
  await assert.rejects(killService('flink-taskmanager'), /flink-taskmanager is not running/);
});

test('a service that dies fails the watch; an excused one does not', async () => {
  fakeService();
  const excused = new Set(['flink-taskmanager']);
  const quiet = watchStack(localBackend, 50, excused);
  let fired = false;
  quiet.promise.catch(() => (fired = true));
  await killService('flink-taskmanager');
  await settle(300);
  assert.equal(fired, false, 'an excused outage must not fail the lab');
  excused.delete('flink-taskmanager');
  await assert.rejects(quiet.promise, /flink-taskmanager \(pid \d+\) died during the lab/);
  quiet.stop();
});
