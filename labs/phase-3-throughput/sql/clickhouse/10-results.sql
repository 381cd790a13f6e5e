-- Phase 1's results store (labs/phase-1/sql/clickhouse/10-results.sql) with one change for
-- latency: kafka_max_block_size = the number of products. A window fires one row per product at
-- once; a block of exactly that size ends as soon as the window's rows are read and the view
-- writes it at once. With the default (65536) a block ends only once the Kafka engine finds no
-- more rows, which on 18.16 took seconds on every window in a side experiment.
-- What remains: a read that the server's stream_flush_interval_ms (500 ms) cuts in the middle of
-- a window leaves the rest of that window waiting in the same way (the lesson shows how often).
CREATE TABLE ${results_table} (
  product_id String,
  window_start UInt64,
  window_end UInt64,
  impressions UInt64,
  clicks UInt64,
  ctr Nullable(Float64)
) ENGINE = ReplacingMergeTree()
ORDER BY (product_id, window_start);

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
  kafka_format = 'JSONEachRow',
  kafka_row_delimiter = '\n',
  kafka_max_block_size = ${kafka_max_block_size};

CREATE MATERIALIZED VIEW ${mv_name} TO ${results_table} AS
SELECT product_id, window_start, window_end, impressions, clicks, ctr
FROM ${queue_table};
