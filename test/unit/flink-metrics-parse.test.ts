import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { formatJobPhases, fullyRunning, jobPhases, parseBackpressure, parseExceptionLines, parseJobDetails, parseMetricValues, processingSpanMs } from '../../src/stack/flink/rest-client.ts';
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

test('job details: vertices with their duration, record counts, finished subtasks and inputs (the plan\'s edges)', () => {
  const j = parseJobDetails({
    jid: 'j1',
    state: 'FINISHED',
    duration: 9000,
    vertices: [
      { id: 'v1', name: 'Source: t[1] -> Calc[2]', parallelism: 1, status: 'FINISHED', duration: 4200, metrics: { 'read-records': 0, 'write-records': 1000 }, tasks: { RUNNING: 0, FINISHED: 1 } },
      { id: 'v2', name: 'GlobalWindowAggregate[4]', parallelism: 2, status: 'RUNNING', duration: 4100, metrics: { 'read-records': 1000, 'write-records': 5 }, tasks: { RUNNING: 1, FINISHED: 1 } },
    ],
    plan: { nodes: [{ id: 'v2', inputs: [{ num: 0, id: 'v1', ship_strategy: 'HASH', exchange: 'pipelined_bounded' }] }, { id: 'v1' }] },
  });
  assert.equal(j.state, 'FINISHED');
  assert.deepEqual(j.vertices[0], { id: 'v1', name: 'Source: t[1] -> Calc[2]', parallelism: 1, status: 'FINISHED', durationMs: 4200, readRecords: 0, writeRecords: 1000, finishedSubtasks: 1, inputs: [] });
  assert.deepEqual(j.vertices[1]?.inputs, [{ id: 'v1', shipStrategy: 'HASH' }]);
  assert.equal(j.vertices[1]?.finishedSubtasks, 1);
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

test('exception history: one line per entry with its time, task and the deepest cause', () => {
  const lines = parseExceptionLines({
    exceptionHistory: {
      entries: [
        {
          exceptionName: 'org.apache.flink.runtime.JobException',
          timestamp: Date.UTC(2026, 10, 25, 12, 0, 1, 250),
          taskName: 'Source: events',
          stacktrace: 'org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat x\nCaused by: a.B: middle\nCaused by: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: gone',
        },
        { exceptionName: 'java.lang.Exception', timestamp: Date.UTC(2026, 10, 25, 12, 0, 2), stacktrace: 'java.lang.Exception: no cause' },
      ],
    },
  });
  assert.deepEqual(lines, [
    '12:00:01.250 org.apache.flink.runtime.JobException @ Source: events: Caused by: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: gone',
    '12:00:02.000 java.lang.Exception @ -: java.lang.Exception: no cause',
  ]);
  assert.deepEqual(parseExceptionLines({ 'root-exception': null }), [], 'no history, no lines');
});

test('fully running: the job RUNNING is not enough, every vertex must run', () => {
  const v = (status: string) => ({ id: 'v', name: 'n', parallelism: 1, status, durationMs: 0, readRecords: 0, writeRecords: 0, finishedSubtasks: 0, inputs: [] });
  assert.equal(fullyRunning({ state: 'RUNNING', vertices: [v('RUNNING'), v('RUNNING')] }), true);
  assert.equal(fullyRunning({ state: 'RUNNING', vertices: [v('RUNNING'), v('SCHEDULED')] }), false, 'a task waits for a slot');
  assert.equal(fullyRunning({ state: 'RUNNING', vertices: [] }), false);
  assert.equal(fullyRunning({ state: 'RESTARTING', vertices: [v('RUNNING')] }), false);
});

describe('processingSpanMs', () => {
  const vertex = (...subtasks: [running: number, finished: number][]) => ({
    subtasks: subtasks.map(([RUNNING, FINISHED], subtask) => ({ subtask, timestamps: { CREATED: 1, DEPLOYING: 2, INITIALIZING: 3, RUNNING, FINISHED } })),
  });

  it('runs from the last subtask to turn RUNNING to the last to finish', () => {
    // The second vertex's Python worker came up 4 s after the source: the span starts there.
    assert.equal(processingSpanMs([vertex([1_000, 9_000]), vertex([5_000, 12_000], [4_000, 11_000])]), 7_000);
  });

  it('is undefined when a subtask never ran or never finished (a failed or running job)', () => {
    assert.equal(processingSpanMs([vertex([1_000, 9_000]), { subtasks: [{ timestamps: { RUNNING: 2_000, FINISHED: 0 } }] }]), undefined);
    assert.equal(processingSpanMs([{ subtasks: [{ timestamps: { RUNNING: 0, FINISHED: 3_000 } }] }]), undefined);
    assert.equal(processingSpanMs([]), undefined);
  });
});

describe('jobPhases', () => {
  const job = (t: Record<string, number>) => ({ jid: 'j', state: 'FINISHED', timestamps: { INITIALIZING: 0, CREATED: 0, RUNNING: 0, FINISHED: 0, ...t } });
  const vertex = (...running: number[]) => ({ subtasks: running.map((RUNNING, subtask) => ({ subtask, timestamps: { RUNNING, FINISHED: 9_999 } })) });

  it('splits a finished job into scheduling, deploying (until its last subtask runs) and processing', () => {
    const p = jobPhases(job({ INITIALIZING: 1_000, CREATED: 1_100, RUNNING: 1_400, FINISHED: 6_000 }), [vertex(2_000, 2_600), vertex(2_200)]);
    assert.deepEqual(p, { schedulingMs: 400, deployingMs: 1_200, processingMs: 3_400 });
    assert.equal(formatJobPhases(p as NonNullable<typeof p>), 'scheduled 0.4 s, tasks deployed and opened 1.2 s, processed 3.4 s');
  });

  it('is undefined for a job that did not finish or a subtask that never ran', () => {
    assert.equal(jobPhases(job({ INITIALIZING: 1_000, RUNNING: 1_400 }), [vertex(2_000)]), undefined);
    assert.equal(jobPhases(job({ INITIALIZING: 1_000, RUNNING: 1_400, FINISHED: 6_000 }), [vertex(2_000, 0)]), undefined);
    assert.equal(jobPhases(job({ INITIALIZING: 1_000, RUNNING: 1_400, FINISHED: 6_000 }), []), undefined);
  });
});
