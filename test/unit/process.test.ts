import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isAlive, spawnService, stopPid, tailFile } from '../../src/stack/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctr-proc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a spawned service logs to its file and is stopped by pid with SIGTERM', async () => {
  const log = join(dir, 'a.log');
  const pid = spawnService({ command: process.execPath, args: ['-e', 'console.log("ready"); setInterval(() => {}, 1000)'], logFile: log });
  assert.ok(isAlive(pid));
  for (let i = 0; i < 50 && !(await tailFile(log)).includes('ready'); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(await tailFile(log), /ready/);
  assert.equal(await stopPid(pid, 5_000), 'stopped');
  assert.equal(isAlive(pid), false);
});

test('a process that ignores SIGTERM is killed after the grace period', async () => {
  const log = join(dir, 'b.log');
  const pid = spawnService({ command: process.execPath, args: ['-e', 'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)'], logFile: log });
  for (let i = 0; i < 50 && !(await tailFile(log)).includes('up'); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await stopPid(pid, 300), 'killed');
  assert.equal(isAlive(pid), false);
});

test('stopping a pid that is not running says so', async () => {
  assert.equal(await stopPid(999_999_999), 'not-running');
});
