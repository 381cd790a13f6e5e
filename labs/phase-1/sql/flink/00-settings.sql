-- Session settings for the phase-1 job (SET through the SQL Gateway, before any other statement).
SET 'execution.runtime-mode' = 'streaming';
-- One subtask per operator: with several, an operator takes the MIN of the watermarks of its input
-- channels, and which rows are already "behind" that minimum when they arrive depends on thread
-- timing; at parallelism 1 rows and watermarks travel in one channel, in input order.
SET 'parallelism.default' = '1';
-- Event times are epoch ms (TIMESTAMP_LTZ); UTC makes the 10 s windows align to epoch 0 in every
-- session (a time zone with a non-whole-10-s offset would shift them).
SET 'table.local-time-zone' = 'UTC';
-- Dedup remembers every event_id for the whole run: "an event_id seen before" has no horizon, and
-- a processing-time TTL would make duplicates depend on how fast the job ran. Phase 1: '0 ms' =
-- no TTL (src/pipeline/names.ts); the throughput lab bounds it (ADR 0019).
SET 'table.exec.state.ttl' = '${state_ttl}';
SET 'pipeline.name' = '${pipeline_name}';
