/**
 * Phase 1's steps as a lab runs them: topics, input, ClickHouse tables, the job through the SQL
 * Gateway, a bounded read to the end, the outputs collected. A lab with phase 1's semantics lists
 * these (the lesson page renders the same list) and checks with checks.ts.
 */
import { type OracleOutput, runOracle } from '../ctr/oracle.ts';
import type { CheckResult, LabContext, LabStep } from '../lab/contract.ts';
import { FlinkRestClient, formatJobPhases } from '../stack/flink/rest-client.ts';
import type { InputLine } from '../ctr/line.ts';
import { kafkaClient } from '../stack/kafka/client.ts';
import { pipelineChecks, pipelineCounts } from './checks.ts';
import { createResultsTables } from './clickhouse.ts';
import { collectOutputs, type PipelineOutputs } from './collect.ts';
import { emptySubmitProfile, formatSubmitProfile, runStatements } from './gateway.ts';
import { ingestLines } from './ingest.ts';
import { type PipelineNames, pipelineNames } from './names.ts';
import { flinkStatements, type Variant } from './render.ts';
import { createTrackedTopics, pipelineTopics } from './topics.ts';

/** What the steps share: the input, what the oracle says of it, the run's names, and what the run produced. */
export interface PipelineRun {
  lines: InputLine[];
  oracle: OracleOutput;
  vars: PipelineNames;
  variant: Variant;
  jobId?: string;
  out?: PipelineOutputs;
}

/** A fresh run of `lines` under the lab's run id; the Flink job is named `<labId> <runId>`. */
export function newPipelineRun(ctx: Pick<LabContext, 'runId' | 'endpoints'> & Partial<Pick<LabContext, 'options'>>, labId: string, lines: InputLine[], variant: Variant = {}): PipelineRun {
  return { lines, oracle: runOracle(lines, ctx.options?.oracle), vars: pipelineNames(ctx.runId, ctx.endpoints, `ctr-${labId} ${ctx.runId}`), variant };
}

/** The report data of a run: counts from what the pipeline wrote, the ClickHouse rows. */
export function pipelineReport(s: PipelineRun) {
  return { counts: pipelineCounts(s.lines.length, s.out), results: s.out?.rows ?? [] };
}

/** The checks of a run whose steps all ran (the runner evaluates only then). */
export async function evaluatePipeline(_ctx: unknown, s: PipelineRun): Promise<CheckResult[]> {
  if (!s.out) throw new Error('the collect step did not run');
  return pipelineChecks(s.oracle, s.out);
}

/** How long the bounded job may take to read to the end. */
const JOB_TIMEOUT_MS = 300_000;

export function pipelineSteps<S extends PipelineRun>(): LabStep<S>[] {
  return [
    {
      id: 'create-topics',
      title: 'Create the topics',
      explain: 'Input, DLQ, duplicates, late events and results: one partition each, so a replay keeps its order and the watermark never waits for an idle partition.',
      async run(ctx, s) {
        const topics = pipelineTopics(s.vars);
        await createTrackedTopics(ctx.endpoints, topics, ctx.track);
        ctx.note(topics.map((t) => t.topic).join(', '));
      },
    },
    {
      id: 'produce',
      title: 'Produce the input lines',
      explain: 'Every line goes to Kafka as is, as bytes, valid or not, in order; a line longer than the pipeline accepts (too_large) goes to the DLQ topic with its length and a prefix instead, since Kafka will not carry it. The input is complete before the job starts: the bounded read stops at the offsets it finds at start.',
      async run(ctx, s) {
        const r = await ingestLines(kafkaClient(ctx.endpoints.kafka), s.vars, s.lines);
        const c = s.oracle.counts;
        const tooLarge = r.tooLarge > 0 ? `, ${r.tooLarge} too large for the input topic: DLQ` : '';
        ctx.note(`${r.count} lines in ${(r.ms / 1000).toFixed(1)} s${tooLarge} (the oracle expects ${c.valid} valid, ${c.dlq} DLQ, ${c.duplicates} duplicates, ${c.late} late, ${s.oracle.results.length} windows)`);
      },
    },
    {
      id: 'clickhouse-tables',
      title: 'Create the ClickHouse tables',
      explain: 'A ReplacingMergeTree keyed by (product_id, window_start), a Kafka engine table on the results topic, and the materialized view that moves rows from one to the other.',
      async run(ctx, s) {
        await createResultsTables(ctx.endpoints, s.vars, { variant: s.variant, track: ctx.track });
      },
    },
    {
      id: 'submit',
      title: 'Submit the pipeline through the SQL Gateway',
      explain: 'Session settings, the source table that validates each raw line, the sinks, the views, then one statement set: a single Flink job with four outputs.',
      async run(ctx, s) {
        const profile = emptySubmitProfile();
        s.jobId = await runStatements(ctx.endpoints, flinkStatements(s.vars, s.variant), { session: ctx.runId, track: ctx.track, profile });
        ctx.note(`job ${s.jobId}: ${formatSubmitProfile(profile)}`);
      },
    },
    {
      id: 'run-job',
      title: 'Let the job read to the end',
      explain: 'A bounded read: at the end of the input Flink emits a final watermark, every open window fires, and the job finishes.',
      async run(ctx, s) {
        const rest = new FlinkRestClient(ctx.endpoints.flinkRest);
        // Where the step's time went (issue 13's profile of a warm lab): a note, never a failure.
        const phases = await rest.phasesWhenFinished(s.jobId as string, JOB_TIMEOUT_MS);
        if (phases) ctx.note(`the job ${formatJobPhases(phases)}`);
      },
    },
    {
      id: 'collect',
      title: 'Collect the outputs',
      explain: 'Wait until ClickHouse has ingested every results message, read the results with FINAL, and read the DLQ, duplicates and late-events topics.',
      async run(ctx, s) {
        s.out = await collectOutputs(ctx.endpoints, s.vars);
        ctx.note(`${s.out.rows.length} rows in ClickHouse; ${s.out.dlq.length} DLQ, ${s.out.duplicates.length} duplicates, ${s.out.late.length} late`);
      },
    },
  ];
}
