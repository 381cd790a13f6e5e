/**
 * The judge: the functions that decide pass or fail for every lab. Each way rows can be wrong
 * must fail with the row named; equal inputs must pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CtrResult } from '../../src/ctr/event.ts';
import { compareCount, compareResults, compareTally, tally } from '../../src/lab/compare.ts';

const row = (product_id: string, window_start: number, impressions: number, clicks: number): CtrResult => ({
  product_id,
  window_start,
  impressions,
  clicks,
  ctr: impressions === 0 ? null : clicks / impressions,
});

const EXPECTED: CtrResult[] = [row('p1', 0, 4, 1), row('p1', 10_000, 2, 2), row('p2', 0, 0, 1)];

describe('compareResults', () => {
  it('passes equal rows, whatever their order', () => {
    const r = compareResults('rows', EXPECTED, [...EXPECTED].reverse());
    assert.equal(r.ok, true);
    assert.equal(r.actual, '3 rows, all equal');
    assert.equal(r.details, undefined);
  });

  it('fails a missing row and names it', () => {
    const r = compareResults('rows', EXPECTED, EXPECTED.slice(1));
    assert.equal(r.ok, false);
    assert.deepEqual(r.details, ['missing   "p1" @ 0: impressions=4 clicks=1 ctr=0.25']);
  });

  it('fails an extra row and names it', () => {
    const r = compareResults('rows', EXPECTED, [...EXPECTED, row('p3', 0, 1, 0)]);
    assert.equal(r.ok, false);
    assert.deepEqual(r.details, ['unexpected "p3" @ 0: impressions=1 clicks=0 ctr=0']);
  });

  it('fails a duplicated row (the same key twice), even with equal values', () => {
    const r = compareResults('rows', EXPECTED, [...EXPECTED, EXPECTED[0] as CtrResult]);
    assert.equal(r.ok, false);
    assert.match(r.details?.join('\n') ?? '', /1 duplicate row\(s\) for the same \(product_id, window_start\)/);
  });

  it('fails each differing field: impressions, clicks, and ctr alone (null against 0)', () => {
    for (const bad of [
      { ...EXPECTED[0], impressions: 5 },
      { ...EXPECTED[0], clicks: 0 },
      { ...EXPECTED[0], ctr: 0.2500001 },
    ] as CtrResult[]) {
      const r = compareResults('rows', EXPECTED, [bad, ...EXPECTED.slice(1)]);
      assert.equal(r.ok, false, JSON.stringify(bad));
      assert.match(r.details?.[0] ?? '', /^differs   expected "p1" @ 0: .*\n\s+actual   "p1" @ 0: /);
    }
    const nullCtr = compareResults('rows', EXPECTED, [...EXPECTED.slice(0, 2), { ...(EXPECTED[2] as CtrResult), ctr: 0 }]);
    assert.equal(nullCtr.ok, false, 'ctr 0 is not ctr null (no impressions)');
  });

  it('keys rows by product and window: the same numbers under another key are wrong', () => {
    const r = compareResults('rows', [row('a b', 0, 1, 1)], [row('a', 0, 1, 1)]);
    assert.equal(r.ok, false);
    assert.equal(r.details?.length, 2);
  });

  it('counts every bad row but shows at most maxDetails of them', () => {
    const many = Array.from({ length: 30 }, (_, i) => row(`p${i}`, 0, 1, 0));
    const r = compareResults('rows', many, [], 5);
    assert.equal(r.actual, '0 rows, 30 differ');
    assert.equal(r.details?.length, 6);
    assert.equal(r.details?.at(-1), '... and 25 more');
  });

  it('an empty expectation passes only an empty result', () => {
    assert.equal(compareResults('rows', [], []).ok, true);
    assert.equal(compareResults('rows', [], [row('p', 0, 1, 0)]).ok, false);
  });
});

describe('compareCount and compareTally', () => {
  it('counts pass only when equal', () => {
    assert.deepEqual(compareCount('n', 3, 3), { name: 'n', expected: '3', actual: '3', ok: true });
    assert.equal(compareCount('n', 3, 4).ok, false);
    assert.equal(compareCount('n', 0, 1).ok, false);
  });

  it('tallies fail on any key that differs, a missing key included, and name it', () => {
    assert.equal(compareTally('t', { a: 2, b: 1 }, { b: 1, a: 2 }).ok, true);
    const r = compareTally('t', { a: 2, b: 1 }, { a: 2 });
    assert.equal(r.ok, false);
    assert.deepEqual(r.details, ['b: expected 1, actual 0']);
    assert.equal(compareTally('t', {}, { c: 1 }).ok, false);
  });

  it('tally counts by key', () => {
    assert.deepEqual(tally(['x', 'y', 'x'], (s) => s), { x: 2, y: 1 });
  });
});
