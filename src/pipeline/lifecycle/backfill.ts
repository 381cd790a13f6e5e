/**
 * A backfill that replaces rather than adds (ADR 0088): the events of a time range, from a file,
 * replayed by a fresh bounded job into a staging copy of the results store; a data-quality gate
 * that compares the staging results with the reference oracle run on the same file; and only then
 * a partition swap, `ALTER TABLE serving REPLACE PARTITION p FROM staging`, one whole minute of
 * windows at a time. A window the replay no longer produces disappears with its partition; a
 * window outside the range is never touched. `pipeline.ts backfill-stage|backfill-gate|backfill-publish|backfill-drop`.
 */
import { WINDOW_MS } from '../../ctr/event.ts';
import type { InputLine } from '../../ctr/line.ts';
import { runOracle } from '../../ctr/oracle.ts';
import type { CheckResult } from '../../lab/contract.ts';
import type { Endpoints } from '../../stack/backend.ts';
import { clickhouseClient, exec, query } from '../../stack/clickhouse/client.ts';
import { FlinkRestClient, TERMINAL_JOB_STATES } from '../../stack/flink/rest-client.ts';
import { kafkaClient } from '../../stack/kafka/client.ts';
import { TrackedResources } from '../../stack/resources.ts';
import { pipelineChecks } from '../checks.ts';
import { createResultsTables, resultsTables } from '../clickhouse.ts';
import { collectOutputs } from '../collect.ts';
import { runStatements } from '../gateway.ts';
import { ingestLines } from '../ingest.ts';
import { type PipelineNames, pipelineNames } from '../names.ts';
import { flinkStatements, type Variant } from '../render.ts';
import { createTrackedTopics, pipelineTopics } from '../topics.ts';
import { runJobs } from './jobs.ts';

/** The serving table's partition: one minute of window starts (labs/phase-4/sql/clickhouse/10-results.sql). */
export const PARTITION_MS = 60_000;

/** The staging run beside `run`: phase 1's bounded job under its own names. */
export function stagingNames(run: string, ep: Pick<Endpoints, 'internal'>): PipelineNames {
  const id = `${run}_bf`;
  return pipelineNames(id, ep, `ctr-backfill ${id}`);
}

/** The minute partitions [from, to) covers; both ends must be whole minutes. */
export function partitionsOf(fromTs: number, toTs: number): number[] {
  if (!(Number.isInteger(fromTs) && Number.isInteger(toTs)) || fromTs % PARTITION_MS !== 0 || toTs % PARTITION_MS !== 0 || toTs <= fromTs) {
    throw new Error(`a backfill range must be whole minutes, from < to (epoch ms): got ${fromTs}..${toTs}`);
  }
  return Array.from({ length: (toTs - fromTs) / PARTITION_MS }, (_, i) => fromTs / PARTITION_MS + i);
}

/** Removes the staging run's job, topics and tables (before a new stage, and after publishing). */
export async function dropStaging(ep: Endpoints, run: string, variant: Variant): Promise<string[]> {
  const s = stagingNames(run, ep);
  const created = new TrackedResources();
  for (const j of await runJobs(new FlinkRestClient(ep.flinkRest), `${run}_bf`)) if (!TERMINAL_JOB_STATES.has(j.state)) created.job(j.jid);
  for (const t of resultsTables(s, variant)) created.table(t);
  for (const t of pipelineTopics(s)) created.topic(t.topic);
  return created.remove(ep);
}

/** Replays `lines` through a fresh bounded job into the staging store; returns what the job wrote. */
export async function stageBackfill(ep: Endpoints, run: string, lines: readonly InputLine[], variant: Variant, say: (s: string) => void) {
  const s = stagingNames(run, ep);
  const leftovers = await dropStaging(ep, run, variant);
  if (leftovers.length > 0) throw new Error(`could not clear an earlier staging run: ${leftovers.join('; ')}`);
  await createTrackedTopics(ep, pipelineTopics(s));
  const r = await ingestLines(kafkaClient(ep.kafka), s, lines);
  say(`replayed ${r.count} lines into ${s.input_topic}`);
  await createResultsTables(ep, s, { variant });
  const jid = await runStatements(ep, flinkStatements(s, variant), { session: s.prefix });
  say(`bounded job ${jid} submitted`);
  await new FlinkRestClient(ep.flinkRest).waitForJob(jid, { states: ['FINISHED'], timeoutMs: 300_000 });
  const out = await collectOutputs(ep, s);
  say(`staging ${s.results_table}: ${out.rows.length} windows; ${out.dlq.length} DLQ, ${out.duplicates.length} duplicates, ${out.late.length} late`);
  return out;
}

/**
 * The data-quality gate: every check phase 1 makes, the staging run against the oracle on the
 * same lines. Publishing is refused unless all pass.
 */
export async function gateBackfill(ep: Endpoints, run: string, lines: readonly InputLine[]): Promise<CheckResult[]> {
  return pipelineChecks(runOracle(lines), await collectOutputs(ep, stagingNames(run, ep)));
}

/** Swaps each minute partition of [from, to) from staging into the serving table; returns the serving table's windows in the range afterwards. */
export async function publishBackfill(ep: Endpoints, serving: PipelineNames, run: string, fromTs: number, toTs: number, say: (s: string) => void): Promise<number> {
  const s = stagingNames(run, ep);
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    for (const p of partitionsOf(fromTs, toTs)) {
      // REPLACE PARTITION drops the serving table's parts of p and attaches copies of staging's:
      // the minute afterwards holds exactly what the replay produced, nothing from before.
      await exec(ch, `ALTER TABLE ${serving.results_table} REPLACE PARTITION ${p} FROM ${s.results_table}`);
      say(`partition ${p} (${new Date(p * PARTITION_MS).toISOString()}, ${PARTITION_MS / WINDOW_MS} windows per product) replaced from ${s.results_table}`);
    }
    const [row] = await query<{ n: string }>(ch, `SELECT count() AS n FROM ${serving.results_table} FINAL WHERE window_start >= ${fromTs} AND window_start < ${toTs}`);
    return Number(row?.n ?? 0);
  } finally {
    await ch.close();
  }
}
