-- The broken-clock rule (src/ctr/clock.ts, ADR 0100) as one more WHEN of phase 1's DLQ CASE
-- (labs/phase-1/sql/flink/dlq-reason.sql), added LAST (future-ts.ts puts it before the CASE's END):
-- it only sees a line that passed every other rule, whose ts is therefore 1 to 15 digits and at
-- most 9999-12-31, so the CAST cannot fail. `record_ts` is the line's Kafka record timestamp (a
-- metadata column, TIMESTAMP_LTZ(3), flink/10-source.sql here); `allowed_skew` is
-- ALLOWED_CLOCK_SKEW_MS as seconds with three decimals. Flink 1.20 has no TIMESTAMP_LTZ -> epoch-ms
-- cast, so the rule compares instants: ts - record_ts > skew <=> TO_TIMESTAMP_LTZ(ts) > record_ts +
-- skew (both in ms). A NULL record_ts makes the comparison NULL, not TRUE: the line stays valid.
    WHEN TO_TIMESTAMP_LTZ(CAST(JSON_VALUE(${line}, '$.ts') AS BIGINT), 3) > ${record_ts} + INTERVAL '${allowed_skew}' SECOND THEN 'future_ts'
