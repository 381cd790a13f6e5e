-- The DLQ reason of one raw line, or NULL when the line is a valid event: src/ctr/event.ts's
-- rules from not_utf8 on, in their order (too_large never gets here: ingestion keeps such a line
-- out of Kafka and writes its DLQ record itself). An expression, not a statement: 10-source.sql
-- uses it twice (for dlq_reason and for rt), since a computed column cannot refer to another one.
-- `line_bytes` is the line's bytes; the placeholder `line` is its text,
-- DECODE(line_bytes, 'UTF-8') (src/pipeline/names.ts fills it in). Java's decoder turns a
-- malformed byte into U+FFFD, so bytes that are not UTF-8 do not come back from their text:
-- that is the not_utf8 test (valid UTF-8 always comes back as it was).
CASE
    WHEN ENCODE(${line}, 'UTF-8') <> line_bytes THEN 'not_utf8'
    WHEN NOT (${line} IS JSON OBJECT
              AND ('[' || ${line} || ']') IS JSON
              AND ('{"x":' || ${line} || '}') IS JSON)
      OR REGEXP(REGEXP_REPLACE(${line}, '\\\\', ''),
                '\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}')
      THEN 'not_json'
    WHEN JSON_QUERY(${line}, '$.event_id' WITH UNCONDITIONAL ARRAY WRAPPER) IS NULL
      OR JSON_QUERY(${line}, '$.event_id' WITH UNCONDITIONAL ARRAY WRAPPER) NOT LIKE '["%'
      OR JSON_QUERY(${line}, '$.event_id' WITH UNCONDITIONAL ARRAY WRAPPER) = '[""]' THEN 'bad_event_id'
    WHEN JSON_QUERY(${line}, '$.user_id' WITH UNCONDITIONAL ARRAY WRAPPER) IS NULL
      OR JSON_QUERY(${line}, '$.user_id' WITH UNCONDITIONAL ARRAY WRAPPER) NOT LIKE '["%'
      OR JSON_QUERY(${line}, '$.user_id' WITH UNCONDITIONAL ARRAY WRAPPER) = '[""]' THEN 'bad_user_id'
    WHEN JSON_QUERY(${line}, '$.product_id' WITH UNCONDITIONAL ARRAY WRAPPER) IS NULL
      OR JSON_QUERY(${line}, '$.product_id' WITH UNCONDITIONAL ARRAY WRAPPER) NOT LIKE '["%'
      OR JSON_QUERY(${line}, '$.product_id' WITH UNCONDITIONAL ARRAY WRAPPER) = '[""]' THEN 'bad_product_id'
    -- TODO: a line whose event_type is missing, not a string, or neither impression nor click
    WHEN JSON_QUERY(${line}, '$.ts' WITH UNCONDITIONAL ARRAY WRAPPER) IS NULL
      OR NOT REGEXP(JSON_QUERY(${line}, '$.ts' WITH UNCONDITIONAL ARRAY WRAPPER), '^\[[0-9]{1,15}\]$')
      OR (JSON_QUERY(${line}, '$.ts' WITH UNCONDITIONAL ARRAY WRAPPER) = '[0]'
          AND REGEXP(${line}, '"ts"[ \t\r\n]*:[ \t\r\n]*-0'))
      OR CAST(JSON_VALUE(${line}, '$.ts') AS BIGINT) > 253402300799999 THEN 'bad_ts'
  END
