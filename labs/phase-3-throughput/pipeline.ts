/**
 * One configuration of the CTR pipeline on the lab's shared input topic: its names, its topics,
 * its ClickHouse tables, and its Flink job, submitted either unbounded from a point in time (the
 * rate steps) or as a bounded drain of a fixed slice of the topic (the tuning sweep and the
 * pass-through reference). Every statement comes from the SQL files under sql/ (and phase 1's).
 */
import { fileURLToPath } from 'node:url';
import { loadSqlDir, splitStatements, renderSql } from '../../src/lab/sql.ts';
import { clickhouseClient, exec } from '../../src/stack/clickhouse/client.ts';
import { SqlGatewayClient } from '../../src/stack/flink/gateway-client.ts';
import type { Endpoints } from '../../src/stack/index.ts';
import { createTopicsAt } from '../../src/stack/kafka/client.ts';
import { pipelineNames, SQL_DIR as PHASE1_SQL } from '../phase-1/names.ts';
import type { PipelineConfig } from './configs.ts';

const SQL = fileURLToPath(new URL('./sql/', import.meta.url));

/** Where the source starts and whether it stops. */
export type SourceRange =
  | { kind: 'from-time'; startMs: number }
  | { kind: 'slice'; from: Map<number, number>; to: Map<number, number> };

export interface Pipeline {
  id: string;
  vars: Record<string, string>;
  /** Topics this pipeline writes (the shared input topic is not among them). */
  topics: string[];
  jobId?: string;
}

const offsetsSpec = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]).map(([p, o]) => `partition:${p},offset:${o}`).join(';');

/** The WITH-clause lines for a source range (the SQL files have a ${scan_options} slot). */
export function scanOptions(r: SourceRange): string {
  const lines: Record<string, string> =
    r.kind === 'from-time'
      ? {
          'scan.startup.mode': 'timestamp',
          'scan.startup.timestamp-millis': String(r.startMs),
          // No checkpoints here, so the group's offsets (what the lab reads as lag) come from
          // the consumer's own auto-commit, once a second.
          'properties.enable.auto.commit': 'true',
          'properties.auto.commit.interval.ms': '1000',
        }
      : {
          'scan.startup.mode': 'specific-offsets',
          'scan.startup.specific-offsets': offsetsSpec(r.from),
          'scan.bounded.mode': 'specific-offsets',
          'scan.bounded.specific-offsets': offsetsSpec(r.to),
        };
  return withLines(lines);
}

function withLines(o: Record<string, string>): string {
  return Object.entries(o)
    .map(([k, v]) => `'${k}' = '${v}',`)
    .join('\n  ');
}

export function newPipeline(id: string, ep: Endpoints, inputTopic: string, products: number): Pipeline {
  const names = pipelineNames(id, ep, `ctr-throughput ${id}`);
  const vars: Record<string, string> = { ...names, input_topic: inputTopic, kafka_max_block_size: String(products) };
  const topics = ['results_topic', 'late_topic', 'dlq_topic', 'duplicates_topic'].map((k) => names[k] as string);
  return { id, vars, topics };
}

/** The statements of a configuration, in order: settings, its SETs, source, sinks, views, the statement set. */
export function flinkStatements(cfg: PipelineConfig, vars: Record<string, string>): string[] {
  const own = loadSqlDir(`${SQL}${cfg.sql}`, vars).map((s) => s.sql);
  const sets = Object.entries(cfg.set).map(([k, v]) => `SET '${k}' = '${v}'`);
  const [settings, ...rest] = splitByFirstNonSet(own);
  const borrowed = cfg.sql === 'v0-phase1' ? ['20-sinks.sql', '30-views.sql', '40-insert.sql'].flatMap((f) => splitStatements(renderSql(`${PHASE1_SQL}flink/${f}`, vars))) : [];
  return [...settings, ...sets, ...rest.flat(), ...borrowed];
}

/** [the leading SET statements, the rest]: the configuration's SETs go in between. */
function splitByFirstNonSet(stmts: string[]): [string[], string[]] {
  const i = stmts.findIndex((s) => !/^SET /i.test(s));
  return i < 0 ? [stmts, []] : [stmts.slice(0, i), stmts.slice(i)];
}

/** Submits one configuration reading `range`; returns the job id. */
export async function submit(ep: Endpoints, p: Pipeline, cfg: PipelineConfig, range: SourceRange): Promise<string> {
  const vars = { ...p.vars, scan_options: scanOptions(range), source_properties: withLines(cfg.source) };
  p.jobId = await runStatements(ep, p.id, flinkStatements(cfg, vars));
  return p.jobId;
}

/** The pass-through reference job (sql/pass-through): read, parse every field, discard. */
export async function submitPassThrough(ep: Endpoints, p: Pipeline, parallelism: number, range: SourceRange): Promise<string> {
  const vars = { ...p.vars, scan_options: scanOptions(range), source_properties: '' };
  const stmts = loadSqlDir(`${SQL}pass-through`, vars).map((s) => s.sql);
  const [settings, rest] = splitByFirstNonSet(stmts);
  p.jobId = await runStatements(ep, p.id, [...settings, `SET 'parallelism.default' = '${parallelism}'`, ...rest]);
  return p.jobId;
}

async function runStatements(ep: Endpoints, name: string, stmts: string[]): Promise<string> {
  const session = await new SqlGatewayClient(ep.sqlGateway).openSession({}, name);
  let jobId: string | undefined;
  try {
    for (const sql of stmts) {
      const r = await session.execute(sql);
      if (r.jobId) jobId = r.jobId;
    }
  } finally {
    await session.close().catch(() => {});
  }
  if (!jobId) throw new Error(`${name}: the statements returned no Flink job id`);
  return jobId;
}

export async function createPipelineTopics(ep: Endpoints, p: Pipeline): Promise<void> {
  await createTopicsAt(ep.kafka, p.topics.map((topic) => ({ topic, partitions: 1 })));
}

/** The results store with the latency-tuned Kafka engine (sql/clickhouse/10-results.sql). */
export async function createClickhouseTables(ep: Endpoints, p: Pipeline): Promise<void> {
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    for (const { sql } of loadSqlDir(`${SQL}clickhouse`, p.vars)) await exec(ch, sql);
  } finally {
    await ch.close();
  }
}

/** Phase 1's drop statements (view, Kafka table, data); harmless when the tables were never made. */
export async function dropClickhouseTables(ep: Endpoints, p: Pipeline): Promise<void> {
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    for (const { sql } of loadSqlDir(`${PHASE1_SQL}clickhouse`, p.vars).filter((x) => x.file.startsWith('99-'))) await exec(ch, sql);
  } finally {
    await ch.close();
  }
}
