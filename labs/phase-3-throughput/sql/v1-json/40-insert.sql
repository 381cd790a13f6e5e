-- One job, two sinks: phase 1's windowed aggregation, unchanged, and the late branch.
EXECUTE STATEMENT SET
BEGIN

INSERT INTO ${late_table}
SELECT event_id, product_id, event_type, ts, ws_ms AS window_start
FROM ${prefix}firsts
WHERE is_late;

INSERT INTO ${results_table}
SELECT product_id, ws AS window_start, ws + 10000 AS window_end, impressions, clicks,
  CASE WHEN impressions = 0 THEN CAST(NULL AS DOUBLE) ELSE CAST(clicks AS DOUBLE) / impressions END AS ctr
FROM (
  SELECT product_id, window_start, window_end,
    MIN(ws_ms) AS ws,
    COUNT(*) FILTER (WHERE event_type = 'impression') AS impressions,
    COUNT(*) FILTER (WHERE event_type = 'click') AS clicks
  FROM TABLE(TUMBLE(TABLE ${prefix}firsts_on_time, DESCRIPTOR(rt), INTERVAL '10' SECOND))
  GROUP BY product_id, window_start, window_end
);

END;
