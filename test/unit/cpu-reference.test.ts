import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuReference, cpuReferenceRound } from '../../src/bench/cpu-reference.ts';

test('the CPU reference does the same work every round (the same checksum), so its time compares across machines', () => {
  assert.equal(cpuReferenceRound(), cpuReferenceRound());
});

test('the CPU reference reports the median round in whole milliseconds, and what it ran', () => {
  const r = cpuReference(3);
  assert.equal(r.rounds, 3);
  assert.ok(Number.isInteger(r.medianMs) && r.medianMs > 0, `medianMs ${r.medianMs}`);
  assert.match(r.what, /^sort 200,000 .* median of 3 rounds\)$/);
});
