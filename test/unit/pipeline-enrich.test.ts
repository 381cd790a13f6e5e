/**
 * The enrichment transform (src/pipeline/enrich/flink.ts) on phase 1's real statements, and the
 * per-(product, window) sum the phase-5 conservation checks count: no Flink, no Kafka.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { perProductWindow } from '../../src/pipeline/enrich/compare.ts';
import { enrichedNames, withEnrichment } from '../../src/pipeline/enrich/flink.ts';
import { icebergNames, insertQuery, withIcebergSink } from '../../src/pipeline/iceberg/index.ts';
import { pipelineNames } from '../../src/pipeline/names.ts';
import { flinkStatements } from '../../src/pipeline/render.ts';

const names = enrichedNames(pipelineNames('run1', { internal: { kafka: 'k:9092' } } as never, 'p'));
const base = flinkStatements(names);
const enriched = withEnrichment(base, names);
const index = (re: RegExp) => enriched.findIndex((s) => re.test(s.sql));

test('withEnrichment: the dimension and the enriched results sink take the place of phase 1\'s results table', () => {
  const results = enriched.filter((s) => /^CREATE TABLE run1_results\s*\(/i.test(s.sql));
  assert.equal(results.length, 1, 'one results table');
  assert.match(results[0]?.sql ?? '', /spend_micros BIGINT/);
  assert.ok(index(/^CREATE TABLE run1_dimension/) >= 0 && index(/^CREATE TABLE run1_dimension/) < index(/^CREATE TABLE run1_results/), 'the dimension is declared before the results sink');
  assert.equal(enriched.length, base.length + 2, 'two statements more: the dimension table and the join view');
});

test('withEnrichment: the join view comes before the statement set, whose results INSERT reads it', () => {
  const view = index(/^CREATE TEMPORARY VIEW run1_enriched/);
  const set = index(/^EXECUTE STATEMENT SET/);
  assert.ok(view >= 0 && view < set);
  assert.match(enriched[view]?.sql ?? '', /FOR SYSTEM_TIME AS OF e\.rt/);
  const query = insertQuery(enriched[set]?.sql ?? '', 'run1_results');
  assert.match(query, /TABLE run1_enriched/);
  assert.match(query, /GROUP BY product_id, category, advertiser, window_start, window_end/);
  // The other three sinks keep phase 1's INSERTs.
  for (const t of ['run1_dlq', 'run1_dup', 'run1_late']) assert.doesNotThrow(() => insertQuery(enriched[set]?.sql ?? '', t), t);
});

test('withEnrichment refuses names without the dimension, and a job without a results table', () => {
  assert.throws(() => withEnrichment(base, pipelineNames('run1', { internal: { kafka: 'k' } } as never, 'p')), /enrichedNames/);
  assert.throws(() => withEnrichment(base.filter((s) => !/^CREATE TABLE run1_results/.test(s.sql)), names), /no CREATE TABLE run1_results/);
});

test('the Iceberg sink of an enriched job selects the enrichment columns from the same query', () => {
  const ice = icebergNames('run1');
  const out = withIcebergSink(enriched, 'run1_results', ice, { category: 'category', advertiser: 'advertiser', spend_micros: 'spend_micros' });
  const set = out.find((s) => /^EXECUTE STATEMENT SET/.test(s.sql))?.sql ?? '';
  const iceberg = insertQuery(set, ice.iceberg_table);
  assert.match(iceberg, /category AS category, advertiser AS advertiser, spend_micros AS spend_micros/);
  assert.ok(iceberg.includes(insertQuery(set, 'run1_results')), 'both sinks get the rows of one query');
});

test('perProductWindow sums the versions of a window and recomputes ctr', () => {
  const row = (category: string, impressions: number, clicks: number) => ({ product_id: 'p1', window_start: 10, category, advertiser: 'a', impressions, clicks, ctr: null, spend_micros: 0 });
  assert.deepEqual(perProductWindow([row('', 3, 1), row('shoes', 1, 1), { ...row('x', 0, 2), product_id: 'p0' }]), [
    { product_id: 'p0', window_start: 10, impressions: 0, clicks: 2, ctr: null },
    { product_id: 'p1', window_start: 10, impressions: 4, clicks: 2, ctr: 0.5 },
  ]);
});
