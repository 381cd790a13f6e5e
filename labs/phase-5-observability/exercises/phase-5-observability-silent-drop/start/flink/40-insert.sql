-- One job, four sinks. Session settings (set before this statement, see README): parallelism 1,
-- streaming mode, UTC, no state TTL, pipeline.name.
EXECUTE STATEMENT SET
BEGIN

INSERT INTO ${duplicates_table}
SELECT event_id, user_id, product_id, event_type, ts, occurrence
FROM ${prefix}numbered
WHERE occurrence > 1;

INSERT INTO ${late_table}
SELECT event_id, user_id, product_id, event_type, ts, campaign_id, ws_ms AS window_start
FROM ${prefix}firsts
WHERE is_late;

-- The window operator would drop late rows by itself (silently); filtering them first keeps the
-- two branches exact complements, decided by the same expression.
INSERT INTO ${results_table}
SELECT product_id, ws AS window_start, ws + 10000 AS window_end, impressions, clicks,
  CASE WHEN impressions = 0 THEN CAST(NULL AS DOUBLE) ELSE CAST(clicks AS DOUBLE) / impressions END AS ctr
FROM (
  SELECT product_id, window_start, window_end,
    MIN(ws_ms) AS ws,  -- = window_start as epoch ms (every row of the window has the same ws_ms)
    COUNT(*) FILTER (WHERE event_type = 'impression') AS impressions,
    COUNT(*) FILTER (WHERE event_type = 'click') AS clicks
  FROM TABLE(TUMBLE(TABLE ${prefix}firsts_on_time, DESCRIPTOR(rt), INTERVAL '10' SECOND))
  GROUP BY product_id, window_start, window_end
);

END;
