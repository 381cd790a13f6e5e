-- The read-back (a bounded batch job): the table's current snapshot, every committed row.
-- The oracle's order is applied by the caller (byOracleOrder), as for ClickHouse.
SELECT product_id, window_start, impressions, clicks, ctr, category, advertiser, spend_micros
FROM ${iceberg_table};
