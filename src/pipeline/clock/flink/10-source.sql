-- Phase 1's source (labs/phase-1/sql/flink/10-source.sql, whose comments explain every column) plus
-- the Kafka record timestamp, which the broken-clock rule compares ts with (../future-ts.sql): a
-- metadata column, VIRTUAL because it is only read. `dlq_reason` is phase 1's CASE with the
-- future_ts branch last (future-ts.ts), so a future_ts line has no event time (rt is NULL) and
-- never moves the watermark. The WITH options are phase 1's, but the format (kafka_source_options).
CREATE TABLE ${source_table} (
  line_bytes BYTES,
  ${record_ts} TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
  dlq_reason AS ${dlq_reason},
  rt AS CASE WHEN (${dlq_reason}) IS NULL THEN TO_TIMESTAMP_LTZ(CAST(JSON_VALUE(DECODE(line_bytes, 'UTF-8'), '$.ts') AS BIGINT), 3) END,
  WATERMARK FOR rt AS rt - INTERVAL '5.001' SECOND
) WITH (
  ${kafka_source_options}
  'format' = 'raw'
);
