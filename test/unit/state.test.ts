import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { StackError } from '../../src/stack/errors.ts';
import { stackPaths } from '../../src/stack/paths.ts';
import { forgetService, readState, recordService } from '../../src/stack/state.ts';
import { useTempStackDir } from './fixtures/temp-stack-dir.ts';

const stackDir = useTempStackDir('ctr-state-');

test('state.json records services with their ports and forgets them on stop', () => {
  assert.deepEqual(readState().services, {});
  recordService({ name: 'kafka', pid: 123, ports: { broker: 9092, controller: 9093 }, url: '127.0.0.1:9092', logFile: '/x/kafka.log', startedAt: 'now' });
  const onDisk = JSON.parse(readFileSync(stackPaths.state(), 'utf8')) as { services: Record<string, { ports: Record<string, number> }> };
  assert.equal(onDisk.services.kafka?.ports.broker, 9092);
  forgetService('kafka');
  assert.deepEqual(readState().services, {});
});

test('a corrupt state file is an error naming the file and the recorded processes that still run', async () => {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(stackDir(), { recursive: true });
  // Cut off mid-write: this process's pid is recorded and alive; a pid that cannot exist is not.
  writeFileSync(stackPaths.state(), `{ "services": { "kafka": { "pid": ${process.pid} }, "clickhouse": { "pid": ${2 ** 30}`);
  assert.throws(() => readState(), (err: unknown) => {
    assert.ok(err instanceof StackError);
    assert.match(err.message, /state file .*state\.json is corrupt/);
    assert.match(err.message, new RegExp(`pids ${process.pid}\\)`));
    assert.doesNotMatch(err.message, new RegExp(String(2 ** 30)));
    return true;
  });
  writeFileSync(stackPaths.state(), '{ not json');
  assert.throws(() => readState(), /corrupt .*no process it recorded still runs: delete it/);
  writeFileSync(stackPaths.state(), '[]');
  assert.throws(() => readState(), /corrupt \(no "services" object\)/);
  rmSync(stackPaths.state());
  assert.deepEqual(readState().services, {});
});
