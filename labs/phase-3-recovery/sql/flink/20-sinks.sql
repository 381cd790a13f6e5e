-- The four sinks of phase-1, with the delivery guarantee of the drill: 'exactly-once' writes each
-- checkpoint's output in one Kafka transaction per subtask, committed when the checkpoint
-- completes; readers with isolation.level=read_committed see it only then.
-- transaction.timeout.ms must not exceed the broker's transaction.max.timeout.ms (15 min): the
-- connector's default (1 h) is refused by the broker when the first transaction starts.
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
