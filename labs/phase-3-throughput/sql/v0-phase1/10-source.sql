-- The baseline: phase 1's source as it is (raw lines, validated in SQL by dlq-reason.sql), except
-- where it reads: unbounded from a point in time (the rate steps) or a fixed slice of offsets (the
-- drain), as lab.ts fills in the scan options; periodic watermarks (one every 200 ms, not one per
-- event), and auto-committed offsets so the consumer group shows the lag. No idle timeout: the
-- generator writes to every partition all the time, and under backpressure a split the reader
-- has not polled for a while would be declared idle, the watermark would move on without it,
-- and its events would arrive late (measured: thousands of late events in a baseline run).
-- The views, sinks and statement set are phase 1's files, read by path (lab.ts).
CREATE TABLE ${source_table} (
  line STRING,
  dlq_reason AS ${dlq_reason},
  rt AS CASE WHEN (${dlq_reason}) IS NULL THEN TO_TIMESTAMP_LTZ(CAST(JSON_VALUE(line, '$.ts') AS BIGINT), 3) END,
  WATERMARK FOR rt AS rt - INTERVAL '5.001' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = '${input_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'properties.group.id' = '${consumer_group}',
  ${scan_options}
  ${source_properties}
  'scan.watermark.emit.strategy' = 'on-periodic',
  'format' = 'raw',
  'raw.charset' = 'UTF-8'
);
