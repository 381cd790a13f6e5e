/**
 * ClickHouse helpers for labs and the stack, over HTTP with @clickhouse/client (1.x works
 * against Debian's 18.16: SELECT, INSERT JSONEachRow, DDL, Nullable, FINAL).
 *
 * 64-bit integers come back as JSON numbers (output_format_json_quote_64bit_integers=0):
 * the pipeline's epoch-ms timestamps and counts are far below 2^53.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { httpGet } from '../health.ts';

export type { ClickHouseClient };

/** `quiet`: no client log lines on failed requests, for pollers that expect ClickHouse to be down (a failure drill). */
export function clickhouseClient(url: string, opts: { quiet?: boolean } = {}): ClickHouseClient {
  return createClient({
    url,
    request_timeout: 60_000,
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    ...(opts.quiet ? { log: { level: ClickHouseLogLevel.OFF } } : {}),
  });
}

/** Rows of a SELECT, parsed from JSONEachRow. */
export async function query<T = Record<string, unknown>>(client: ClickHouseClient, sql: string): Promise<T[]> {
  const rs = await client.query({ query: sql, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** DDL or any statement without a result set. */
export async function exec(client: ClickHouseClient, sql: string): Promise<void> {
  await client.command({ query: sql, clickhouse_settings: { wait_end_of_query: 1 } });
}

/**
 * Polls `sql` (a SELECT returning one row with a numeric column `n`) until n >= expected or
 * the timeout passes; returns the last n. For Kafka engine ingestion, which lands rows
 * ~2.5 s after the produce on 18.16 with this stack's config.
 */
export async function waitForCount(client: ClickHouseClient, sql: string, expected: number, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = 0;
  for (;;) {
    const rows = await query<{ n: number | string }>(client, sql);
    n = Number(rows[0]?.n ?? 0);
    if (n >= expected || Date.now() >= deadline) return n;
    await sleep(200);
  }
}

/** GET /ping answers "Ok." (health probe; plain fetch, no client needed). */
export async function ping(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const res = await httpGet(`${url}/ping`, timeoutMs);
    return res.ok && (await res.text()).trim() === 'Ok.';
  } catch {
    return false;
  }
}

/** `SELECT version()` over plain HTTP. */
export async function serverVersion(url: string, timeoutMs = 5_000): Promise<string> {
  const res = await httpGet(`${url}/?query=${encodeURIComponent('SELECT version()')}`, timeoutMs);
  if (!res.ok) throw new Error(`SELECT version() failed: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  return (await res.text()).trim();
}

/**
 * DROP TABLE IF EXISTS, in the order given (materialized view first, then its Kafka table).
 * Labs should drop their Kafka engine tables when done: on 18.16 each one keeps a librdkafka
 * consumer and a background-schedule-pool thread (16 by default) busy for good.
 */
export async function dropTables(client: ClickHouseClient, tables: readonly string[]): Promise<void> {
  for (const t of tables) await exec(client, `DROP TABLE IF EXISTS ${t}`);
}
