/**
 * The streaming CTR pipeline the recovery drills break: phase-1's SQL (validation, dedup, windows,
 * late routing) with an unbounded source, checkpointing and transactional sinks, plus the tools a
 * drill needs around it: a steady-rate producer, observers of the results topic (read_committed and
 * read_uncommitted), and the final read. Flink's REST API is src/stack/flink/rest-client.ts.
 *
 * Shared by lab.ts, src/cli/pipeline.ts (hand runs, the runbooks) and the runbook tests. Everything here talks to the stack through
 * its endpoints only.
 */
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Partitioners, type Kafka } from 'kafkajs';
import type { CtrResult } from '../../../src/ctr/event.ts';
import { WATERMARK_DELAY_MS, WINDOW_MS } from '../../../src/ctr/event.ts';
import { runOracle } from '../../../src/ctr/oracle.ts';
import { loadSqlDir } from '../../../src/lab/sql.ts';
import { clickhouseClient, exec, query } from '../../../src/stack/clickhouse/client.ts';
import { SqlGatewayClient } from '../../../src/stack/flink/gateway-client.ts';
import { pipelineNames, SQL_DIR as PHASE1 } from '../../phase-1/names.ts';
import type { Endpoints } from '../../../src/stack/index.ts';
import { createTopicsAt, deleteTopicsAt } from '../../../src/stack/kafka/client.ts';
import { validateLine } from '../../../src/ctr/validate.ts';

const HERE = fileURLToPath(new URL('../sql/', import.meta.url));

export interface PipelineOptions {
  /** '' (empty) = checkpointing off: the control drill. */
  checkpointInterval: string;
  stateBackend: 'rocksdb' | 'hashmap';
  deliveryGuarantee: 'exactly-once' | 'at-least-once' | 'none';
  checkpointDir: string;
  /** Where RocksDB writes its own LOG files (a directory on local disk). */
  rocksdbLogDir: string;
  parallelism: number;
  restartAttempts: number;
  restartDelay: string;
  txnTimeoutMs: number;
  startupMode: 'earliest-offset' | 'group-offsets';
  autoCommit: boolean;
  /** Partitions of the input topic (2: drill 4 rescales to parallelism 2, one partition per source subtask). */
  partitions: number;
}

/** phase-1's placeholders, switched to a streaming, checkpointed, transactional job. */
export function names(runId: string, ep: Endpoints, o: PipelineOptions): Record<string, string> {
  return {
    ...pipelineNames(runId, ep, `ctr-phase-3 ${runId}`),
    startup_mode: o.startupMode,
    bounded_mode: 'unbounded',
    auto_commit: String(o.autoCommit),
    delivery_guarantee: o.deliveryGuarantee,
    txn_prefix: runId.replace(/_/g, '-'),
    txn_timeout_ms: String(o.txnTimeoutMs),
    parallelism: String(o.parallelism),
    state_backend: o.stateBackend,
    checkpoint_interval: o.checkpointInterval || '0',
    checkpoint_dir: o.checkpointDir,
    rocksdb_log_dir: o.rocksdbLogDir,
    restart_attempts: String(o.restartAttempts),
    restart_delay: o.restartDelay,
  };
}

export function topicsOf(v: Record<string, string>): string[] {
  return [v.input_topic, v.dlq_topic, v.duplicates_topic, v.late_topic, v.results_topic] as string[];
}

/**
 * The statements, in order: phase-1's settings, this lab's job settings and checkpointing (none for
 * the control), `extra` (a savepoint to resume from), then phase-1's source, sinks, views and
 * statement set: the same files phase 1 runs, rendered with the placeholders of names().
 */
export function flinkStatements(v: Record<string, string>, checkpointing: boolean, extra: readonly string[] = []): { file: string; sql: string }[] {
  const phase1 = loadSqlDir(`${PHASE1}flink`, v).map((s) => ({ ...s, file: `phase-1/${s.file}` }));
  const own = loadSqlDir(`${HERE}flink`, v).filter((s) => checkpointing || !s.file.startsWith('05-'));
  const isSettings = (s: { file: string }) => s.file.startsWith('phase-1/00-');
  return [...phase1.filter(isSettings), ...own, ...extra.map((sql) => ({ file: '(resume)', sql })), ...phase1.filter((s) => !isSettings(s))];
}

