/**
 * One case of the Kafka engine bench: a Kafka table in the given format and block size, a
 * materialized view into a MergeTree table, then bursts of rows (a window's results arrive as one
 * burst) and, per burst, the time until all of its rows are visible, polled every 20 ms.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { kafkaEngineTableSql } from '../../stack/clickhouse/config.ts';
import { createTopicsAt, deleteTopicsAt, kafkaClient } from '../../stack/kafka/client.ts';
import { median } from '../stats.ts';
import type { KafkaEngineCase } from '../../results/kafka-engine-latency.ts';
import type { PrivateServer } from './private-server.ts';

export interface ProbeParams {
  kafka: string;
  /** What the server sees Kafka as (the same on the local backend). */
  format: KafkaEngineCase['format'];
  maxBlockSize: number | null;
  burstRows: number;
  bursts: number;
  everyMs: number;
  say: (text: string) => void;
}

/** One row as the format expects it: (id, sent). */
export function encodeRow(format: KafkaEngineCase['format'], id: number, sent: number): string {
  if (format === 'JSONEachRow') return JSON.stringify({ id, sent });
  return format === 'CSV' ? `${id},${sent}` : `${id}\t${sent}`;
}

/** Durations of the reads that found nothing ("Committing 0 messages" then "Execution took N ms."), from a trace log. */
export function idleReadDurations(log: string): number[] {
  const out: number[] = [];
  let committed: number | undefined;
  for (const line of log.split('\n')) {
    const c = /Committing (\d+) messages/.exec(line);
    if (c) committed = Number(c[1]);
    const e = /StorageKafka .*Execution took (\d+) ms/.exec(line);
    if (e && committed === 0) out.push(Number(e[1]));
    if (e) committed = undefined;
  }
  return out;
}

export async function probe(server: PrivateServer, p: ProbeParams, streamFlushIntervalMs: number): Promise<KafkaEngineCase> {
  const topic = `kafka_engine_bench_${Date.now()}`;
  await createTopicsAt(p.kafka, [{ topic, partitions: 1 }]);
  const producer = kafkaClient(p.kafka).producer();
  try {
    const table = kafkaEngineTableSql({ table: 'k', columns: 'id UInt32, sent UInt64', brokers: p.kafka, topic, group: `${topic}_g`, format: p.format });
    await server.query(p.maxBlockSize === null ? table : `${table},\n  kafka_max_block_size = ${p.maxBlockSize}`);
    await server.query('CREATE TABLE t (id UInt32, sent UInt64) ENGINE = MergeTree ORDER BY id');
    await server.query('CREATE MATERIALIZED VIEW mv TO t AS SELECT id, sent FROM k');
    await producer.connect();
    // The consumer joins its group first: a burst sent before that would measure the join.
    await sleep(6_000);
    // Bursts on a fixed schedule, as windows close every 10 s whatever ClickHouse does: waiting
    // for one burst before sending the next would lock the bursts to the engine's read cycle.
    const visibleMs: number[] = [];
    const start = Date.now();
    for (let b = 1; b <= p.bursts; b++) {
      await sleep(Math.max(0, start + b * p.everyMs - Date.now()));
      const rows = Array.from({ length: p.burstRows }, (_, i) => ({ value: encodeRow(p.format, b * 1000 + i, Date.now()) }));
      await producer.send({ topic, messages: rows });
      const acked = Date.now();
      for (;;) {
        const n = Number((await server.query(`SELECT count() FROM t WHERE intDiv(id, 1000) = ${b}`)).trim());
        if (n >= p.burstRows) break;
        if (Date.now() - acked > p.everyMs - 500) throw new Error(`burst ${b}: ${n} of ${p.burstRows} rows visible after ${(p.everyMs - 500) / 1000} s, when the next burst is due`);
        await sleep(20);
      }
      visibleMs.push(Date.now() - acked);
      p.say(`  burst ${b}: visible after ${((Date.now() - acked) / 1000).toFixed(2)} s`);
    }
    const idle = idleReadDurations(readFileSync(server.logFile, 'utf8'));
    return {
      format: p.format,
      streamFlushIntervalMs,
      maxBlockSize: p.maxBlockSize,
      visibleMs,
      p50Ms: median(visibleMs),
      maxMs: Math.max(...visibleMs),
      idleReadMs: idle.length > 0 ? median(idle) : 0,
    };
  } finally {
    await producer.disconnect();
    await deleteTopicsAt(p.kafka, [topic]).catch(() => undefined);
  }
}
