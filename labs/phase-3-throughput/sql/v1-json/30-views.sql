-- Deduplication, the form Flink plans as its Deduplicate operator: keep the first row per event_id
-- in arrival order. It keeps one flag per key (phase 1's COUNT(*) OVER keeps a counter and emits
-- every row), and the rowtime attribute passes through.
CREATE TEMPORARY VIEW ${prefix}firsts AS
SELECT event_id, product_id, event_type, ts, rt,
  ts - MOD(ts, 10000) AS ws_ms,
  -- phase 1's lateness test, unchanged: the window had closed when the row arrived
  COALESCE(TO_TIMESTAMP_LTZ(ts - MOD(ts, 10000) + 9999, 3) <= CURRENT_WATERMARK(rt), FALSE) AS is_late
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY pt ASC) AS rn
  FROM ${source_table}
)
WHERE rn = 1;

CREATE TEMPORARY VIEW ${prefix}firsts_on_time AS
SELECT product_id, event_type, ws_ms, rt
FROM ${prefix}firsts
WHERE NOT is_late;
