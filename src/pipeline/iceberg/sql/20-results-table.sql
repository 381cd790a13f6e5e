-- The CTR result per (product_id, 10 s window), as ClickHouse holds it (epoch-ms BIGINTs, ctr NULL
-- when impressions = 0), plus the enrichment columns phase 5 fills (the product's category and
-- advertiser as of the event, and the spend of its clicks at the bid price then, in micros); NULL
-- where the job does not enrich. Append-only: phase 1's windows are emitted once, and a restore
-- from a checkpoint does not append twice (the committer skips checkpoints it already committed).
-- Format v2; Parquet files. No partitioning: a run is small (ADR 0097 on files and compaction).
CREATE TABLE IF NOT EXISTS ${iceberg_table} (
  product_id STRING,
  window_start BIGINT,
  window_end BIGINT,
  impressions BIGINT,
  clicks BIGINT,
  ctr DOUBLE,
  category STRING,
  advertiser STRING,
  spend_micros BIGINT
) WITH (
  'format-version' = '2',
  'write.format.default' = 'parquet'
);
