-- The product dimension: a compacted Kafka topic read as a VERSIONED table (upsert-kafka: one row
-- per product_id, the latest record wins), with an event-time attribute vt = valid_from, so the
-- temporal join can ask for the version valid at an event's time (src/ctr/dimension.ts, ADR 0066).
-- Versions come in valid_from order; 1 ms behind: a second version at the same time, for another
-- product, is not late. The read is bounded at the offsets found at start: the changelog is
-- complete before the job starts, and a finished source's watermark jumps to +infinity, so the
-- dimension side never holds the join back.
CREATE TABLE ${dimension_table} (
  product_id STRING NOT NULL,
  category STRING,
  advertiser STRING,
  bid_micros BIGINT,
  valid_from BIGINT,
  vt AS TO_TIMESTAMP_LTZ(valid_from, 3),
  WATERMARK FOR vt AS vt - INTERVAL '0.001' SECOND,
  PRIMARY KEY (product_id) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = '${dimension_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'properties.group.id' = '${dimension_group}',
  'key.format' = 'raw',
  'value.format' = 'json',
  'value.fields-include' = 'ALL',
  'scan.bounded.mode' = 'latest-offset',
  'scan.watermark.emit.strategy' = 'on-event'
);
