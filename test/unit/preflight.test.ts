import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StackError } from '../../src/stack/errors.ts';
import { whichExecutable } from '../../src/stack/clickhouse/binary.ts';
import { memoryNeededMb, requireMemory } from '../../src/stack/preflight.ts';
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

test('the memory check compares the services\' budgets plus headroom with what is free', async () => {
  const needed = memoryNeededMb([hungry(1_000)]);
  assert.ok(needed > 1_000, 'the headroom is added to the budgets');
  await assert.doesNotReject(requireMemory([hungry(1_000)], async () => needed));
  await assert.rejects(requireMemory([hungry(1_000)], async () => needed - 1), new RegExp(`^StackError: Only ${needed - 1} MiB of memory is free and the stack needs about ${needed} MiB`));
  // Unknown free memory (no /proc/meminfo) does not block a start.
  await assert.doesNotReject(requireMemory([hungry(1_000)], async () => undefined));
});

test('executables are found only where they are', () => {
  assert.equal(whichExecutable('node', [process.execPath.replace(/\/node$/, '')]), process.execPath);
  assert.equal(whichExecutable('clickhouse-server', ['/nonexistent']), undefined);
});
