-- The baseline: phase 1's source as it is (raw lines, validated in SQL by dlq-reason.sql), except
-- where it reads from. Unbounded, from ${scan_options}; periodic watermarks (one every 200 ms,
-- not one per event), and auto-committed offsets so the consumer group shows the lag.
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
  'scan.watermark.idle-timeout' = '2 s',
  'format' = 'raw',
  'raw.charset' = 'UTF-8'
);
