-- What the lab reads: the deduplicated view of the results table (FINAL applies the replacing
-- merge at read time), in the oracle's order (product_id compared byte-wise, then window_start).
SELECT product_id, window_start, window_end, impressions, clicks, ctr
FROM ${results_table} FINAL
ORDER BY product_id, window_start;
