/**
 * The smoke pipeline both backends' smoke tests run: n events into Kafka, a bounded Flink SQL copy
 * job submitted through the SQL Gateway, the copy read by ClickHouse's Kafka engine, every event
 * counted exactly once. Node clients use the client addresses; Flink and ClickHouse the internal one.
 */
import assert from 'node:assert/strict';
import type { Endpoints } from '../../src/stack/backend.ts';
import { clickhouseClient, dropTables, exec, query, waitForCount } from '../../src/stack/clickhouse/client.ts';
import { kafkaEngineTableSql } from '../../src/stack/clickhouse/config.ts';
import { SqlGatewayClient } from '../../src/stack/flink/gateway-client.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { createTopics, kafkaClient, produceLines } from '../../src/stack/kafka/client.ts';

export async function smokeCopy(ep: Endpoints, run: string, n: number): Promise<void> {
  const kafka = kafkaClient(ep.kafka);
  const admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [{ topic: `${run}_in`, partitions: 1 }, { topic: `${run}_out`, partitions: 1 }]);
  await admin.disconnect();
  const events = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ event_id: `e${i}`, user_id: `u${i % 37}`, product_id: `p${i % 10}`, event_type: i % 5 === 0 ? 'click' : 'impression', ts: 1_700_000_000_000 + i * 10 }),
  );
  assert.equal((await produceLines(kafka, `${run}_in`, events)).count, n);

  const ch = clickhouseClient(ep.clickhouseHttp);
  const cols = 'event_id String, user_id String, product_id String, event_type String, ts UInt64';
  await exec(ch, `CREATE TABLE ${run}_events (${cols}) ENGINE = MergeTree() ORDER BY (product_id, ts)`);
  await exec(ch, kafkaEngineTableSql({ table: `${run}_queue`, columns: cols, brokers: ep.internal.kafka, topic: `${run}_out`, group: `${run}_ch` }));
  await exec(ch, `CREATE MATERIALIZED VIEW ${run}_mv TO ${run}_events AS SELECT * FROM ${run}_queue`);

  const session = await new SqlGatewayClient(ep.sqlGateway).openSession({ 'execution.runtime-mode': 'streaming' }, run);
  try {
    const table = (name: string, topic: string, extra: string) =>
      `CREATE TABLE ${name} (event_id STRING, user_id STRING, product_id STRING, event_type STRING, ts BIGINT) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${ep.internal.kafka}', 'format' = 'json'${extra})`;
    await session.execute(table('src', `${run}_in`, ", 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset'"));
    await session.execute(table('dst', `${run}_out`, ''));
    const insert = await session.execute('INSERT INTO dst SELECT * FROM src');
    assert.ok(insert.jobId, 'the INSERT returned a Flink job id');
    assert.equal(await new FlinkRestClient(ep.flinkRest).waitForJob(insert.jobId, { timeoutMs: 120_000 }), 'FINISHED', 'the bounded copy job finished');
  } finally {
    await session.close();
  }
  assert.equal(await waitForCount(ch, `SELECT count() AS n FROM ${run}_events`, n, 60_000), n, 'ClickHouse ingested every event');
  const distinct = await query<{ n: number }>(ch, `SELECT uniqExact(event_id) AS n FROM ${run}_events`);
  assert.equal(Number(distinct[0]?.n), n, 'no event twice, none missing');
  await dropTables(ch, [`${run}_mv`, `${run}_queue`, `${run}_events`]);
  await ch.close();
}
