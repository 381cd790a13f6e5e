-- Phase 1's numbering of each event_id's occurrences, computed with ROW_NUMBER instead of
-- COUNT(*) OVER. It takes the place of phase 1's 30-views.sql (typed columns need no parsing
-- view); phase 1's 35-lateness.sql then keeps occurrence = 1, and a ROW_NUMBER kept at 1 is the
-- form Flink plans as its Deduplicate operator: one flag per event_id, where COUNT(*) OVER keeps a
-- counter and emits every row. The rowtime attribute passes through.
-- user_id and campaign_id are NULL here (phase 1's late-events sink has them; the generator's
-- events have no campaign_id): carrying user_id would make the late branch need a column the
-- windows do not, and Flink would then plan a second Deduplicate operator, with its own state,
-- for that branch alone (seen in the job graph).
CREATE TEMPORARY VIEW ${prefix}numbered AS
SELECT event_id, CAST(NULL AS STRING) AS user_id, product_id, event_type, ts, CAST(NULL AS STRING) AS campaign_id, rt,
  ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY pt ASC) AS occurrence
FROM ${source_table};
