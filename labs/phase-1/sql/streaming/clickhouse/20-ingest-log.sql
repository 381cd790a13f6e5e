-- Every row the Kafka engine ingested, repeats included. A plain MergeTree never collapses rows,
-- so "ingested - FINAL" is what the ReplacingMergeTree key absorbed; count() on the results table
-- itself may already have been merged. A second view on the same Kafka table receives every block
-- the first one does. Created right after phase-1's 10-results.sql, before any data flows.
CREATE TABLE ${results_table}_ingested (
  product_id String,
  window_start UInt64
) ENGINE = MergeTree()
ORDER BY (product_id, window_start);

CREATE MATERIALIZED VIEW ${mv_name}_ingested TO ${results_table}_ingested AS
SELECT product_id, window_start
FROM ${queue_table};
