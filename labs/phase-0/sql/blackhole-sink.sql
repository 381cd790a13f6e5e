-- A sink that discards everything: enough to make a job that only needs slots.
CREATE TABLE ${table} (
  event_id   STRING,
  user_id    STRING,
  product_id STRING,
  event_type STRING,
  ts         BIGINT
) WITH ('connector' = 'blackhole');
