-- The input, as in phase-1 (raw lines, validation in SQL, on-event watermarks), but UNBOUNDED:
-- no 'scan.bounded.mode'. The job runs until the drill stops it with a savepoint and drain
-- (POST /jobs/:id/stop {"drain": true}), which sends MAX_WATERMARK so every open window fires.
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
  -- earliest-offset: a job started without a checkpoint reads the topic from the start. With a
  -- checkpoint (or savepoint) the offsets stored in it win. The control drill (no checkpoints) also
  -- runs with 'group-offsets' + Kafka auto-commit: a restart then resumes where the consumer last
  -- committed, while the window and dedup state are gone.
  'scan.startup.mode' = '${startup_mode}',
  'properties.auto.offset.reset' = 'earliest',
  'properties.enable.auto.commit' = '${auto_commit}',
  'properties.auto.commit.interval.ms' = '1000',
  'scan.watermark.emit.strategy' = 'on-event',
  'format' = 'raw',
  'raw.charset' = 'UTF-8'
);
