/**
 * The settings of the hand-run pipeline (src/cli/pipeline.ts), apart from its CLI so runbook
 * tests can name the same topics, tables and folders without running the CLI's main.
 */
import { join } from 'node:path';
import { sqlString } from '../lab/sql.ts';
import type { StreamingOptions } from '../pipeline/streaming.ts';
import type { StackBackend } from '../stack/backend.ts';
import { UsageError } from './output.ts';

/**
 * Where a run keeps its checkpoints and savepoints: a folder the stack's services and this machine
 * share (`internal` for Flink, `host` for the runbooks' commands); locally .stack/shared/pipelines/<run>.
 */
export function runDir(stack: Pick<StackBackend, 'sharedDir'>, run: string): { internal: string; host: string } {
  return stack.sharedDir(join('pipelines', run));
}

/**
 * Checkpoints every 2 s (a runbook sees a failure within seconds), heap state (each checkpoint is
 * complete on its own, no shared incremental files), at-least-once sinks (results visible at once;
 * ClickHouse replaces by key), three restarts 2 s apart: a fault heals or shows as FAILED quickly.
 */
export function pipelineOptions(stack: Pick<StackBackend, 'sharedDir'>, run: string, partitions: number): StreamingOptions {
  const dir = runDir(stack, run).internal;
  return {
    checkpointInterval: '2 s',
    stateBackend: 'hashmap',
    deliveryGuarantee: 'at-least-once',
    checkpointDir: `file://${join(dir, 'checkpoints')}`,
    rocksdbLogDir: join(dir, 'rocksdb-logs'),
    parallelism: 1,
    restartAttempts: 3,
    restartDelay: '2 s',
    txnTimeoutMs: 600_000,
    startupMode: 'earliest-offset',
    autoCommit: false,
    partitions,
  };
}

/**
 * Flink's default (0) restarts the job on the first failed checkpoint; a failing checkpoint store
 * then becomes a restart loop that cannot restore. 30 in a row (a minute at 2 s) keeps the job
 * running while the checkpoints runbook is followed, as a production job would be configured.
 */
export const TOLERATE_FAILED_CHECKPOINTS = "SET 'execution.checkpointing.tolerable-failed-checkpoints' = '30'";

/** `--set key=value` -> a SET statement that runs after the pipeline's own settings, so it wins. */
export function setStatements(pairs: readonly string[]): string[] {
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set needs key=value, e.g. --set parallelism.default=2 (got "${pair}").`);
    return `SET ${sqlString(pair.slice(0, eq).trim())} = ${sqlString(pair.slice(eq + 1).trim())}`;
  });
}

export function runName(run: string | undefined): string {
  if (!run || !/^[a-z][a-z0-9_]{0,39}$/.test(run)) throw new UsageError('Name the run with --run: lowercase letters, digits and _, starting with a letter (e.g. --run demo).');
  return run;
}
