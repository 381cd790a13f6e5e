-- Session settings for the streaming CTR job of the recovery drills (SET through the SQL Gateway,
-- before any other statement). The same as phase-1's, plus checkpointing (05-checkpointing.sql).
SET 'execution.runtime-mode' = 'streaming';
SET 'parallelism.default' = '${parallelism}';
SET 'table.local-time-zone' = 'UTC';
SET 'table.exec.state.ttl' = '0 ms';
SET 'pipeline.name' = '${pipeline_name}';
-- Restarts (with or without checkpoints): a fixed number of attempts, a fixed pause between them.
SET 'restart-strategy.type' = 'fixed-delay';
SET 'restart-strategy.fixed-delay.attempts' = '${restart_attempts}';
SET 'restart-strategy.fixed-delay.delay' = '${restart_delay}';
