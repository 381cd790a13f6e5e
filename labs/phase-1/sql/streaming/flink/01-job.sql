-- The streaming job's settings (the recovery drills, src/cli/pipeline.ts), after 00-settings.sql
-- (a later SET wins). Parallelism: 1, except after the recovery drill 4's rescale (2). The input
-- topic has 2 partitions, so at parallelism 2 each source subtask reads one; a subtask without a
-- partition would never emit a watermark and hold every window back (Kafka source readers do not
-- go idle on their own).
SET 'parallelism.default' = '${parallelism}';
-- Restarts, with or without checkpoints: a fixed number of attempts, a fixed pause between them.
-- Enough attempts to outlast a broker restart (each attempt fails fast while it is down).
SET 'restart-strategy.type' = 'fixed-delay';
SET 'restart-strategy.fixed-delay.attempts' = '${restart_attempts}';
SET 'restart-strategy.fixed-delay.delay' = '${restart_delay}';
