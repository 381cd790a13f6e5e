-- A broken release for the backfill's quality gate to refuse: phase 1's 35-lateness.sql without
-- the "occurrence = 1" filter, so duplicates are counted as events (labs/phase-4/lab.ts replays with it once).
-- First occurrences, with their window and whether that window had already closed on arrival.
-- CURRENT_WATERMARK(rt) is the watermark before this row (NULL before the first one); Flink's
-- window operator treats a row as late when window_end - 1 ms <= watermark: the same test here.
CREATE TEMPORARY VIEW ${prefix}firsts AS
SELECT event_id, user_id, product_id, event_type, ts, campaign_id, rt,
  ts - MOD(ts, 10000) AS ws_ms,
  COALESCE(TO_TIMESTAMP_LTZ(ts - MOD(ts, 10000) + 9999, 3) <= CURRENT_WATERMARK(rt), FALSE) AS is_late
FROM ${prefix}numbered
;

-- What the windows aggregate: first occurrences that were on time.
CREATE TEMPORARY VIEW ${prefix}firsts_on_time AS
SELECT product_id, event_type, ws_ms, rt
FROM ${prefix}firsts
WHERE NOT is_late;
