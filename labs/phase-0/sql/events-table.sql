-- The events topic as a table. JSON with a fixed schema; a bounded read (from the earliest
-- offset up to the latest one at start) so the query ends and its final counts can be checked.
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
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json'
);
