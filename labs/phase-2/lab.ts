/**
 * Phase 2, code-driven jobs: phase 1's pipeline as a Kotlin DataStream job (job/), built with
 * Maven against the stack's Flink, uploaded and started through Flink's REST API. Same semantics,
 * same checks against the same oracle: validation with a DLQ side output, dedup on event_id in
 * keyed state, 10 s event-time windows with the 5 s watermark, late events on their own side
 * output; exactly-once Kafka sinks and checkpoints every 5 s on RocksDB; ClickHouse as in phase 1.
 * `--job DIR` replaces job files by name (an exercise's start/ or solution/, exercises/).
 */
import { defineLab, type LabStep } from '../../src/lab/contract.ts';
import { labLines } from '../../src/lab/dataset.ts';
import { PIPELINE_CHECKS } from '../../src/pipeline/checks.ts';
import { collectCommittedOutputs } from '../../src/pipeline/collect-committed.ts';
import { deleteJar, runJar, uploadJar } from '../../src/pipeline/jvm-job.ts';
import { buildKotlinJob, KOTLIN_JOB_DIR, kotlinJobArgs } from '../../src/pipeline/kotlin-job.ts';
import { evaluatePipeline, newPipelineRun, type PipelineRun, pipelineReport, pipelineSteps } from '../../src/pipeline/steps.ts';

/** The same dataset as phase 1: every kind of mess, tricky product ids included. */
const DATASET = { events: 3_000, tricky: true };
const SHORT_EVENTS = 800;

interface KotlinRun extends PipelineRun {
  jar?: string;
  jarId?: string;
}

const phase1 = new Map(pipelineSteps<KotlinRun>().map((s) => [s.id, s]));
const step = (id: string): LabStep<KotlinRun> => {
  const s = phase1.get(id);
  if (!s) throw new Error(`the pipeline library has no step ${id}`);
  return s;
};

export default defineLab<KotlinRun>({
  id: 'phase-2',
  title: 'Code-driven jobs: the CTR pipeline as a Kotlin DataStream job, checked against the oracle',
  lesson: '/docs/phase-2-code-driven-jobs/kotlin-lab',
  summary:
    'Phase 1\'s pipeline rewritten in Kotlin with the DataStream API: a DLQ side output with a reason per line, dedup in keyed state, event-time windows with late events on a side output, exactly-once Kafka sinks and checkpoints on RocksDB; every row and count compared with the same oracle as phase 1.',
  services: ['kafka', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager'],
  job: KOTLIN_JOB_DIR,
  checks: [...PIPELINE_CHECKS],
  init: (ctx) => newPipelineRun(ctx, 'phase-2', labLines(ctx.options, DATASET, SHORT_EVENTS)),
  steps: [
    step('create-topics'),
    step('produce'),
    step('clickhouse-tables'),
    {
      id: 'build-job',
      title: 'Build the Kotlin job',
      explain: 'Maven compiles job/ against the stack\'s Flink and Kafka connector versions into one jar (Kotlin\'s standard library inside); the build is cached under .stack/builds and redone only when a source file or the pom changes. With --job DIR, the folder\'s files replace the job\'s files of the same name first.',
      async run(ctx, s) {
        const b = await buildKotlinJob(ctx.options.overlayDir);
        s.jar = b.jar;
        ctx.note(`${b.built ? `built in ${(b.ms / 1000).toFixed(1)} s` : 'unchanged since the last build: reused'}${ctx.options.overlayDir ? `, with the files of ${ctx.options.overlayDir}` : ''}`);
      },
    },
    {
      id: 'submit',
      title: 'Upload the jar and start the job through Flink\'s REST API',
      explain: 'POST /jars/upload, then POST /jars/:id/run with the run\'s topic names: the job reads the input topic from the start to the offsets it finds there, checkpoints every 5 s to RocksDB, and writes its four topics in Kafka transactions.',
      async run(ctx, s) {
        const rest = ctx.endpoints.flinkRest;
        s.jarId = await uploadJar(rest, s.jar as string);
        const checkpoints = `file://${ctx.stack.sharedDir('checkpoints').internal}/${ctx.runId}`;
        s.jobId = await runJar(rest, s.jarId, kotlinJobArgs(s.vars, { checkpointDir: checkpoints }));
        ctx.track.job(s.jobId);
        ctx.note(`job ${s.jobId}`);
      },
    },
    step('run-job'),
    {
      id: 'collect',
      title: 'Collect the outputs',
      explain: 'Read the four topics as a read_committed consumer does (the sinks are transactional), wait until ClickHouse holds one row per committed result, and read it with FINAL.',
      async run(ctx, s) {
        s.out = await collectCommittedOutputs(ctx.endpoints, s.vars);
        ctx.note(`${s.out.rows.length} rows in ClickHouse; ${s.out.dlq.length} DLQ, ${s.out.duplicates.length} duplicates, ${s.out.late.length} late`);
      },
    },
  ],
  evaluate: evaluatePipeline,
  report: pipelineReport,
  async cleanup(ctx, s) {
    if (s.jarId) await deleteJar(ctx.endpoints.flinkRest, s.jarId);
  },
});
