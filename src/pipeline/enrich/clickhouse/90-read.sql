-- The enriched results, deduplicated by FINAL.
SELECT product_id, window_start, category, advertiser, impressions, clicks, ctr, spend_micros
FROM ${results_table} FINAL
ORDER BY product_id, window_start, category, advertiser;
