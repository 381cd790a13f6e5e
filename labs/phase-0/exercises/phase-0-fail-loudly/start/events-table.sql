-- The events topic as a table. JSON with a fixed schema, read from the earliest offset. With
-- bounded_mode = latest-offset the read stops at the offsets found at start, so the query ends
-- and its final counts can be checked; with 'unbounded' it runs until cancelled.
CREATE TABLE ${table} (
  event_id   STRING,
  user_id    STRING,
  product_id STRING,
  event_type STRING,
  ts         BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = '${topic}',
  'properties.bootstrap.servers' = '${bootstrap}',
  'properties.group.id' = '${table}',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = '${bounded_mode}',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);
