/**
 * The broken-clock rule in Flink SQL (src/pipeline/clock): rendered from the one skew constant, the
 * last branch of phase 1's DLQ CASE, read against the record-timestamp column; phase 1's own
 * rendering stays as it was (pipeline-render.test.ts holds it byte for byte). That Flink computes
 * the same reasons as the oracle is shown by replaying FUTURE_TS_BOUNDARY_CASES through the real job.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALLOWED_CLOCK_SKEW_MS } from '../../src/ctr/clock.ts';
import { FUTURE_TS_VARIANT, RECORD_TS_COLUMN, skewInterval, withFutureTs } from '../../src/pipeline/clock/future-ts.ts';
import { pipelineNames } from '../../src/pipeline/names.ts';
import { flinkStatements } from '../../src/pipeline/render.ts';

const names = pipelineNames('run1', { internal: { kafka: 'kafka.internal:9092' } }, 'ctr-phase-5 run1');
const source = (sqls: { sql: string }[]) => sqls.find((s) => /^CREATE TABLE run1_src /.test(s.sql))?.sql ?? '';

test('the skew is written as an exact SECOND interval from the one constant', () => {
  assert.equal(skewInterval(ALLOWED_CLOCK_SKEW_MS), '5.000');
  assert.equal(skewInterval(1), '0.001');
  assert.equal(skewInterval(61_250), '61.250');
  assert.throws(() => skewInterval(1.5), /whole number/);
});

test("future_ts is the last branch of phase 1's CASE, before its END, over the record timestamp", () => {
  const reason = withFutureTs(names).dlq_reason ?? '';
  const branches = [...reason.matchAll(/THEN '([a-z0-9_]+)'/g)].map((m) => m[1]);
  assert.deepEqual(branches, ['not_utf8', 'not_json', 'bad_event_id', 'bad_user_id', 'bad_product_id', 'bad_event_type', 'bad_ts', 'future_ts']);
  assert.match(reason, /WHEN TO_TIMESTAMP_LTZ\(CAST\(JSON_VALUE\(DECODE\(line_bytes, 'UTF-8'\), '\$\.ts'\) AS BIGINT\), 3\) > record_ts \+ INTERVAL '5\.000' SECOND THEN 'future_ts'\n {2}END$/);
  assert.equal(reason.replace(/\n-- The broken-clock rule[\s\S]*THEN 'future_ts'/, ''), names.dlq_reason, 'everything else is phase 1\'s expression, unchanged');
  assert.match(withFutureTs(names, 60_000).dlq_reason ?? '', /INTERVAL '60\.000' SECOND/);
});

test("the variant's source is phase 1's plus the record-timestamp column; the rule's reason decides the event time too", () => {
  const mine = source(flinkStatements(withFutureTs(names), FUTURE_TS_VARIANT));
  const phase1 = source(flinkStatements(names));
  assert.ok(mine.includes(`  ${RECORD_TS_COLUMN},\n`));
  assert.equal((mine.match(/THEN 'future_ts'/g) ?? []).length, 2, 'dlq_reason and rt both use the extended CASE');
  const withOptions = (sql: string) => sql.slice(sql.indexOf(') WITH (')).split('\n').filter((l) => !l.trim().startsWith('--')).join('\n');
  assert.equal(withOptions(mine), withOptions(phase1), "the WITH options are phase 1's (its comments aside)");
  const others = (sqls: { sql: string }[]) => sqls.map((s) => s.sql).filter((s) => !/^CREATE TABLE run1_src /.test(s));
  assert.deepEqual(others(flinkStatements(withFutureTs(names), FUTURE_TS_VARIANT)), others(flinkStatements(names)), 'every other statement is phase 1\'s');
});
