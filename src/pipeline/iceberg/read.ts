/**
 * The read-back (ADR 0098): a bounded Flink batch query through the SQL Gateway, in a session of its
 * own, over the table's current snapshot, i.e. what the job committed at its checkpoints. Rows come
 * back in the oracle's shape and order, so they compare with runOracle's results as ClickHouse's do.
 */
import { byOracleOrder } from '../../ctr/oracle.ts';
import type { CtrResult } from '../../ctr/event.ts';
import type { Endpoints } from '../../stack/backend.ts';
import { rowsAsObjects, SqlGatewayClient } from '../../stack/flink/gateway-client.ts';
import type { IcebergNames } from './names.ts';
import { icebergDdl, icebergReadStatement } from './statements.ts';
import { explainMissingIceberg } from './errors.ts';

/** One row of the Iceberg table: the oracle's columns plus the enrichment ones (null where not enriched). */
export interface IcebergResultRow extends CtrResult {
  category: string | null;
  advertiser: string | null;
  spend_micros: number | null;
}

const num = (v: unknown): number => Number(v);
const orNull = <T>(v: unknown, f: (x: unknown) => T): T | null => (v === null || v === undefined ? null : f(v));

export async function readIcebergRows(ep: Pick<Endpoints, 'sqlGateway'>, n: IcebergNames, o: { timeoutMs?: number } = {}): Promise<IcebergResultRow[]> {
  const session = await new SqlGatewayClient(ep.sqlGateway).openSession({}, `${n.iceberg_namespace}_iceberg_read`);
  try {
    await session.execute("SET 'execution.runtime-mode' = 'batch'");
    // The catalog only: the namespace and the table exist (the job created them).
    for (const s of icebergDdl(n).slice(0, 1)) await session.execute(s.sql).catch(explainMissingIceberg);
    const result = await session.execute(icebergReadStatement(n), { timeoutMs: o.timeoutMs ?? 120_000 });
    return rowsAsObjects(result)
      .map((r) => ({
        product_id: String(r.product_id),
        window_start: num(r.window_start),
        impressions: num(r.impressions),
        clicks: num(r.clicks),
        ctr: orNull(r.ctr, num),
        category: orNull(r.category, String),
        advertiser: orNull(r.advertiser, String),
        spend_micros: orNull(r.spend_micros, num),
      }))
      .sort(byOracleOrder);
  } finally {
    await session.close().catch(() => {});
  }
}

/** The table's rows as the oracle's CtrResult (the enrichment columns left out), for phase 1's comparison. */
export async function readIcebergResults(ep: Pick<Endpoints, 'sqlGateway'>, n: IcebergNames): Promise<CtrResult[]> {
  return (await readIcebergRows(ep, n)).map(({ product_id, window_start, impressions, clicks, ctr }) => ({ product_id, window_start, impressions, clicks, ctr }));
}
