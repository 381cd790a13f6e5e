-- Phase 1's results store, partitioned by minute of window_start (six 10 s windows a partition),
-- so a backfill can replace whole minutes: ALTER TABLE ... REPLACE PARTITION ... FROM a staging
-- table of the same structure swaps each minute's parts at once, windows that the replay no longer
-- produces included (ADR 0088). Otherwise phase 1's table: ReplacingMergeTree keyed by
-- (product_id, window_start), read with FINAL; epoch-ms UInt64.
CREATE TABLE ${results_table} (
  product_id String,
  window_start UInt64,
  window_end UInt64,
  impressions UInt64,
  clicks UInt64,
  ctr Nullable(Float64)
) ENGINE = ReplacingMergeTree()
PARTITION BY intDiv(window_start, 60000)
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
  ${kafka_settings}
  kafka_format = 'JSONEachRow',
  kafka_row_delimiter = '\n';

CREATE MATERIALIZED VIEW ${mv_name} TO ${results_table} AS
SELECT product_id, window_start, window_end, impressions, clicks, ctr
FROM ${queue_table};
