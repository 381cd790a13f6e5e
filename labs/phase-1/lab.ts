/**
 * Phase 1, data quality and event time: the full CTR pipeline in Flink SQL, submitted through
 * the SQL Gateway, with a DLQ for malformed lines, deduplication by event_id, 10 s event-time
 * windows with a 5 s watermark, late events routed to their own topic, and results landing in
 * ClickHouse through its Kafka engine. Every number is checked against the reference oracle
 * (src/ctr/oracle.ts), which never calls Flink. The SQL is this lab's sql/ folder; the steps and
 * checks are the pipeline library's (src/pipeline/), which other labs reuse.
 */
import { defineLab } from '../../src/lab/contract.ts';
import { labLines } from '../../src/lab/dataset.ts';
import { PIPELINE_CHECKS } from '../../src/pipeline/checks.ts';
import { PIPELINE_SQL } from '../../src/pipeline/render.ts';
import { evaluatePipeline, newPipelineRun, type PipelineRun, pipelineReport, pipelineSteps } from '../../src/pipeline/steps.ts';

/** The generated dataset: every kind of mess the pipeline must handle, tricky product ids included. */
const DATASET = { events: 3_000, tricky: true };
const SHORT_EVENTS = 800;

export default defineLab<PipelineRun>({
  id: 'phase-1',
  title: 'Data quality and event time: the CTR pipeline, checked against the oracle',
  lesson: '/docs/phase-1-data-quality/lab',
  summary:
    'Malformed lines to a DLQ with a reason, duplicates dropped and counted, 10 s event-time windows with a 5 s watermark, late events routed aside, CTR per product and window into ClickHouse; every row and count compared with the reference oracle.',
  services: ['kafka', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager', 'sql-gateway'],
  sql: PIPELINE_SQL,
  checks: [...PIPELINE_CHECKS],
  init: (ctx) => newPipelineRun(ctx, 'phase-1', labLines(ctx.options, DATASET, SHORT_EVENTS)),
  steps: pipelineSteps(),
  evaluate: evaluatePipeline,
  report: pipelineReport,
});
