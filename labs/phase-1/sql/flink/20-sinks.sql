-- Four append-only JSON sinks, one topic each. Phase 1 writes at-least-once; the recovery drills
-- (phase 3) render this file with 'exactly-once': each checkpoint's output goes out in one Kafka
-- transaction per subtask, committed when the checkpoint completes (read_committed readers see it
-- only then). The transaction prefix and timeout matter only then: the timeout must not exceed the
-- broker's transaction.max.timeout.ms (15 min); the connector's default (1 h) is refused.
-- No 'json.ignore-parse-errors' anywhere: nothing is dropped silently. Every sink writes plain
-- JSON (Jackson): strings escaped as JSON requires, non-ASCII written as UTF-8.

-- Invalid lines: the original line (base64 for not_utf8) and the first failing rule of
-- src/ctr/event.ts. Ingestion writes too_large lines here too, as {payload: a prefix, reason, bytes}.
CREATE TABLE ${dlq_table} (
  payload STRING,
  reason STRING
) WITH (
  'connector' = 'kafka',
  'topic' = '${dlq_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'format' = 'json',
  'sink.delivery-guarantee' = '${delivery_guarantee}',
  'sink.transactional-id-prefix' = '${txn_prefix}-dlq',
  'properties.transaction.timeout.ms' = '${txn_timeout_ms}'
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
  'sink.delivery-guarantee' = '${delivery_guarantee}',
  'sink.transactional-id-prefix' = '${txn_prefix}-dup',
  'properties.transaction.timeout.ms' = '${txn_timeout_ms}'
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
  'sink.delivery-guarantee' = '${delivery_guarantee}',
  'sink.transactional-id-prefix' = '${txn_prefix}-late',
  'properties.transaction.timeout.ms' = '${txn_timeout_ms}'
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
  'sink.delivery-guarantee' = '${delivery_guarantee}',
  'sink.transactional-id-prefix' = '${txn_prefix}-results',
  'properties.transaction.timeout.ms' = '${txn_timeout_ms}'
);
