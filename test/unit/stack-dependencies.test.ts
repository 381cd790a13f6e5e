import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inReverseDependencyOrder, withDependencies } from '../../src/stack/dependencies.ts';
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

/** A stop that records when it began and ended, taking `ms` (a real timer: the order is what is tested). */
function recordingStop(ms: Record<string, number>, failing: string[] = []) {
  const events: string[] = [];
  const stop = async (spec: { name: string }) => {
    events.push(`start ${spec.name}`);
    await new Promise((r) => setTimeout(r, ms[spec.name] ?? 5));
    events.push(`end ${spec.name}`);
    if (failing.includes(spec.name)) throw new Error(`${spec.name} would not stop`);
    return spec.name;
  };
  return { events, stop };
}

test('a stack stops dependents first and everything else side by side', async () => {
  const specs = withDependencies(SERVICES, ['kafka', 'clickhouse', 'flink-taskmanager', 'sql-gateway']).reverse();
  const { events, stop } = recordingStop({ 'sql-gateway': 30, 'flink-taskmanager': 10, 'flink-jobmanager': 5, kafka: 20, clickhouse: 5 });
  const results = await inReverseDependencyOrder(specs, stop);
  assert.deepEqual(results, names(specs));
  const at = (e: string) => events.indexOf(e);
  // The JobManager waits for both of its dependents.
  assert.ok(at('start flink-jobmanager') > at('end sql-gateway'));
  assert.ok(at('start flink-jobmanager') > at('end flink-taskmanager'));
  // Kafka, ClickHouse and the Flink chain's heads start before anything has ended.
  const firstEnd = events.findIndex((e) => e.startsWith('end '));
  for (const s of ['kafka', 'clickhouse', 'sql-gateway', 'flink-taskmanager']) assert.ok(at(`start ${s}`) < firstEnd, `${s} started at once: ${events.join(', ')}`);
});

test('a failed stop does not keep the others from stopping; its error comes back after all settled', async () => {
  const specs = withDependencies(SERVICES, ['kafka', 'flink-taskmanager']).reverse();
  const { events, stop } = recordingStop({}, ['flink-taskmanager']);
  await assert.rejects(inReverseDependencyOrder(specs, stop), /flink-taskmanager would not stop/);
  for (const s of names(specs)) assert.ok(events.includes(`end ${s}`), `${s} stopped: ${events.join(', ')}`);
});
