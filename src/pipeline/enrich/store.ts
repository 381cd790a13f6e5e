/**
 * The enriched pipeline's two Kafka/ClickHouse ends, shared by the labs that enrich (phase 2's
 * PyFlink job, phase 5's SQL job): the product dimension produced to its compacted topic, and the
 * enriched results store in ClickHouse (phase 1's path with the enrichment columns, clickhouse/).
 */
import { fileURLToPath } from 'node:url';
import { type DimensionVersion, type EnrichedResult, versionMessage } from '../../ctr/dimension.ts';
import { renderSql } from '../../lab/sql.ts';
import { clickhouseClient, query } from '../../stack/clickhouse/client.ts';
import type { Endpoints } from '../../stack/backend.ts';
import { kafkaClient, produceLines } from '../../stack/kafka/client.ts';
import type { Variant } from '../render.ts';
import { enrichedRow } from './compare.ts';

const CLICKHOUSE_SQL = fileURLToPath(new URL('./clickhouse/', import.meta.url));

/** The ClickHouse variant whose 10-results.sql takes the place of phase 1's: the enriched store. */
export const ENRICHED_CLICKHOUSE: Variant = { clickhouse: [CLICKHOUSE_SQL] };

/** Every version to the dimension topic, keyed by product_id, in changelog order. */
export async function produceDimension(brokers: string, topic: string, versions: readonly DimensionVersion[]): Promise<void> {
  const messages = versions.map(versionMessage);
  await produceLines(kafkaClient(brokers), topic, messages.map((m) => m.value), { key: (_v, i) => messages[i]?.key as string });
}

/** The enriched rows, read with FINAL (clickhouse/90-read.sql), in its order. */
export async function readEnrichedRows(ep: Pick<Endpoints, 'clickhouseHttp'>, names: Record<string, string>): Promise<EnrichedResult[]> {
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    const sql = renderSql(`${CLICKHOUSE_SQL}90-read.sql`, names).trim().replace(/;$/, '');
    return (await query<Record<string, unknown>>(ch, sql)).map(enrichedRow);
  } finally {
    await ch.close();
  }
}
