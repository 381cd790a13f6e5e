-- The valid events, parsed (the checks in the source table guarantee every cast succeeds). The
-- line's bytes are decoded once, here: valid lines are UTF-8.
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
FROM (SELECT DECODE(line_bytes, 'UTF-8') AS line, rt FROM ${source_table} WHERE dlq_reason IS NULL) AS lines;

-- occurrence = how many times this event_id has been seen so far, this row included, in arrival
-- order (a processing-time OVER aggregate is append-only and, at parallelism 1 on a one-partition
-- topic, follows the topic's order exactly). occurrence = 1 is the first occurrence; the rest are
-- duplicates. The event-time attribute rt passes through as a time attribute.
CREATE TEMPORARY VIEW ${prefix}numbered AS
SELECT event_id, user_id, product_id, event_type, ts, campaign_id, rt,
  COUNT(*) OVER (PARTITION BY event_id ORDER BY pt ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS occurrence
FROM ${prefix}valid;
