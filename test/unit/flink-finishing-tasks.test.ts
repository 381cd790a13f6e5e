/**
 * finishingVertices: which vertices are about to finish, so a stop-with-savepoint waits for them
 * (ADR 0118). The shape is phase 5's job: a bounded input source feeding a deduplication vertex,
 * a dimension source that never ends, and a join of the two.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { finishingVertices } from '../../src/stack/flink/finishing-tasks.ts';
import type { JobVertex } from '../../src/stack/flink/rest-client.ts';

const vertex = (id: string, finished: number, inputs: [string, string][] = [], parallelism = 2): JobVertex => ({
  id,
  name: id,
  parallelism,
  status: finished >= parallelism ? 'FINISHED' : 'RUNNING',
  durationMs: 0,
  readRecords: 0,
  writeRecords: 0,
  finishedSubtasks: finished,
  inputs: inputs.map(([i, shipStrategy]) => ({ id: i, shipStrategy })),
});

const phase5 = (src: number, dedup: number) => [
  vertex('src', src),
  vertex('dedup', dedup, [['src', 'HASH']]),
  vertex('dimension', 0),
  vertex('join', 0, [['dedup', 'HASH'], ['dimension', 'HASH']]),
];

test('the input source has finished and the vertex it feeds has not: that vertex is finishing', () => {
  assert.deepEqual(finishingVertices({ vertices: phase5(2, 0) }), ['dedup']);
  assert.deepEqual(finishingVertices({ vertices: phase5(2, 1) }), ['dedup'], 'one of its two subtasks still closing');
});

test('once it has finished too, nothing is finishing: the join still reads the dimension', () => {
  assert.deepEqual(finishingVertices({ vertices: phase5(2, 2) }), []);
});

test('a running job with every source running has nothing finishing, nor does a vertex with only some inputs ended', () => {
  assert.deepEqual(finishingVertices({ vertices: phase5(0, 0) }), []);
  assert.deepEqual(finishingVertices({ vertices: phase5(1, 0) }), [], 'one source subtask of two ended; a HASH edge waits for both');
});

test('a FORWARD edge: each finished upstream subtask ends its own downstream subtask', () => {
  const v = (down: number) => [vertex('src', 1), vertex('calc', down, [['src', 'FORWARD']])];
  assert.deepEqual(finishingVertices({ vertices: v(0) }), ['calc']);
  assert.deepEqual(finishingVertices({ vertices: v(1) }), []);
});

test('a job without the plan (no inputs known) has nothing finishing: the stop is not held up', () => {
  assert.deepEqual(finishingVertices({ vertices: [vertex('a', 2), vertex('b', 0)] }), []);
});
