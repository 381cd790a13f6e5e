/**
 * What a drill reads at its end: ClickHouse FINAL (the pipeline library's read) and the ingest log
 * (labs/phase-1/sql/streaming/clickhouse/20-ingest-log.sql: every row ingested, repeats included),
 * once ClickHouse has settled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CtrResult } from '../../../src/ctr/event.ts';
import { readResults } from '../../../src/pipeline/clickhouse.ts';
import type { PipelineNames } from '../../../src/pipeline/names.ts';
import type { Endpoints } from '../../../src/stack/backend.ts';
import { clickhouseClient, query } from '../../../src/stack/clickhouse/client.ts';

export async function readClickhouse(ep: Pick<Endpoints, 'clickhouseHttp'>, v: PipelineNames): Promise<{ final: CtrResult[]; raw: number }> {
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    const final = await readResults(ch, v);
    // Every row ingested, repeats included: never merged away.
    const raw = Number((await query<{ n: number }>(ch, `SELECT count() AS n FROM ${v.results_table}_ingested`))[0]?.n ?? 0);
    return { final, raw };
  } finally {
    await ch.close();
  }
}

/** Polls ClickHouse until FINAL holds `expected` rows and the raw count stops moving for `quietMs`. */
export async function waitClickhouseSettled(ep: Pick<Endpoints, 'clickhouseHttp'>, v: PipelineNames, expected: number, timeoutMs = 90_000, quietMs = 4_000): Promise<{ final: CtrResult[]; raw: number; waitedMs: number }> {
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
