-- Session settings shared by every configuration of the throughput lab. The configuration's own
-- SETs (configs.ts: parallelism, object reuse, ...) are sent after these, so the lesson and the
-- results file name exactly what changed.
SET 'execution.runtime-mode' = 'streaming';
SET 'table.local-time-zone' = 'UTC';
-- Dedup state must be bounded at tens of thousands of events per second: with no TTL every
-- event_id stays on the 480 MB task heap for good. 10 s of processing time is enough for the
-- generator's duplicates (sent right after their original); ADR 0019 records the trade.
SET 'table.exec.state.ttl' = '10 s';
SET 'pipeline.name' = '${pipeline_name}';
