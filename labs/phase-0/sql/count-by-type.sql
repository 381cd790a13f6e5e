-- A continuous aggregation: every new event updates its type's count, so the result is a
-- changelog (+I, then -U/+U pairs). The last value per key is the answer.
SELECT event_type, COUNT(*) AS events
FROM ${table}
GROUP BY event_type;
