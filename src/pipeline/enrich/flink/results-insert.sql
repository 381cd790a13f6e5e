-- Takes the place of phase 1's results INSERT in the statement set: the same 10 s windows, per
-- product AND the version's category and advertiser (a window whose events saw two versions gives
-- two rows), with the spend of its clicks at the bid valid at each click's time.
INSERT INTO ${results_table}
SELECT product_id, ws AS window_start, category, advertiser, ws + 10000 AS window_end, impressions, clicks,
  CASE WHEN impressions = 0 THEN CAST(NULL AS DOUBLE) ELSE CAST(clicks AS DOUBLE) / impressions END AS ctr,
  spend_micros
FROM (
  SELECT product_id, category, advertiser, window_start, window_end,
    MIN(ws_ms) AS ws,
    COUNT(*) FILTER (WHERE event_type = 'impression') AS impressions,
    COUNT(*) FILTER (WHERE event_type = 'click') AS clicks,
    COALESCE(SUM(CASE WHEN event_type = 'click' THEN bid_micros END), 0) AS spend_micros
  FROM TABLE(TUMBLE(TABLE ${prefix}enriched, DESCRIPTOR(rt), INTERVAL '10' SECOND))
  GROUP BY product_id, category, advertiser, window_start, window_end
);
