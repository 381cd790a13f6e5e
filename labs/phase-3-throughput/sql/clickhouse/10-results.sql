-- Phase 1's results store (labs/phase-1/sql/clickhouse/10-results.sql) with one change for
-- latency: kafka_max_block_size = the number of products. A window fires one row per product at
-- once; a block of exactly that size ends as soon as the window's rows are read, instead of after
-- an empty 500 ms poll (ClickHouse 18.16's StorageKafka), and the view writes it at once.
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
