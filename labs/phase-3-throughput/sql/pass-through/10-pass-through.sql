-- The R2 reference: read the same topic, parse every field of every line with the JSON format,
-- and discard the rows. Everything the pipeline must do at the least, nothing more.
SET 'execution.runtime-mode' = 'streaming';
SET 'pipeline.name' = '${pipeline_name}';

CREATE TABLE ${source_table} (
  event_id STRING,
  user_id STRING,
  product_id STRING,
  event_type STRING,
  ts BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = '${input_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'properties.group.id' = '${consumer_group}',
  ${scan_options}
  ${source_properties}
  'format' = 'json',
  'json.fail-on-missing-field' = 'true'
);

CREATE TABLE ${results_table} (
  event_id STRING,
  user_id STRING,
  product_id STRING,
  event_type STRING,
  ts BIGINT
) WITH ('connector' = 'blackhole');

INSERT INTO ${results_table} SELECT * FROM ${source_table};
