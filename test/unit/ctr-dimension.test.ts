import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checkChangelog, type DimensionVersion, generateDimension, parseChangelog, runEnrichedOracle, versionAt } from '../../src/ctr/dimension.ts';
import type { EventType } from '../../src/ctr/event.ts';
import { generateDataset } from '../../src/ctr/generator.ts';
import { runOracle } from '../../src/ctr/oracle.ts';
import { FLINK_VERSION } from '../../src/stack/flink/config.ts';
import { pinnedPyflinkVersion, REQUIREMENTS } from '../../src/stack/pyflink/venv.ts';

const ev = (event_id: string, product_id: string, event_type: EventType, ts: number) => JSON.stringify({ event_id, user_id: 'u1', product_id, event_type, ts });
const v = (product_id: string, bid_micros: number, valid_from: number, category = 'shoes', advertiser = 'acme'): DimensionVersion => ({ product_id, category, advertiser, bid_micros, valid_from });

test('the version valid at ts is the latest with valid_from <= ts', () => {
  const versions = [v('p1', 100, 0), v('p1', 200, 5_000)];
  assert.equal(versionAt(versions, 'p1', 4_999)?.bid_micros, 100);
  assert.equal(versionAt(versions, 'p1', 5_000)?.bid_micros, 200);
  assert.equal(versionAt(versions, 'p2', 5_000), undefined);
});

test('a bid change mid-window: clicks before it pay the old bid, clicks after it the new one', () => {
  const lines = [ev('a', 'p1', 'click', 1_000), ev('b', 'p1', 'impression', 2_000), ev('c', 'p1', 'click', 6_000), ev('d', 'p1', 'click', 12_000)];
  const out = runEnrichedOracle(lines, [v('p1', 100, 0), v('p1', 250, 5_000)]);
  assert.deepEqual(out.results, [
    { product_id: 'p1', category: 'shoes', advertiser: 'acme', window_start: 0, impressions: 1, clicks: 2, ctr: 2, spend_micros: 350 },
    { product_id: 'p1', category: 'shoes', advertiser: 'acme', window_start: 10_000, impressions: 0, clicks: 1, ctr: null, spend_micros: 250 },
  ]);
});

test('a product entering the catalogue mid-window splits the window into two rows', () => {
  const lines = [ev('a', 'p9', 'click', 1_000), ev('b', 'p9', 'click', 7_000)];
  const out = runEnrichedOracle(lines, [v('p9', 300, 5_000, 'toys', 'globex')]);
  assert.deepEqual(
    out.results.map((r) => [r.category, r.advertiser, r.clicks, r.spend_micros]),
    [['', '', 1, 0], ['toys', 'globex', 1, 300]],
  );
});

test("late, duplicate and invalid lines are not enriched: phase 1's rules come first", () => {
  const lines = [ev('a', 'p1', 'click', 20_000), ev('a', 'p1', 'click', 20_001), ev('b', 'p1', 'click', 1_000), 'not json'];
  const out = runEnrichedOracle(lines, [v('p1', 100, 0)]);
  assert.deepEqual(out.base.counts, { produced: 4, valid: 2, dlq: 1, duplicates: 1, late: 1 });
  assert.deepEqual(out.results.map((r) => [r.window_start, r.clicks, r.spend_micros]), [[20_000, 1, 100]]);
});

test('summed over products, the enriched rows hold exactly the plain oracle\'s counts', () => {
  const lines = generateDataset({ seed: 7, events: 1_500, tricky: true });
  const versions = generateDimension({ seed: 7, products: 8, priceChangeAt: 1_700_000_006_000, entryAt: 1_700_000_009_000 });
  const enriched = runEnrichedOracle(lines, versions);
  const plain = runOracle(lines);
  const sum = (rows: readonly { impressions: number; clicks: number }[]) => rows.reduce((a, r) => ({ i: a.i + r.impressions, c: a.c + r.clicks }), { i: 0, c: 0 });
  assert.deepEqual(sum(enriched.results), sum(plain.results));
  assert.deepEqual(enriched.base, plain);
});

test('the generated changelog: ordered, every product but the last from 0, p01 doubled at the change, the last entering later', () => {
  const d = generateDimension({ seed: 3, products: 4, priceChangeAt: 500, entryAt: 900 });
  assert.doesNotThrow(() => checkChangelog(d));
  assert.deepEqual(d.map((x) => [x.product_id, x.valid_from]), [['p01', 0], ['p02', 0], ['p03', 0], ['p01', 500], ['p04', 900]]);
  assert.equal(d[3]?.bid_micros, (d[0]?.bid_micros ?? 0) * 2);
  assert.deepEqual(generateDimension({ seed: 3, products: 4, priceChangeAt: 500, entryAt: 900 }), d);
});

test('a changelog out of order, or with two versions at one time, is refused with the line', () => {
  assert.throws(() => checkChangelog([v('p1', 1, 10), v('p2', 1, 5)]), /version 2 \(p2\): valid_from 5 is before/);
  assert.throws(() => checkChangelog([v('p1', 1, 10), v('p1', 2, 10)]), /a second version of "p1" at valid_from 10/);
  assert.throws(() => parseChangelog('{"product_id":"p1","category":"x","advertiser":"y","bid_micros":-1,"valid_from":0}'), /line 1: bid_micros must be an integer >= 0/);
  assert.throws(() => parseChangelog('{oops'), /line 1 is not JSON/);
  assert.deepEqual(parseChangelog(`${JSON.stringify(v('p1', 1, 0))}\n\n`), [v('p1', 1, 0)]);
});

test("the venv's apache-flink is the stack's Flink, exactly (the wheel carries its own flink-dist)", () => {
  assert.equal(pinnedPyflinkVersion(readFileSync(REQUIREMENTS, 'utf8')), FLINK_VERSION);
});
