-- Two sinks: the results (what ClickHouse ingests) and the late events (the lab checks there are
-- none). No DLQ: the source accepts only valid events. Duplicates are dropped, and counted by
-- the exactness check (ClickHouse = the generator's counts, which exclude the duplicates).
CREATE TABLE ${late_table} (
  event_id STRING,
  product_id STRING,
  event_type STRING,
  ts BIGINT,
  window_start BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = '${late_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'format' = 'json',
  'sink.delivery-guarantee' = 'at-least-once'
);

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
