-- Four append-only JSON sinks, one topic each. No 'json.ignore-parse-errors' anywhere: nothing is
-- dropped silently. Every sink writes plain JSON (Jackson): strings escaped as JSON requires,
-- non-ASCII written as UTF-8.

-- Invalid lines: the original line and the first failing rule of src/ctr/event.ts.
CREATE TABLE ${dlq_table} (
  payload STRING,
  reason STRING
) WITH (
  'connector' = 'kafka',
  'topic' = '${dlq_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'format' = 'json',
  'sink.delivery-guarantee' = 'at-least-once'
);

-- Valid lines whose event_id was seen before (occurrence >= 2); the count of this topic is the
-- lab's "duplicates".
CREATE TABLE ${duplicates_table} (
  event_id STRING,
  user_id STRING,
  product_id STRING,
  event_type STRING,
  ts BIGINT,
  occurrence BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = '${duplicates_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'format' = 'json',
  'sink.delivery-guarantee' = 'at-least-once'
);

-- First occurrences whose window had already closed when they arrived (not aggregated).
CREATE TABLE ${late_table} (
  event_id STRING,
  user_id STRING,
  product_id STRING,
  event_type STRING,
  ts BIGINT,
  campaign_id STRING,
  window_start BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = '${late_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'format' = 'json',
  'sink.delivery-guarantee' = 'at-least-once'
);

-- One row per (product_id, window): what ClickHouse ingests. Epoch ms, ctr NULL when impressions = 0.
CREATE TABLE ${results_table} (
  product_id STRING,
  window_start BIGINT,
  window_end BIGINT,
  impressions BIGINT,
  clicks BIGINT,
  ctr DOUBLE
) WITH (
  'connector' = 'kafka',
  'topic' = '${results_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'format' = 'json',
  'sink.delivery-guarantee' = 'at-least-once'
);
