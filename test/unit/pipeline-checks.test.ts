/**
 * Phase 1's checks as the pipeline library gives them: each fails when what the run left behind
 * differs from the oracle in its one respect, and all pass when nothing differs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateDataset } from '../../src/ctr/generator.ts';
import { byOracleOrder, runOracle } from '../../src/ctr/oracle.ts';
import { PIPELINE_CHECKS, pipelineChecks, pipelineCounts } from '../../src/pipeline/checks.ts';
import { rowToResult } from '../../src/pipeline/clickhouse.ts';
import type { PipelineOutputs } from '../../src/pipeline/collect.ts';

const oracle = runOracle(generateDataset({ seed: 7, events: 600, tricky: true }));

/** What a correct run leaves behind: the oracle's own output, as the topics and ClickHouse hold it. */
function perfect(): PipelineOutputs {
  return {
    dlq: oracle.dlq.map((d) => ({ payload: d.payload, reason: d.reason, ...(d.bytes === undefined ? {} : { bytes: d.bytes }) })),
    duplicates: oracle.duplicates.map((d) => ({ event_id: d.event_id })),
    late: oracle.late.map((l) => ({ event_id: l.event.event_id, window_start: l.windowStart })),
    emitted: oracle.results.length,
    rows: oracle.results.map((r) => ({ ...r })),
  };
}

const failing = (out: PipelineOutputs) => pipelineChecks(oracle, out).filter((c) => !c.ok).map((c) => c.name);
const [ROWS, ONCE, DLQ, REASONS, PAYLOADS, DUPLICATES, LATE] = PIPELINE_CHECKS.map((c) => c.name);

describe("phase 1's checks", () => {
  it('the dataset exercises every check (something in every topic)', () => {
    assert.ok(oracle.dlq.length > 0 && oracle.duplicates.length > 0 && oracle.late.length > 0 && oracle.results.length > 1);
  });

  it('return exactly the declared checks, in order, all passing on a correct run', () => {
    const checks = pipelineChecks(oracle, perfect());
    assert.deepEqual(checks.map((c) => c.name), PIPELINE_CHECKS.map((c) => c.name));
    assert.deepEqual(checks.filter((c) => !c.ok), []);
  });

  it('rows: a differing count fails, with the row named', () => {
    const out = perfect();
    const [first] = out.rows;
    if (first) first.clicks += 1;
    const check = pipelineChecks(oracle, out).find((c) => c.name === ROWS);
    assert.equal(check?.ok, false);
    assert.match(check?.details?.join('\n') ?? '', new RegExp(`differs.*${JSON.stringify(first?.product_id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('rows: a missing row fails', () => {
    const out = perfect();
    out.rows.pop();
    assert.deepEqual(failing(out), [ROWS]);
  });

  it('each window once: a window emitted twice fails', () => {
    assert.deepEqual(failing({ ...perfect(), emitted: oracle.results.length + 1 }), [ONCE]);
  });

  it('DLQ count, reasons and payloads: a line missing fails all three; a wrong reason fails reasons and payloads', () => {
    const missing = perfect();
    missing.dlq.pop();
    assert.deepEqual(failing(missing), [DLQ, REASONS, PAYLOADS]);
    const wrong = perfect();
    const [d] = wrong.dlq;
    if (d) d.reason = d.reason === 'not_json' ? 'bad_ts' : 'not_json';
    assert.deepEqual(failing(wrong), [REASONS, PAYLOADS]);
  });

  it('DLQ payloads: a changed payload (bytes decoded, a prefix cut elsewhere) fails and is shown short', () => {
    const lossy = perfect();
    const [d] = lossy.dlq;
    if (d) d.payload = `${d.payload}\uFFFD`;
    assert.deepEqual(failing(lossy), [PAYLOADS]);
    const big = { payload: 'y'.repeat(1_000), reason: 'too_large', bytes: 2_000_000 };
    const o = { ...oracle, dlq: [...oracle.dlq, { line: 9_999, ...big, reason: 'too_large' as const }], counts: { ...oracle.counts, dlq: oracle.counts.dlq + 1 } };
    const out = perfect();
    out.dlq.push({ ...big, bytes: 1_999_999 });
    const check = pipelineChecks(o, out).find((c) => c.name === PAYLOADS);
    assert.equal(check?.ok, false);
    assert.equal(check?.actual, '1 missing, 1 unexpected');
    assert.match(check?.details?.[0] ?? '', /^missing {4}too_large \(2000000 bytes\): "y{60}"\.\.\. \(1000 chars\)$/);
  });

  it('duplicates: one more than the oracle fails', () => {
    const out = perfect();
    out.duplicates.push({ event_id: 'x' });
    assert.deepEqual(failing(out), [DUPLICATES]);
  });

  it('late: one fewer than the oracle fails', () => {
    const out = perfect();
    out.late.pop();
    assert.deepEqual(failing(out), [LATE]);
  });

  it('counts for the report: valid = produced - DLQ - duplicates', () => {
    const out = perfect();
    assert.deepEqual(pipelineCounts(oracle.counts.produced, out), oracle.counts);
    assert.deepEqual(pipelineCounts(5, undefined), { produced: 5, valid: 0, dlq: 0, duplicates: 0, late: 0 });
  });
});

describe('ClickHouse rows', () => {
  it('UInt64 strings become numbers, a NULL ctr stays null', () => {
    assert.deepEqual(rowToResult({ product_id: 'p1', window_start: '1700000000000', window_end: '1700000010000', impressions: '4', clicks: '1', ctr: 0.25 }), {
      product_id: 'p1',
      window_start: 1_700_000_000_000,
      impressions: 4,
      clicks: 1,
      ctr: 0.25,
    });
    assert.equal(rowToResult({ product_id: 7, window_start: 0, impressions: 0, clicks: 2, ctr: null }).ctr, null);
    assert.equal(rowToResult({ product_id: 7, window_start: 0, impressions: 0, clicks: 2, ctr: null }).product_id, '7');
  });

  it("sort in the oracle's order: product_id by code units (not locale), then window_start", () => {
    const rows = [
      { product_id: 'b', window_start: 0 },
      { product_id: 'a', window_start: 20 },
      { product_id: 'B', window_start: 0 },
      { product_id: 'a', window_start: 10 },
      { product_id: 'é', window_start: 0 },
    ];
    assert.deepEqual(rows.sort(byOracleOrder).map((r) => `${r.product_id}@${r.window_start}`), ['B@0', 'a@10', 'a@20', 'b@0', 'é@0']);
  });
});
