/**
 * One run of the PyFlink pipeline on the stack, shared by the lab and the UDF-cost benchmark:
 * its names, input, dimension and oracle; creating its topics and tables; producing the
 * dimension; reading the enriched rows back.
 */
import { type DimensionVersion, type EnrichedOracleOutput, type EnrichedResult, runEnrichedOracle, versionMessage } from '../../src/ctr/dimension.ts';
import type { InputLine } from '../../src/ctr/line.ts';
import type { LabContext } from '../../src/lab/contract.ts';
import { renderSql } from '../../src/lab/sql.ts';
import { createResultsTables } from '../../src/pipeline/clickhouse.ts';
import type { PipelineOutputs } from '../../src/pipeline/collect.ts';
import type { Variant } from '../../src/pipeline/render.ts';
import { createTrackedTopics, pipelineTopics } from '../../src/pipeline/topics.ts';
import { clickhouseClient, query } from '../../src/stack/clickhouse/client.ts';
import { kafkaClient, produceLines } from '../../src/stack/kafka/client.ts';
import { enrichedRow } from './checks.ts';
import type { Submitted } from './job.ts';
import type { RunNames } from './plan.ts';

export const CLICKHOUSE_SQL = new URL('./sql/clickhouse/', import.meta.url);
const VARIANT: Variant = { clickhouse: [CLICKHOUSE_SQL.pathname] };

export type RunCtx = Pick<LabContext, 'endpoints' | 'track'>;

export interface Run {
  names: RunNames;
  lines: InputLine[];
  versions: DimensionVersion[];
  oracle: EnrichedOracleOutput;
  submitted?: Submitted;
  out?: PipelineOutputs;
  rows?: EnrichedResult[];
}

export function newRun(names: RunNames, lines: InputLine[], versions: DimensionVersion[]): Run {
  return { names, lines, versions, oracle: runEnrichedOracle(lines, versions) };
}

export async function createAll(ctx: RunCtx, r: Run): Promise<void> {
  await createTrackedTopics(ctx.endpoints, [...pipelineTopics(r.names), { topic: r.names.dimension_topic, partitions: 1, configs: { 'cleanup.policy': 'compact' } }], ctx.track);
  await createResultsTables(ctx.endpoints, r.names, { variant: VARIANT, track: ctx.track });
}

export async function produceDimension(ctx: RunCtx, r: Run): Promise<void> {
  const messages = r.versions.map(versionMessage);
  await produceLines(kafkaClient(ctx.endpoints.kafka), r.names.dimension_topic, messages.map((m) => m.value), { key: (_v, i) => messages[i]?.key as string });
}

export async function readRows(ctx: Pick<LabContext, 'endpoints'>, r: Run): Promise<EnrichedResult[]> {
  const ch = clickhouseClient(ctx.endpoints.clickhouseHttp);
  try {
    const sql = renderSql(new URL('90-read.sql', CLICKHOUSE_SQL), r.names).trim().replace(/;$/, '');
    return (await query<Record<string, unknown>>(ch, sql)).map(enrichedRow);
  } finally {
    await ch.close();
  }
}

