-- Checkpointing, per job (Flink 1.20 reads these from the job's configuration; the
-- cluster's config.yaml only gives defaults). The recovery lab's control drill skips this file:
-- no checkpoints.
SET 'state.backend.type' = '${state_backend}';
SET 'execution.checkpointing.interval' = '${checkpoint_interval}';
SET 'execution.checkpointing.mode' = 'EXACTLY_ONCE';
SET 'execution.checkpointing.dir' = '${checkpoint_dir}';
SET 'execution.checkpointing.min-pause' = '0 ms';
-- Keep the last checkpoint when the job is cancelled, so a drill can inspect or resume from it.
SET 'execution.checkpointing.externalized-checkpoint-retention' = 'RETAIN_ON_CANCELLATION';
-- RocksDB writes a LOG file per operator and job; keep them out of the services' log folder.
SET 'state.backend.rocksdb.log.dir' = '${rocksdb_log_dir}';