export async function createTopicsAndTables(ep: Endpoints, v: Record<string, string>, partitions: number): Promise<void> {
  await createTopicsAt(ep.kafka, topicsOf(v).map((topic) => ({ topic, partitions: topic === v.input_topic ? partitions : 1 })));
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    for (const { sql } of loadSqlDir(`${PHASE1}clickhouse`, v).filter((x) => x.file.startsWith('10-'))) await exec(ch, sql);
    for (const { sql } of loadSqlDir(`${HERE}clickhouse`, v).filter((x) => x.file.startsWith('20-'))) await exec(ch, sql);
  } finally {
    await ch.close();
  }
}

/** Submits the job in a fresh gateway session; `extra` runs after the settings (e.g. the savepoint path). */
export async function submit(ep: Endpoints, v: Record<string, string>, checkpointing: boolean, extra: readonly string[] = []): Promise<string> {
  const session = await new SqlGatewayClient(ep.sqlGateway).openSession({}, v.prefix);
  let jobId: string | undefined;
  try {
    for (const { sql } of flinkStatements(v, checkpointing, extra)) {
      const r = await session.execute(sql);
      if (r.jobId) jobId = r.jobId;
    }
  } finally {
    await session.close().catch(() => {});
  }
  if (!jobId) throw new Error('the statement set returned no Flink job id');
  return jobId;
}

export async function dropAll(ep: Endpoints, v: Record<string, string>): Promise<void> {
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    const drops = [...loadSqlDir(`${HERE}clickhouse`, v).filter((x) => x.file.startsWith('98-')), ...loadSqlDir(`${PHASE1}clickhouse`, v).filter((x) => x.file.startsWith('99-'))];
    for (const { sql } of drops) await exec(ch, sql);
  } finally {
    await ch.close();
  }
  await deleteTopicsAt(ep.kafka, topicsOf(v));
}

// ------------------------------------------------------------------ steady producer

export interface ProductionLog {
  /** Lines sent so far (acknowledged). */
  sent: number;
  /** One entry per acknowledged batch: wall time and the count after it. */
  batches: { at: number; sent: number }[];
  done: Promise<void>;
  stop: () => void;
}

/**
 * Sends `lines` at `ratePerSecond`, in batches every `tickMs`, in order (idempotent producer,
 * acks=all, one request in flight), round-robin over `partitions`. A send that fails (broker down) is retried until it
 * succeeds, so nothing is skipped and order is kept.
 */
export function produceSteadily(kafka: Kafka, topic: string, lines: readonly string[], ratePerSecond: number, partitions = 1, tickMs = 100): ProductionLog {
  const log: ProductionLog = { sent: 0, batches: [], done: Promise.resolve(), stop: () => {} };
  let stopped = false;
  log.stop = () => {
    stopped = true;
  };
  const perTick = Math.max(1, Math.round((ratePerSecond * tickMs) / 1000));
  log.done = (async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      const t0 = Date.now();
      let tick = 0;
      while (log.sent < lines.length && !stopped) {
        // Line i goes to partition i % partitions: each partition keeps the input's order.
        const batch = lines.slice(log.sent, log.sent + perTick).map((value, j) => ({ value, partition: (log.sent + j) % partitions }));
        for (;;) {
          try {
            await producer.send({ topic, acks: -1, messages: batch });
            break;
          } catch {
            if (stopped) return;
            await sleep(200);
          }
        }
        log.sent += batch.length;
        log.batches.push({ at: Date.now(), sent: log.sent });
        tick++;
        const wait = t0 + tick * tickMs - Date.now();
        if (wait > 0) await sleep(wait);
      }
    } finally {
      await producer.disconnect().catch(() => {});
    }
  })();
  return log;
}

/**
 * When each window could first close: the wall time of the batch after which the input's max ts
 * (valid lines) reached window_end + 5 s. Keyed by window_start.
 */
export function windowCloseTimes(lines: readonly string[], log: ProductionLog): Map<number, number> {
  const starts = [...new Set(runOracle(lines).results.map((r) => r.window_start))].sort((a, b) => a - b);
  const closeAt = new Map<number, number>();
  let maxTs = -Infinity;
  let bi = 0;
  let p = 0;
  for (let i = 0; i < lines.length; i++) {
    const c = validateLine(lines[i] as string);
    if (c.ok) maxTs = Math.max(maxTs, c.event.ts);
    while (bi < log.batches.length && (log.batches[bi] as { sent: number }).sent < i + 1) bi++;
    const at = log.batches[bi]?.at;
    if (at === undefined) break;
    while (p < starts.length && (starts[p] as number) + WINDOW_MS <= maxTs - WATERMARK_DELAY_MS) closeAt.set(starts[p++] as number, at);
  }
  return closeAt;
}

