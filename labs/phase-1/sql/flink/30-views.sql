-- The valid events, parsed (the checks in the source table guarantee every cast succeeds).
CREATE TEMPORARY VIEW ${prefix}valid AS
SELECT
  JSON_VALUE(line, '$.event_id') AS event_id,
  JSON_VALUE(line, '$.user_id') AS user_id,
  JSON_VALUE(line, '$.product_id') AS product_id,
  JSON_VALUE(line, '$.event_type') AS event_type,
  CAST(JSON_VALUE(line, '$.ts') AS BIGINT) AS ts,
  -- optional since schema v2: kept when it is a JSON string, else NULL (validate.ts does the same)
  CASE WHEN JSON_QUERY(line, '$.campaign_id' WITH UNCONDITIONAL ARRAY WRAPPER) LIKE '["%'
       THEN JSON_VALUE(line, '$.campaign_id') END AS campaign_id,
  rt,
  PROCTIME() AS pt
FROM ${source_table}
WHERE dlq_reason IS NULL;

-- occurrence = how many times this event_id has been seen so far, this row included, in arrival
-- order (a processing-time OVER aggregate is append-only and, at parallelism 1 on a one-partition
-- topic, follows the topic's order exactly). occurrence = 1 is the first occurrence; the rest are
-- duplicates. The event-time attribute rt passes through as a time attribute.
CREATE TEMPORARY VIEW ${prefix}numbered AS
SELECT event_id, user_id, product_id, event_type, ts, campaign_id, rt,
  COUNT(*) OVER (PARTITION BY event_id ORDER BY pt ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS occurrence
FROM ${prefix}valid;

-- First occurrences, with their window and whether that window had already closed on arrival.
-- CURRENT_WATERMARK(rt) is the watermark before this row (NULL before the first one); Flink's
-- window operator treats a row as late when window_end - 1 ms <= watermark: the same test here.
CREATE TEMPORARY VIEW ${prefix}firsts AS
SELECT event_id, user_id, product_id, event_type, ts, campaign_id, rt,
  ts - MOD(ts, 10000) AS ws_ms,
  COALESCE(TO_TIMESTAMP_LTZ(ts - MOD(ts, 10000) + 9999, 3) <= CURRENT_WATERMARK(rt), FALSE) AS is_late
FROM ${prefix}numbered
WHERE occurrence = 1;

-- What the windows aggregate: first occurrences that were on time.
CREATE TEMPORARY VIEW ${prefix}firsts_on_time AS
SELECT product_id, event_type, ws_ms, rt
FROM ${prefix}firsts
WHERE NOT is_late;
