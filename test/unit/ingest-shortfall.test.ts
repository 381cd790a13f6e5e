import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortfallMessage, unreadableMessages } from '../../src/pipeline/ingest-shortfall.ts';

test('a ClickHouse shortfall names the counts, the table, the group and the server state, then the runbook', () => {
  const names = { results_table: 'r1_results', results_topic: 'r1_results_topic', clickhouse_group: 'r1_clickhouse' };
  const m = shortfallMessage(0, 259, 90_000, names, { group: 'Stable with 1 member(s)', lag: '259 record(s) not committed', server: '3 Kafka table(s), schedule pool 16 of 16 threads busy' });
  assert.match(m, /^ClickHouse ingested 0 of 259 results records into r1_results within 90 s /);
  assert.match(m, /consumer group r1_clickhouse: Stable with 1 member\(s\), 259 record\(s\) not committed; server: 3 Kafka table\(s\), schedule pool 16 of 16 threads busy/);
  assert.match(m, /see the runbook \/runbooks\/no-results-in-clickhouse$/);
});

test('the results messages ClickHouse cannot read as a row are listed with partition and offset; good and empty ones are not', () => {
  const m = (offset: number, value: string) => ({ partition: 0, offset: String(offset), value });
  assert.equal(unreadableMessages([m(0, '{"a":1}'), m(1, ''), m(2, ' {"a":2}\n')]), 'none');
  assert.equal(unreadableMessages([m(0, '{"a":1}'), m(1, 'not json'), m(2, '[1]'), m(3, '{"a":2}\n{"a":3}')]), '3 (partition 0 offset 1: "not json"; partition 0 offset 2: "[1]"; partition 0 offset 3: "{\\"a\\":2}\\n{\\"a\\":3}")');
  const many = unreadableMessages([1, 2, 3, 4].map((o) => m(o, 'x')));
  assert.match(many, /^4 \(.*; \.\.\.\)$/);
});

test('a shortfall quotes the unreadable messages when it has read them', () => {
  const names = { results_table: 'r1_results', results_topic: 'r1_results_topic', clickhouse_group: 'r1_clickhouse' };
  const m = shortfallMessage(0, 2, 90_000, names, { group: 'Stable with 1 member(s)', lag: '3 record(s) not committed', server: '1 Kafka table(s)', unreadable: '1 (partition 0 offset 1: "x")' });
  assert.match(m, /; messages it cannot read as a row: 1 \(partition 0 offset 1: "x"\)\): see the runbook/);
});
