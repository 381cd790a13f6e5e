import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortfallMessage } from '../../src/pipeline/ingest-shortfall.ts';

test('a ClickHouse shortfall names the counts, the table, the group and the server state, then the runbook', () => {
  const names = { results_table: 'r1_results', results_topic: 'r1_results_topic', clickhouse_group: 'r1_clickhouse' };
  const m = shortfallMessage(0, 259, 90_000, names, { group: 'Stable with 1 member(s)', lag: '259 record(s) not committed', server: '3 Kafka table(s), schedule pool 16 of 16 threads busy' });
  assert.match(m, /^ClickHouse ingested 0 of 259 results records into r1_results within 90 s /);
  assert.match(m, /consumer group r1_clickhouse: Stable with 1 member\(s\), 259 record\(s\) not committed; server: 3 Kafka table\(s\), schedule pool 16 of 16 threads busy/);
  assert.match(m, /see the runbook \/runbooks\/no-results-in-clickhouse$/);
});
