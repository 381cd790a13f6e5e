import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envName, startupFlags } from '../../src/stack/jvm-flags.ts';

test('a service is overridden by its own variable, the extra nodes by their first node\'s', () => {
  assert.equal(envName('flink-jobmanager'), 'CTR_JVM_FLAGS_FLINK_JOBMANAGER');
  assert.equal(envName('kafka-3'), 'CTR_JVM_FLAGS_KAFKA');
  assert.equal(envName('flink-taskmanager-2'), 'CTR_JVM_FLAGS_FLINK_TASKMANAGER');
  const env = { CTR_JVM_FLAGS_KAFKA: ' -XX:+UseSerialGC  -XX:-UsePerfData ', CTR_JVM_FLAGS_SQL_GATEWAY: '' };
  assert.deepEqual(startupFlags('kafka-2', env), ['-XX:+UseSerialGC', '-XX:-UsePerfData']);
  assert.deepEqual(startupFlags('sql-gateway', env), [], 'an empty value runs the service with no start-up flags');
});

test('the chosen flags are the measured ones, and only the control plane and the broker run without C2 (ADR 0111)', () => {
  const chosen = (s: string) => startupFlags(s, {});
  for (const s of ['flink-jobmanager', 'sql-gateway', 'kafka', 'kafka-2']) assert.ok(chosen(s).includes('-XX:TieredStopAtLevel=1'), s);
  assert.ok(!chosen('flink-taskmanager').includes('-XX:TieredStopAtLevel=1'), 'the TaskManager runs the jobs: it keeps the optimizing compiler');
  assert.ok(chosen('flink-taskmanager').includes('-XX:-DontCompileHugeMethods'), 'generated code arrives unsplit (ADR 0114): its long methods must be JIT-compiled');
  for (const s of ['flink-jobmanager', 'sql-gateway', 'kafka', 'flink-taskmanager']) assert.ok(chosen(s).every((f) => f.startsWith('-X')), `${s}: every flag is a -X flag, so it keys the class-data archive`);
});
