-- Phase 1's results sink with the enrichment columns: one row per (product_id, category,
-- advertiser, window), what the enriched ClickHouse store ingests (../clickhouse/10-results.sql).
CREATE TABLE ${results_table} (
  product_id STRING,
  window_start BIGINT,
  category STRING,
  advertiser STRING,
  window_end BIGINT,
  impressions BIGINT,
  clicks BIGINT,
  ctr DOUBLE,
  spend_micros BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = '${results_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'format' = 'json',
  'sink.delivery-guarantee' = '${delivery_guarantee}',
  'sink.transactional-id-prefix' = '${txn_prefix}-results',
  'properties.transaction.timeout.ms' = '${txn_timeout_ms}'
);
