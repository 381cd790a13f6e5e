/**
 * A malformed message on a Kafka engine table's topic costs its own row, not the table (ADR 0123).
 * On ClickHouse 18.16 a row that does not parse fails the whole block; the table reads the same
 * block again, fails again, and ingests nothing more (reproduced: 0 rows in 30 s). The stack's
 * profile lets a read skip malformed rows (input_format_allow_errors_num), so the rows around it land.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';
import { kafkaEngineTableSql } from '../../src/stack/clickhouse/config.ts';
import { clickhouseClient, waitForCount } from '../../src/stack/clickhouse/client.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';
import { createTopicsAt, deleteTopicsAt, kafkaClient } from '../../src/stack/kafka/client.ts';

const id = `malformed_${Date.now().toString(36)}`;
const log = (line: string) => process.stdout.write(`# ${line}\n`);
let stack: EnsuredStack;

before(async () => {
  stack = await ensureStack(stackBackend(), { listener: (e) => log(formatStackEvent(e)) });
});

after(async () => {
  const ch = clickhouseClient(stack.endpoints.clickhouseHttp);
  try {
    for (const t of [`${id}_mv`, `${id}_queue`, `${id}_rows`]) await ch.command({ query: `DROP TABLE IF EXISTS ${t}` });
  } finally {
    await ch.close();
  }
  await deleteTopicsAt(stack.endpoints.kafka, [id]);
  await stack?.release();
});

test('a malformed message between good ones: the good rows land in ClickHouse, the bad one alone is skipped', async () => {
  const ch = clickhouseClient(stack.endpoints.clickhouseHttp);
  try {
    await createTopicsAt(stack.endpoints.kafka, [{ topic: id, partitions: 1 }]);
    await ch.command({ query: `CREATE TABLE ${id}_rows (a UInt32) ENGINE = MergeTree ORDER BY a` });
    await ch.command({ query: kafkaEngineTableSql({ table: `${id}_queue`, columns: 'a UInt32', brokers: stack.endpoints.kafka, topic: id, group: `${id}_clickhouse` }) });
    await ch.command({ query: `CREATE MATERIALIZED VIEW ${id}_mv TO ${id}_rows AS SELECT a FROM ${id}_queue` });
    const producer = kafkaClient(stack.endpoints.kafka).producer();
    await producer.connect();
    await producer.send({ topic: id, messages: ['{"a":1}', 'not json', '{"a":2}', '{"a":3}'].map((value) => ({ value })) });
    await producer.disconnect();
    const landed = await waitForCount(ch, `SELECT count() AS n FROM ${id}_rows`, 3, 30_000);
    assert.equal(landed, 3, 'the three good rows landed within 30 s');
    const rows = await ch.query({ query: `SELECT a FROM ${id}_rows ORDER BY a`, format: 'JSONEachRow' });
    assert.deepEqual((await rows.json<{ a: number }>()).map((r) => r.a), [1, 2, 3]);
  } finally {
    await ch.close();
  }
});
