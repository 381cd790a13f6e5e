/**
 * The stack smoke test (real services, no mocks): stack up in a scratch stack dir;
 * 1,000 JSON events produced with kafkajs; a Flink SQL job submitted through the SQL Gateway
 * copies them to another topic; ClickHouse ingests that topic through its Kafka engine and a
 * materialized view; the count must be exactly 1,000; stack down leaves no process behind.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';
import { clickhouseClient, dropTables, exec, query, waitForCount } from '../../src/stack/clickhouse/client.ts';
import { kafkaEngineTableSql } from '../../src/stack/clickhouse/config.ts';
import { SqlGatewayClient } from '../../src/stack/flink/gateway-client.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';
import { createTopics, kafkaClient, produceLines } from '../../src/stack/kafka/client.ts';
import { repoRoot } from '../../src/stack/paths.ts';
import { isAlive } from '../../src/stack/process.ts';
import { readState } from '../../src/stack/state.ts';

const N = 1_000;
const run = `smoke_${Date.now().toString(36)}`;
const log = (line: string) => process.stdout.write(`# ${line}\n`);
let stack: EnsuredStack;
let scratch = '';

before(async () => {
  // A stack of its own, so the test can prove `down` leaves nothing, whatever the learner runs.
  mkdirSync(join(repoRoot, '.stack'), { recursive: true });
  scratch = mkdtempSync(join(repoRoot, '.stack', 'test-smoke-'));
  process.env.CTR_STACK_DIR = scratch;
  stack = await ensureStack(stackBackend(), { listener: (e) => log(formatStackEvent(e)) });
});

after(async () => {
  await stack?.release();
  delete process.env.CTR_STACK_DIR;
  rmSync(scratch, { recursive: true, force: true });
});

test('1,000 events go Kafka -> Flink SQL (via the SQL Gateway) -> Kafka -> ClickHouse, exactly once each', async () => {
  const { kafka: brokers, sqlGateway, clickhouseHttp, flinkRest } = stack.endpoints;
  const kafka = kafkaClient(brokers);
  const admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [{ topic: `${run}_in`, partitions: 1 }, { topic: `${run}_out`, partitions: 1 }]);
  await admin.disconnect();

  const events = Array.from({ length: N }, (_, i) =>
    JSON.stringify({ event_id: `e${i}`, user_id: `u${i % 37}`, product_id: `p${i % 10}`, event_type: i % 5 === 0 ? 'click' : 'impression', ts: 1_700_000_000_000 + i * 10 }),
  );
  const produced = await produceLines(kafka, `${run}_in`, events);
  assert.equal(produced.count, N);

  const ch = clickhouseClient(clickhouseHttp);
  const cols = 'event_id String, user_id String, product_id String, event_type String, ts UInt64';
  await exec(ch, `CREATE TABLE ${run}_events (${cols}) ENGINE = MergeTree() ORDER BY (product_id, ts)`);
  await exec(ch, kafkaEngineTableSql({ table: `${run}_queue`, columns: cols, brokers, topic: `${run}_out`, group: `${run}_ch` }));
  await exec(ch, `CREATE MATERIALIZED VIEW ${run}_mv TO ${run}_events AS SELECT * FROM ${run}_queue`);

  const session = await new SqlGatewayClient(sqlGateway).openSession({ 'execution.runtime-mode': 'streaming' }, run);
  try {
    const table = (name: string, topic: string, extra: string) =>
      `CREATE TABLE ${name} (event_id STRING, user_id STRING, product_id STRING, event_type STRING, ts BIGINT) WITH ('connector' = 'kafka', 'topic' = '${topic}', 'properties.bootstrap.servers' = '${brokers}', 'format' = 'json'${extra})`;
    await session.execute(table('src', `${run}_in`, ", 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset'"));
    await session.execute(table('dst', `${run}_out`, ''));
    const insert = await session.execute('INSERT INTO dst SELECT * FROM src');
    assert.ok(insert.jobId, 'the INSERT returned a Flink job id');
    const state = await new FlinkRestClient(flinkRest).waitForJob(insert.jobId, { timeoutMs: 120_000 });
    assert.equal(state, 'FINISHED', 'the bounded copy job finished');
  } finally {
    await session.close();
  }

  const count = await waitForCount(ch, `SELECT count() AS n FROM ${run}_events`, N, 60_000);
  assert.equal(count, N, 'ClickHouse ingested every event');
  const distinct = await query<{ n: number }>(ch, `SELECT uniqExact(event_id) AS n FROM ${run}_events`);
  assert.equal(Number(distinct[0]?.n), N, 'no event twice, none missing');
  await dropTables(ch, [`${run}_mv`, `${run}_queue`, `${run}_events`]);
  await ch.close();
});

test('stack down stops every process the stack started', async () => {
  const pids = Object.values(readState().services).map((r) => r.pid);
  assert.equal(pids.length, 5, 'five services were running');
  await stack.release();
  const left = pids.filter((pid) => isAlive(pid));
  assert.deepEqual(left, [], `processes left running: ${left.join(', ')}`);
  assert.deepEqual(readState().services, {}, 'state.json is empty after down');
});
