/**
 * Phase 1's pipeline as a long-running job: read unbounded, checkpointed, with transactional
 * sinks when asked, and restarts. The recovery drills break it on purpose; src/cli/pipeline.ts
 * runs it by hand for the runbooks. Same files as phase 1, other values, plus the settings in
 * labs/phase-1/sql/streaming/ (job and checkpointing) and a ClickHouse log of every row ingested.
 */
import type { Endpoints } from '../stack/backend.ts';
import { type PipelineNames, pipelineNames } from './names.ts';
import { PIPELINE_SQL, type Variant } from './render.ts';

export interface StreamingOptions {
  /** '' (empty) = checkpointing off: the recovery lab's control drill. */
  checkpointInterval: string;
  stateBackend: 'rocksdb' | 'hashmap';
  deliveryGuarantee: 'exactly-once' | 'at-least-once' | 'none';
  checkpointDir: string;
  /** Where RocksDB writes its own LOG files (a directory on local disk). */
  rocksdbLogDir: string;
  parallelism: number;
  restartAttempts: number;
  restartDelay: string;
  txnTimeoutMs: number;
  startupMode: 'earliest-offset' | 'group-offsets';
  autoCommit: boolean;
  /** Partitions of the input topic (2: drill 4 rescales to parallelism 2, one partition per source subtask). */
  partitions: number;
}

/** Phase 1's names, switched to a streaming, checkpointed job. The job is named after the run, so its jobs can be found by run id. */
export function streamingNames(runId: string, ep: Pick<Endpoints, 'internal'>, o: StreamingOptions): PipelineNames {
  return {
    ...pipelineNames(runId, ep, `ctr-phase-3 ${runId}`),
    startup_mode: o.startupMode,
    bounded_mode: 'unbounded',
    auto_commit: String(o.autoCommit),
    delivery_guarantee: o.deliveryGuarantee,
    txn_timeout_ms: String(o.txnTimeoutMs),
    parallelism: String(o.parallelism),
    state_backend: o.stateBackend,
    checkpoint_interval: o.checkpointInterval || '0',
    checkpoint_dir: o.checkpointDir,
    rocksdb_log_dir: o.rocksdbLogDir,
    restart_attempts: String(o.restartAttempts),
    restart_delay: o.restartDelay,
  };
}

/**
 * The streaming rendering: phase 1's statements with the job settings, the checkpointing settings
 * (left out when `checkpointing` is false) and `set` (a savepoint to resume from, `--set` of the
 * CLI) after phase 1's settings; ClickHouse gets the ingest log beside the results table.
 */
export function streamingVariant(checkpointing: boolean, set: readonly string[] = []): Variant {
  return {
    flink: [`${PIPELINE_SQL}streaming/flink`],
    clickhouse: [`${PIPELINE_SQL}streaming/clickhouse`],
    without: checkpointing ? [] : ['05-checkpointing.sql'],
    set,
  };
}
