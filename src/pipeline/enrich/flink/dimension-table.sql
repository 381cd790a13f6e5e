-- The product dimension: a compacted Kafka topic read as a VERSIONED table (upsert-kafka: one row
-- per product_id, the latest record wins), with an event-time attribute vt = valid_from, so the
-- temporal join can ask for the version valid at an event's time (src/ctr/dimension.ts, ADR 0066).
-- Versions come in valid_from order; 1 ms behind: a second version at the same time, for another
-- product, is not late. The read is unbounded, as a live changelog's is, and the source goes idle
-- after ${dimension_idle_timeout} without a new version: the join then follows the events' watermark
-- alone. A BOUNDED dimension (the PyFlink lab's) finishes with a +infinity watermark instead, and
-- if the event side ever goes idle as a whole (a slow first fetch, a backlog), the join takes that
-- +infinity as its watermark and every later event is dropped as late: measured, a run with no
-- rows at all (ADR 0106).
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
  'scan.watermark.emit.strategy' = 'on-event',
  'scan.watermark.idle-timeout' = '${dimension_idle_timeout}'
);
