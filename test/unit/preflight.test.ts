import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StackError } from '../../src/stack/errors.ts';
import { whichExecutable } from '../../src/stack/clickhouse/binary.ts';
import { requireMemory } from '../../src/stack/preflight.ts';
import type { ServiceSpec } from '../../src/stack/service.ts';

const hungry = (memoryMb: number): ServiceSpec => ({
  name: 'kafka',
  dependsOn: [],
  memoryMb,
  start: () => Promise.reject(new Error('not started in unit tests')),
  health: () => Promise.resolve({ ok: false, detail: '' }),
});

test('too little free memory is one sentence saying what to free, before anything starts', async () => {
  await assert.rejects(requireMemory([hungry(10_000_000)]), (err: unknown) => {
    assert.ok(err instanceof StackError);
    assert.match(err.message, /^Only \d+ MiB of memory is free and the stack needs about \d+ MiB: stop other programs/);
    return true;
  });
});

test('enough memory passes', async () => {
  await requireMemory([hungry(1)]);
});

test('executables are found only where they are', () => {
  assert.equal(whichExecutable('node', [process.execPath.replace(/\/node$/, '')]), process.execPath);
  assert.equal(whichExecutable('clickhouse-server', ['/nonexistent']), undefined);
});
