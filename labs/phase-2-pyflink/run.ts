/**
 * One run of the PyFlink pipeline on the stack, shared by the lab and the UDF-cost benchmark:
 * its names, input, dimension and oracle; creating its topics and tables; producing the
 * dimension; reading the enriched rows back.
 */
import { type DimensionVersion, type EnrichedOracleOutput, type EnrichedResult, runEnrichedOracle } from '../../src/ctr/dimension.ts';
import type { InputLine } from '../../src/ctr/line.ts';
import type { LabContext } from '../../src/lab/contract.ts';
import { createResultsTables } from '../../src/pipeline/clickhouse.ts';
import type { PipelineOutputs } from '../../src/pipeline/collect.ts';
import { ENRICHED_CLICKHOUSE, produceDimension as produceVersions, readEnrichedRows } from '../../src/pipeline/enrich/store.ts';
import { createTrackedTopics, pipelineTopics } from '../../src/pipeline/topics.ts';
import type { Submitted } from './job.ts';
import type { RunNames } from './plan.ts';

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
  await createResultsTables(ctx.endpoints, r.names, { variant: ENRICHED_CLICKHOUSE, track: ctx.track });
}

export async function produceDimension(ctx: RunCtx, r: Run): Promise<void> {
  await produceVersions(ctx.endpoints.kafka, r.names.dimension_topic, r.versions);
}

export function readRows(ctx: Pick<LabContext, 'endpoints'>, r: Run): Promise<EnrichedResult[]> {
  return readEnrichedRows(ctx.endpoints, r.names);
}

