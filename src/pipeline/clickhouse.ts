/**
 * The results store in ClickHouse, from phase 1's clickhouse/ SQL: create it (registering every
 * table and view for removal), read it with FINAL, and turn its rows into the oracle's results.
 */
import type { CtrResult } from '../ctr/event.ts';
import { byOracleOrder } from '../ctr/oracle.ts';
import type { Endpoints } from '../stack/backend.ts';
import { type ClickHouseClient, clickhouseClient, exec, query } from '../stack/clickhouse/client.ts';
import type { ResourceTracker } from '../stack/resources.ts';
import type { PipelineNames } from './names.ts';
import { clickhouseCreateStatements, clickhouseReadStatement, createdNames, type Variant } from './render.ts';

/**
 * The tables and views the results store consists of, in the order they are created: the data
 * table, the Kafka engine table, the materialized view (then a variant's own). Removed in reverse:
 * on 18.16 every Kafka table keeps a consumer and a thread busy until dropped, and a view must go
 * before the tables it reads.
 */
export function resultsTables(v: PipelineNames, variant: Variant = {}): string[] {
  return createdNames(clickhouseCreateStatements(v, variant));
}

/** Creates the results store; each table is tracked before it is created, so a failure half-way leaves nothing behind. */
export async function createResultsTables(ep: Pick<Endpoints, 'clickhouseHttp'>, v: PipelineNames, o: { variant?: Variant; track?: ResourceTracker } = {}): Promise<void> {
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    for (const sql of clickhouseCreateStatements(v, o.variant)) {
      for (const name of createdNames([sql])) o.track?.table(name);
      await exec(ch, sql);
    }
  } finally {
    await ch.close();
  }
}

/** A row as ClickHouse's JSON returns it (UInt64 as a string, Nullable as null) -> a result row. */
export function rowToResult(r: Record<string, unknown>): CtrResult {
  return { product_id: String(r.product_id), window_start: Number(r.window_start), impressions: Number(r.impressions), clicks: Number(r.clicks), ctr: r.ctr === null ? null : Number(r.ctr) };
}

/** The results as phase 1 reads them (clickhouse/90-read.sql: FINAL), in the oracle's order. */
export async function readResults(ch: ClickHouseClient, v: PipelineNames): Promise<CtrResult[]> {
  return (await query<Record<string, unknown>>(ch, clickhouseReadStatement(v))).map(rowToResult).sort(byOracleOrder);
}
