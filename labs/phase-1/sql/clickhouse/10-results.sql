-- The results store: one row per (product_id, window_start). ReplacingMergeTree() keeps the last
-- inserted row per ORDER BY key after merges, so a window re-emitted (a replay, a recovery)
-- replaces its row instead of adding to it. Read with FINAL to see the replaced state before a
-- merge. Epoch-ms UInt64 (18.16 has no DateTime64); ctr NULL when impressions = 0.
CREATE TABLE ${results_table} (
  product_id String,
  window_start UInt64,
  window_end UInt64,
  impressions UInt64,
  clicks UInt64,
  ctr Nullable(Float64)
) ENGINE = ReplacingMergeTree()
ORDER BY (product_id, window_start);

-- The Kafka engine table: a consumer of the results topic (Flink writes one JSON object per
-- message). Reading it directly consumes; the materialized view below is its only reader.
CREATE TABLE ${queue_table} (
  product_id String,
  window_start UInt64,
  window_end UInt64,
  impressions UInt64,
  clicks UInt64,
  ctr Nullable(Float64)
) ENGINE = Kafka SETTINGS
  kafka_broker_list = '${bootstrap_servers}',
  kafka_topic_list = '${results_topic}',
  kafka_group_name = '${clickhouse_group}',
  ${kafka_settings}
  kafka_format = 'JSONEachRow',
  kafka_row_delimiter = '\n';

-- Moves every block the Kafka table reads into the results table.
CREATE MATERIALIZED VIEW ${mv_name} TO ${results_table} AS
SELECT product_id, window_start, window_end, impressions, clicks, ctr
FROM ${queue_table};
