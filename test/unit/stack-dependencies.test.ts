import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withDependencies } from '../../src/stack/dependencies.ts';
import { SERVICES } from '../../src/stack/registry.ts';

const names = (specs: readonly { name: string }[]) => specs.map((s) => s.name);

test('a lab that declares some services gets those and what they depend on, in start order', () => {
  assert.deepEqual(names(withDependencies(SERVICES, ['sql-gateway'])), ['flink-jobmanager', 'sql-gateway']);
  assert.deepEqual(names(withDependencies(SERVICES, ['flink-taskmanager', 'kafka'])), ['kafka', 'flink-jobmanager', 'flink-taskmanager']);
  assert.deepEqual(names(withDependencies(SERVICES, ['clickhouse'])), ['clickhouse']);
});

test('no services named means all of them; an unknown one is an error', () => {
  assert.deepEqual(names(withDependencies(SERVICES)), names(SERVICES));
  assert.throws(() => withDependencies(SERVICES, ['zookeeper' as never]), /unknown service zookeeper/);
});
