-- Phase 1's results store (labs/phase-1/sql/clickhouse/10-results.sql) with the enrichment
-- columns: same path (results topic -> Kafka engine -> materialized view -> ReplacingMergeTree),
-- keyed by (product_id, window_start, category, advertiser): a window whose events saw two
-- dimension versions has two rows. '' = no version (ClickHouse keys cannot be Nullable).
CREATE TABLE ${results_table} (
  product_id String,
  window_start UInt64,
  category String,
  advertiser String,
  window_end UInt64,
  impressions UInt64,
  clicks UInt64,
  ctr Nullable(Float64),
  spend_micros UInt64
) ENGINE = ReplacingMergeTree()
ORDER BY (product_id, window_start, category, advertiser);

CREATE TABLE ${queue_table} (
  product_id String,
  window_start UInt64,
  category String,
  advertiser String,
  window_end UInt64,
  impressions UInt64,
  clicks UInt64,
  ctr Nullable(Float64),
  spend_micros UInt64
) ENGINE = Kafka SETTINGS
  kafka_broker_list = '${bootstrap_servers}',
  kafka_topic_list = '${results_topic}',
  kafka_group_name = '${clickhouse_group}',
  ${kafka_settings}
  kafka_format = 'JSONEachRow',
  kafka_row_delimiter = '\n';

CREATE MATERIALIZED VIEW ${mv_name} TO ${results_table} AS
SELECT product_id, window_start, category, advertiser, window_end, impressions, clicks, ctr, spend_micros
FROM ${queue_table};
