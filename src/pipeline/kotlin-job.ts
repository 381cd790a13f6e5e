/**
 * Phase 2's Kotlin job (labs/phase-2/job) as the labs run it: where it lives, its jar, and its
 * program arguments from a run's names, as phase 1's SQL gets its placeholders (names.ts). The
 * phase-2 lab and the phase-2 benchmark both start it through here, as phase 1's SQL files serve
 * every lab through render.ts.
 */
import { join } from 'node:path';
import { repoRoot } from '../stack/paths.ts';
import { type BuiltJob, buildJob } from './jvm-job.ts';
import type { PipelineNames } from './names.ts';

export const KOTLIN_JOB_DIR = join(repoRoot, 'labs', 'phase-2', 'job');
export const KOTLIN_JOB_JAR = 'ctr-phase2-job.jar';

/** Builds the job (cached under .stack/builds/phase-2-job), with an overlay folder's files in place of its own. */
export function buildKotlinJob(overlayDir?: string): Promise<BuiltJob> {
  return buildJob(KOTLIN_JOB_DIR, KOTLIN_JOB_JAR, { name: 'phase-2-job', ...(overlayDir ? { overlayDir } : {}) });
}

export interface KotlinJobOptions {
  checkpointDir: string;
  checkpointMs?: number;
  delivery?: 'exactly-once' | 'at-least-once';
  watermarks?: 'on-event' | 'periodic';
  bounded?: boolean;
}

/** The job's program arguments (JobArgs.kt): the run's topics and names, and phase 2's guarantees. */
export function kotlinJobArgs(v: PipelineNames, o: KotlinJobOptions): string[] {
  const args: Record<string, string> = {
    'bootstrap-servers': v.bootstrap_servers,
    'input-topic': v.input_topic,
    'dlq-topic': v.dlq_topic,
    'duplicates-topic': v.duplicates_topic,
    'late-topic': v.late_topic,
    'results-topic': v.results_topic,
    group: v.consumer_group,
    name: v.pipeline_name,
    'txn-prefix': v.txn_prefix ?? v.consumer_group,
    'checkpoint-dir': o.checkpointDir,
    'checkpoint-ms': String(o.checkpointMs ?? 5_000),
    delivery: o.delivery ?? 'exactly-once',
    watermarks: o.watermarks ?? 'on-event',
    bounded: String(o.bounded ?? true),
  };
  return Object.entries(args).flatMap(([k, val]) => [`--${k}`, val]);
}
