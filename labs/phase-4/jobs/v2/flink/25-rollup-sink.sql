-- v2's new output: running totals per product (a stand-in for any new sink a release adds; a
-- blackhole connector, so the lab needs no extra topic). Nothing in phase 1's operators changes,
-- yet the job graph gains nodes, and Flink SQL derives each operator's id from the graph's shape:
-- the old savepoint's state no longer maps onto the new ids and the job fails at start
-- (docs/phase-4-orchestration, "Savepoint compatibility").
CREATE TABLE ${prefix}rollup (
  product_id STRING,
  impressions BIGINT,
  clicks BIGINT
) WITH (
  'connector' = 'blackhole'
);
