/**
 * What ClickHouse 18.16 can tell (ADR 0073). It predates the built-in Prometheus endpoint
 * (20.1), so its system tables are read over HTTP: system.events (counters since start),
 * system.metrics (gauges now), and per pipeline run the newest window and the row count of its
 * results table (the freshness objective).
 */
import { type ClickHouseClient, query } from '../../stack/clickhouse/client.ts';
import { resultsTableRun } from './runs.ts';

export interface ClickhouseSnapshot {
  events: { event: string; value: number }[];
  metrics: { metric: string; value: number }[];
  results: { run: string; newestWindowEndMs: number; rows: number }[];
}

/** The system.events counters the dashboards use; the rest of the ~100 would be noise in a lab. */
const EVENTS = ['Query', 'SelectQuery', 'InsertQuery', 'InsertedRows', 'InsertedBytes', 'MergedRows', 'FailedQuery', 'FailedInsertQuery'];
const METRICS = ['Query', 'Merge', 'BackgroundPoolTask', 'MemoryTracking', 'TCPConnection', 'HTTPConnection'];

const list = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

export async function clickhouseSnapshot(client: ClickHouseClient): Promise<ClickhouseSnapshot> {
  const [events, metrics, tables] = await Promise.all([
    query<{ event: string; value: number }>(client, `SELECT event, value FROM system.events WHERE event IN (${list(EVENTS)})`),
    query<{ metric: string; value: number }>(client, `SELECT metric, value FROM system.metrics WHERE metric IN (${list(METRICS)})`),
    query<{ database: string; name: string }>(client, "SELECT database, name FROM system.tables WHERE engine LIKE '%MergeTree' AND name LIKE '%\\\\_results'"),
  ]);
  const results = (
    await Promise.all(
      tables.map(async ({ database, name }) => {
        const run = resultsTableRun(name);
        if (!run) return [];
        try {
          const [row] = await query<{ newest: number; rows: number }>(client, `SELECT max(window_end) AS newest, count() AS rows FROM \`${database}\`.\`${name}\``);
          return row && row.rows > 0 ? [{ run, newestWindowEndMs: Number(row.newest), rows: Number(row.rows) }] : [];
        } catch {
          return []; // dropped since the listing, or not a results table after all
        }
      }),
    )
  ).flat();
  return { events: events.map((e) => ({ event: e.event, value: Number(e.value) })), metrics: metrics.map((m) => ({ metric: m.metric, value: Number(m.value) })), results };
}
