import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBackpressure, parseJobDetails, parseMetricValues } from '../../src/stack/flink/rest-client.ts';
import { backpressureOver, shortName } from '../../labs/phase-3-throughput/sampler.ts';

// Shapes as Flink 1.20's REST API answers (trimmed).
test('backpressure: the worst subtask per figure, and when it was taken', () => {
  const b = parseBackpressure({
    status: 'ok',
    backpressureLevel: 'high',
    'end-timestamp': 1700000000000,
    subtasks: [
      { subtask: 0, backpressureLevel: 'high', ratio: 0.8, idleRatio: 0.1, busyRatio: 0.1 },
      { subtask: 1, backpressureLevel: 'ok', ratio: 0.05, idleRatio: 0.0, busyRatio: 0.95 },
    ],
  });
  assert.deepEqual(b, { level: 'high', ratio: 0.8, busyRatio: 0.95, idleRatio: 0.1, at: 1700000000000 });
  assert.equal(parseBackpressure({ status: 'deprecated' }).level, 'ok');
});

test('job details: vertices with their duration and record counts', () => {
  const j = parseJobDetails({
    jid: 'j1',
    state: 'FINISHED',
    duration: 9000,
    vertices: [{ id: 'v1', name: 'Source: t[1] -> Calc[2]', parallelism: 1, status: 'FINISHED', duration: 4200, metrics: { 'read-records': 0, 'write-records': 1000 } }],
  });
  assert.equal(j.state, 'FINISHED');
  assert.deepEqual(j.vertices[0], { id: 'v1', name: 'Source: t[1] -> Calc[2]', parallelism: 1, status: 'FINISHED', durationMs: 4200, readRecords: 0, writeRecords: 1000 });
});

test('metric values by id', () => {
  assert.deepEqual(parseMetricValues([{ id: 'Status.JVM.Memory.Heap.Used', value: '1048576' }]), { 'Status.JVM.Memory.Heap.Used': 1048576 });
  assert.deepEqual(parseMetricValues({}), {});
});

test('vertex names shrink to their operator kinds', () => {
  assert.equal(shortName('Source: r_src[1] -> Calc[2]'), 'Source → Calc');
  assert.equal(shortName('GlobalWindowAggregate[7] -> Calc[8] -> r_results[9]: Writer'), 'GlobalWindowAggregate → Calc → r_results');
});

test('a step keeps each vertex\'s worst figures, ignoring answers Flink took before the step', () => {
  const at = (t: number, level: 'ok' | 'low' | 'high', busyRatio: number) => ({ level, ratio: level === 'ok' ? 0 : 0.4, busyRatio, idleRatio: 0, at: t });
  const sample = (t: number, b: ReturnType<typeof at>) => ({ t, inputOffsets: 0, lag: 0, cpu: {}, machine: { total: 0, idle: 0 }, backpressure: { Source: b } });
  const out = backpressureOver([sample(1, at(50, 'high', 1)), sample(2, at(100, 'low', 0.3)), sample(3, at(110, 'ok', 0.6))], 100);
  assert.deepEqual(out, { Source: { level: 'low', ratio_max: 0.4, busy_ratio_max: 0.6 } });
});
