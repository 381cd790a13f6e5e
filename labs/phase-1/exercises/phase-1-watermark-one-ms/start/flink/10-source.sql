-- The input: one Kafka message = one line, read as its BYTES ('format' = 'raw', no charset), so that
-- NO line can be dropped or fail the job at deserialization, and no byte is changed before the
-- rules have seen it: validation is plain SQL below, over DECODE(line_bytes, 'UTF-8'), the line's text.
-- In phase 1 the read is BOUNDED (earliest -> the offsets current at job start): at the end of the
-- input the source emits the final watermark, every open window fires and the job FINISHES.
--
-- dlq_reason re-implements src/ctr/event.ts (checked in its order; NULL = valid):
--  too_large  never seen here: a line over MAX_LINE_BYTES (event.ts) is kept out of Kafka by
--             ingestion (src/pipeline/ingest.ts), which writes its DLQ record itself (ADR 0029).
--  not_utf8   The bytes must be UTF-8: decoded and encoded again they must be the same bytes
--             (Java's decoder turns malformed bytes into U+FFFD, which would merge distinct ids).
--  not_json   The line must be ONE JSON object. Flink's IS JSON (Jackson) ignores trailing content
--             ('{"a":1} x' IS JSON OBJECT is TRUE), JSON.parse does not, so the line is also parsed
--             wrapped as '[' || line || ']' and '{"x":' || line || '}': trailing garbage breaks at
--             least one of the two (a tail starting with ']' fools only the first, '}' only the
--             second, ',' neither). Plus: no unpaired UTF-16 surrogate escape (\uD800 alone)
--             anywhere, because Flink's strings are UTF-8 and turn it into '?' (see README).
--  bad_*_id   JSON_VALUE also returns numbers and booleans as text, so the JSON TYPE is read from
--             JSON_QUERY(... WITH UNCONDITIONAL ARRAY WRAPPER): a string re-serializes as '["...'.
--             '[""]' is the empty string. Missing field / null -> the wrapper is NULL.
--  bad_event_type  the re-serialized value must be exactly ["impression"] or ["click"]
--             (escapes such as "\u0069mpression" are decoded first, as JSON.parse does).
--  bad_ts     how ts is WRITTEN: Jackson re-serializes integers as their digits and any fraction or
--             exponent as a double ('1.0' -> [1.0], '1e3' -> [1000.0]), a sign stays ('-5' -> [-5]),
--             a string gets quotes: so '^\[[0-9]{1,15}\]$' on the wrapper. The one token Jackson
--             normalizes is '-0' (-> [0]): caught by a regex on the raw line.
--             Range: ts <= 253402300799999 (9999-12-31T23:59:59.999Z), the largest instant a
--             TIMESTAMP_LTZ(3) holds: TO_TIMESTAMP_LTZ returns NULL beyond it, and a NULL rowtime
--             reaching the window operator FAILS the job. (Needs the same rule in event.ts.)
-- Duplicate keys: Flink's JSON functions keep the last occurrence, like JSON.parse.
--
-- rt, the event time, is NULL for every invalid line (the same CASE, inlined: Flink computed
-- columns cannot reference each other). A NULL rowtime produces no watermark; invalid rows never
-- reach the windowed branch (filtered on dlq_reason IS NULL).
--
-- Watermark: Flink fires a window [s, e) when watermark >= e - 1 ms. With watermark = max(rt) - 5001
-- ms that is e <= max ts - 5000 ms: exactly event.ts's "window end <= max ts - 5 s".
-- 'on-event' emits a watermark after every event (pushed into the Kafka source), so which events
-- are late depends only on the input order, never on the 200 ms periodic timer.
--
-- Other labs render this same file with other values (src/pipeline/names.ts lists phase 1's):
-- the recovery drills read unbounded; the throughput lab reads from a point in time or a slice of
-- offsets (the scan_offsets slot: the start and stop positions those modes need; empty here, so
-- the line disappears) with periodic watermarks (watermark_emit).
CREATE TABLE ${source_table} (
  line_bytes BYTES,
  dlq_reason AS ${dlq_reason},
  rt AS CASE WHEN (${dlq_reason}) IS NULL THEN TO_TIMESTAMP_LTZ(CAST(JSON_VALUE(DECODE(line_bytes, 'UTF-8'), '$.ts') AS BIGINT), 3) END,
  WATERMARK FOR rt AS rt - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = '${input_topic}',
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'properties.group.id' = '${consumer_group}',
  -- Phase 1: earliest-offset, bounded at latest-offset, no auto-commit. The recovery drills
  -- (phase 3) render this same file unbounded; their control also resumes from auto-committed
  -- group offsets, as a job without checkpoints would.
  'scan.startup.mode' = '${startup_mode}',
  'scan.bounded.mode' = '${bounded_mode}',
  ${scan_offsets}
  'properties.auto.offset.reset' = 'earliest',
  'properties.enable.auto.commit' = '${auto_commit}',
  'properties.auto.commit.interval.ms' = '1000',
  'scan.watermark.emit.strategy' = '${watermark_emit}',
  'format' = 'raw'
);
