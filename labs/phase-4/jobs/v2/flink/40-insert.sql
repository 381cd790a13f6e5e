-- v2 of the job: phase 1's statement set (labs/phase-1/sql/flink/40-insert.sql) plus one INSERT into the rollup sink.
-- Session settings as in phase 1 (parallelism 1, streaming, UTC, no state TTL).
EXECUTE STATEMENT SET
BEGIN

-- The payload is the line's text, but for not_utf8 its bytes in base64: text cannot hold them.
INSERT INTO ${dlq_table}
SELECT CASE WHEN dlq_reason = 'not_utf8' THEN TO_BASE64(line_bytes) ELSE DECODE(line_bytes, 'UTF-8') END AS payload,
  dlq_reason AS reason
FROM ${source_table}
WHERE dlq_reason IS NOT NULL;

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

-- New in v2: running totals per product over the on-time first occurrences.
INSERT INTO ${prefix}rollup
SELECT product_id,
  COUNT(*) FILTER (WHERE event_type = 'impression') AS impressions,
  COUNT(*) FILTER (WHERE event_type = 'click') AS clicks
FROM ${prefix}firsts_on_time
GROUP BY product_id;

END;