// ------------------------------------------------------------------ observers

export interface Observer {
  /** window key "product@ws" -> wall time the first message for it was seen. */
  firstSeen: Map<string, number>;
  messages: number;
  stop: () => Promise<void>;
}

/** Follows a topic from the beginning with the given isolation level, noting when each key first shows up. */
export async function observeResults(kafka: Kafka, topic: string, readUncommitted: boolean): Promise<Observer> {
  const consumer = kafka.consumer({ groupId: `obs-${randomUUID()}`, readUncommitted, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const obs: Observer = { firstSeen: new Map(), messages: 0, stop: async () => consumer.disconnect().catch(() => {}) };
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      obs.messages++;
      try {
        const r = JSON.parse(message.value?.toString() ?? '') as { product_id: string; window_start: number };
        const k = `${r.product_id}@${r.window_start}`;
        if (!obs.firstSeen.has(k)) obs.firstSeen.set(k, Date.now());
      } catch {
        /* not a result row */
      }
    },
  });
  return obs;
}

/** Reads a whole topic with the given isolation level until idle. */
export async function readTopic(kafka: Kafka, topic: string, readUncommitted: boolean, idleMs = 3_000, timeoutMs = 60_000): Promise<string[]> {
  const out: string[] = [];
  const consumer = kafka.consumer({ groupId: `read-${randomUUID()}`, readUncommitted, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  let last = Date.now();
  let joined: number | undefined;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = Date.now();
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        out.push(message.value?.toString() ?? '');
        last = Date.now();
      },
    });
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      if (joined !== undefined && Date.now() - Math.max(joined, last) >= idleMs) break;
      await sleep(100);
    }
  } finally {
    await consumer.disconnect().catch(() => {});
  }
  return out;
}

// ------------------------------------------------------------------ ClickHouse

export function rowOf(r: Record<string, unknown>): CtrResult {
  return { product_id: String(r.product_id), window_start: Number(r.window_start), impressions: Number(r.impressions), clicks: Number(r.clicks), ctr: r.ctr === null ? null : Number(r.ctr) };
}

export const byOracleOrder = (a: CtrResult, b: CtrResult) => (a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : a.window_start - b.window_start);

export async function readClickhouse(ep: Endpoints, v: Record<string, string>): Promise<{ final: CtrResult[]; raw: number }> {
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    const readSql = loadSqlDir(`${PHASE1}clickhouse`, v).find((x) => x.file.startsWith('90-'));
    const final = (await query<Record<string, unknown>>(ch, readSql?.sql ?? '')).map(rowOf).sort(byOracleOrder);
    // Every row ingested, repeats included (20-ingest-log.sql): never merged away.
    const raw = Number((await query<{ n: number }>(ch, `SELECT count() AS n FROM ${v.results_table}_ingested`))[0]?.n ?? 0);
    return { final, raw };
  } finally {
    await ch.close();
  }
}

/** Polls ClickHouse until FINAL holds `expected` rows and the raw count stops moving for `quietMs`. */
export async function waitClickhouseSettled(ep: Endpoints, v: Record<string, string>, expected: number, timeoutMs = 90_000, quietMs = 4_000): Promise<{ final: CtrResult[]; raw: number; waitedMs: number }> {
  const t0 = Date.now();
  let lastRaw = -1;
  let lastChange = Date.now();
  for (;;) {
    const r = await readClickhouse(ep, v);
    if (r.raw !== lastRaw) {
      lastRaw = r.raw;
      lastChange = Date.now();
    }
    // Settled: all expected rows and quiet, or quiet for long (a drill that lost windows never gets them).
    const quiet = Date.now() - lastChange;
    if ((r.final.length >= expected && quiet >= quietMs) || quiet >= 15_000 || Date.now() - t0 > timeoutMs) return { ...r, waitedMs: Date.now() - t0 };
    await sleep(500);
  }
}

/** The oracle's windows that are closed after the first `n` lines (end <= max ts - 5 s). */
export function closedWindowsAfter(lines: readonly string[], n: number): CtrResult[] {
  const prefix = lines.slice(0, n);
  const o = runOracle(prefix);
  let maxTs = -Infinity;
  for (const l of prefix) {
    const c = validateLine(l);
    if (c.ok) maxTs = Math.max(maxTs, c.event.ts);
  }
  return o.results.filter((r) => r.window_start + WINDOW_MS <= maxTs - WATERMARK_DELAY_MS);
}
