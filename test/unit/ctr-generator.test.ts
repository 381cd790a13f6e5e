import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CtrResult, DlqReason } from '../../src/ctr/event.ts';
import { generateDataset, generateDatasetWithManifest, MALFORMED_KINDS, TRICKY_PRODUCT_IDS, type DatasetOptions, type GeneratedDataset, type MalformedKind } from '../../src/ctr/generator.ts';
import { runOracle, splitLines } from '../../src/ctr/oracle.ts';
import { createRng } from '../../src/ctr/rng.ts';
import { validateLine } from '../../src/ctr/validate.ts';

/** What each malformed kind must be rejected as, by event.ts's rules (written here, not taken from the generator). */
const EXPECTED_REASON: Record<MalformedKind, DlqReason> = {
  truncated_json: 'not_json',
  plain_text: 'not_json',
  json_array: 'not_json',
  empty_line: 'not_json',
  missing_event_id: 'bad_event_id',
  empty_user_id: 'bad_user_id',
  numeric_product_id: 'bad_product_id',
  view_event_type: 'bad_event_type',
  ts_string: 'bad_ts',
  negative_ts: 'bad_ts',
  fractional_ts: 'bad_ts',
  exponent_ts: 'bad_ts',
};

/** Expected results derived from the manifest's base events alone: group, count, sort. No lateness or dedup logic. */
function expectedResults(data: GeneratedDataset): CtrResult[] {
  const cells = new Map<string, CtrResult>();
  for (const { event } of data.manifest.base) {
    const start = event.ts - (event.ts % 10_000);
    const key = JSON.stringify([event.product_id, start]);
    const cell = cells.get(key) ?? { product_id: event.product_id, window_start: start, impressions: 0, clicks: 0, ctr: null };
    if (event.event_type === 'click') cell.clicks += 1;
    else cell.impressions += 1;
    cells.set(key, cell);
  }
  return [...cells.values()]
    .map((c) => ({ ...c, ctr: c.impressions === 0 ? null : c.clicks / c.impressions }))
    .sort((a, b) => (a.product_id === b.product_id ? a.window_start - b.window_start : a.product_id < b.product_id ? -1 : 1));
}

/** Everything the manifest promises, checked against the oracle; also the oracle's invariants. */
function checkAgainstOracle(data: GeneratedDataset, label: string, thorough = true): void {
  const { lines, manifest } = data;
  const out = runOracle(lines);
  const { counts } = out;
  const msg = (what: string): string => `${label}: ${what}`;

  assert.equal(lines.length, manifest.base.length + manifest.duplicates.length + manifest.malformed.length + manifest.late.length, msg('every line is in the manifest'));
  assert.equal(counts.produced, lines.length, msg('produced'));
  assert.equal(counts.produced, counts.valid + counts.dlq + counts.duplicates, msg('produced = valid + dlq + duplicates'));
  const aggregated = out.results.reduce((sum, r) => sum + r.impressions + r.clicks, 0);
  assert.equal(aggregated, counts.valid - counts.late, msg('sum(impressions + clicks) = valid - late'));

  assert.deepEqual(out.dlq.map((d) => [d.line, d.reason]), manifest.malformed.map((m) => [m.line, EXPECTED_REASON[m.kind]]), msg('DLQ lines and reasons'));
  for (const d of out.dlq) assert.equal(d.payload, lines[d.line - 1], msg('DLQ payload is the original line'));
  assert.deepEqual(out.duplicates.map((d) => d.line), manifest.duplicates.map((d) => d.line), msg('duplicate lines'));
  for (const d of manifest.duplicates) assert.equal(lines[d.line - 1], lines[d.of - 1], msg('a duplicate repeats its line exactly'));
  // Base events are never late while jitterMs <= 5 s, and injected late events always are: exactly the injected ones.
  assert.deepEqual(out.late.map((l) => l.line), manifest.late.map((l) => l.line), msg('late lines'));
  assert.equal(counts.valid, manifest.base.length + manifest.late.length, msg('valid = base + late'));
  assert.deepEqual(out.results, expectedResults(data), msg('results = base events grouped by (product, window)'));

  if (!thorough) return; // the slower checks, on a sample of seeds
  for (const { line, event } of manifest.base) assert.deepEqual(validateLine(lines[line - 1] as string), { ok: true, event }, msg(`base line ${line} parses back to its event`));
  assert.deepEqual(runOracle(lines), out, msg('same input -> same output'));
}

const SMALL: Partial<DatasetOptions> = { events: 150, products: 3, duplicateRate: 0.1, malformedRate: 0.1, lateRate: 0.05 };

test('200 seeds of small, messy datasets: manifest and oracle agree, invariants hold', () => {
  const kinds = new Set<MalformedKind>();
  let lateSeen = 0;
  let lateDuplicates = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const data = generateDatasetWithManifest({ ...SMALL, seed });
    checkAgainstOracle(data, `seed ${seed}`, seed % 10 === 0);
    data.manifest.malformed.forEach((m) => kinds.add(m.kind));
    lateSeen += data.manifest.late.length;
    const lateLines = new Set(data.manifest.late.map((l) => l.line));
    lateDuplicates += data.manifest.duplicates.filter((d) => lateLines.has(d.of)).length;
  }
  // The runs above really exercised what they claim to.
  assert.deepEqual([...kinds].sort(), [...MALFORMED_KINDS].sort(), 'every malformed kind occurred');
  assert.ok(lateSeen > 100, `late events injected: ${lateSeen}`);
  assert.ok(lateDuplicates > 0, 'some duplicates re-send a late event');
});

test('tricky datasets: same guarantees, tricky product ids come through intact', () => {
  const products = new Set<string>();
  for (let seed = 1; seed <= 40; seed++) {
    const data = generateDatasetWithManifest({ ...SMALL, events: 300, tricky: true, seed });
    checkAgainstOracle(data, `tricky seed ${seed}`, seed % 4 === 0);
    runOracle(data.lines).results.forEach((r) => products.add(r.product_id));
    for (const line of data.lines) {
      assert.ok(!line.includes('\n'), 'a line never holds a raw newline');
      assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(line), 'no lone surrogates (they would not survive UTF-8)');
    }
    // A file round trip keeps every line, the empty ones included.
    assert.deepEqual(splitLines(`${data.lines.join('\n')}\n`), data.lines);
  }
  for (const p of TRICKY_PRODUCT_IDS) assert.ok(products.has(p), `tricky product ${JSON.stringify(p)} reached the results`);
});

test('default options: the documented shape', () => {
  const data = generateDatasetWithManifest({ seed: 7 });
  checkAgainstOracle(data, 'defaults');
  const { base, duplicates, malformed, late } = data.manifest;
  assert.equal(base.length, 2000);
  assert.deepEqual([...new Set(base.map((b) => b.event.product_id))].sort(), ['p01', 'p02', 'p03', 'p04', 'p05', 'p06', 'p07', 'p08']);
  // Rates are per base event: 2% of 2000 = 40 expected; allow wide binomial slack.
  for (const [name, n, expected] of [['duplicates', duplicates.length, 40], ['malformed', malformed.length, 40], ['late', late.length, 20]] as const) {
    assert.ok(n > expected / 3 && n < expected * 3, `${name}: ${n}, expected about ${expected}`);
  }
  const clicks = base.filter((b) => b.event.event_type === 'click').length;
  assert.ok(clicks > 120 && clicks < 300, `clicks ${clicks} of 2000 at 10%`);
  const withCampaign = base.filter((b) => b.event.campaign_id !== undefined).length;
  assert.ok(withCampaign > 850 && withCampaign < 1150, `campaign_id on ${withCampaign} of 2000 at 50%`);
  // 100 events per second of event time, jitter <= 2 s: base ts within [start - 2 s, start + 20 s).
  for (const { event } of base) assert.ok(event.ts >= 1_700_000_000_000 - 2_000 && event.ts < 1_700_000_020_000, `ts ${event.ts}`);
});

test('deterministic per seed: same options and seed -> identical lines', () => {
  for (const opts of [{ seed: 1 }, { seed: 99, tricky: true }, { ...SMALL, seed: 12345 }, { seed: -3, events: 50 }]) {
    assert.deepEqual(generateDataset(opts), generateDataset({ ...opts }));
  }
});

test('different seeds -> different datasets', () => {
  const seen = new Set<string>();
  for (let seed = 0; seed < 50; seed++) seen.add(generateDataset({ seed, events: 20 }).join('\n'));
  assert.equal(seen.size, 50);
});

test('options shape the data: no mess at rates 0, exact nominal times without jitter', () => {
  const data = generateDatasetWithManifest({ seed: 3, events: 500, ratePerSecond: 50, startTs: 0, jitterMs: 0, duplicateRate: 0, malformedRate: 0, lateRate: 0, campaignRate: 0, extraFieldRate: 0 });
  assert.equal(data.lines.length, 500);
  // 50 per second -> 20 ms apart, from 0.
  assert.deepEqual(data.manifest.base.map((b) => b.event.ts), Array.from({ length: 500 }, (_, i) => i * 20));
  for (const line of data.lines) assert.deepEqual(Object.keys(JSON.parse(line) as object), ['event_id', 'user_id', 'product_id', 'event_type', 'ts']);
  const out = runOracle(data.lines);
  assert.deepEqual(out.counts, { produced: 500, valid: 500, dlq: 0, duplicates: 0, late: 0 });
  // 500 events x 20 ms = 10 s: all in window [0, 10000).
  assert.deepEqual([...new Set(out.results.map((r) => r.window_start))], [0]);
});

test('campaignRate 1, extraFieldRate 1, clickRate 1: every event has them; clicks only -> ctr null', () => {
  const data = generateDatasetWithManifest({ seed: 5, events: 200, campaignRate: 1, extraFieldRate: 1, clickRate: 1, malformedRate: 0 });
  for (const { line, event } of data.manifest.base) {
    assert.equal(typeof event.campaign_id, 'string');
    assert.equal(event.event_type, 'click');
    const keys = Object.keys(JSON.parse(data.lines[line - 1] as string) as object);
    assert.ok(keys.length > 6, `extra fields in ${keys.join(',')}`);
  }
  const out = runOracle(data.lines);
  assert.ok(out.results.length > 0);
  for (const r of out.results) assert.equal(r.ctr, null);
  checkAgainstOracle(data, 'all extras');
});

test('jitter at the watermark delay (5 s) is still never late; late events still are', () => {
  for (let seed = 1; seed <= 30; seed++) {
    checkAgainstOracle(generateDatasetWithManifest({ ...SMALL, jitterMs: 5_000, ratePerSecond: 20, seed }), `jitter 5000 seed ${seed}`);
  }
});

test('with jitter beyond the watermark delay, base events may be late too, but every injected late event is late', () => {
  let extraLate = 0;
  // Dense (20/s: many base events, some late) and sparse (one per 100 s: the watermark comes from
  // the last base event alone, so a late event needs the full jitter + 15 s lag to be late).
  const configs = [{ jitterMs: 30_000, ratePerSecond: 20 }, { jitterMs: 50_000, ratePerSecond: 0.01 }];
  for (let seed = 1; seed <= 60; seed++) {
    const data = generateDatasetWithManifest({ ...SMALL, ...configs[seed % 2], seed });
    const out = runOracle(data.lines);
    const late = new Set(out.late.map((l) => l.line));
    for (const { line } of data.manifest.late) assert.ok(late.has(line), `seed ${seed}: injected late line ${line} is late`);
    extraLate += out.late.length - data.manifest.late.length;
    assert.equal(out.counts.produced, out.counts.valid + out.counts.dlq + out.counts.duplicates);
    assert.equal(out.results.reduce((s, r) => s + r.impressions + r.clicks, 0), out.counts.valid - out.counts.late);
  }
  assert.ok(extraLate > 0, 'with 30 s of jitter some base events are late as well');
});

test('late events near time 0 are skipped rather than given a negative ts', () => {
  const data = generateDatasetWithManifest({ seed: 8, events: 300, startTs: 0, lateRate: 0.5 });
  checkAgainstOracle(data, 'start at 0');
  for (const { event } of data.manifest.late) assert.ok(event.ts >= 0);
  // Nominal time reaches 20 s only at event 2000 (100/s): no late event (>= 20 s behind) fits.
  assert.equal(data.manifest.late.length, 0);
  // Later on they do: up to 60 s of event time.
  const longer = generateDatasetWithManifest({ seed: 8, events: 6000, startTs: 0, lateRate: 0.05 });
  checkAgainstOracle(longer, 'start at 0, 60 s');
  assert.ok(longer.manifest.late.length > 0);
  for (const { event } of longer.manifest.late) assert.ok(event.ts >= 0 && event.ts <= 40_000, `late ts ${event.ts}`);
});

test('bad options are refused', () => {
  assert.throws(() => generateDataset({ seed: 1, events: -1 }), RangeError);
  assert.throws(() => generateDataset({ seed: 1, events: 1.5 }), RangeError);
  assert.throws(() => generateDataset({ seed: 1, products: 0 }), RangeError);
  assert.throws(() => generateDataset({ seed: 1, ratePerSecond: 0 }), RangeError);
  assert.throws(() => generateDataset({ seed: 1, clickRate: 1.5 }), RangeError);
  assert.throws(() => generateDataset({ seed: 1, duplicateRate: -0.1 }), RangeError);
  assert.throws(() => generateDataset({ seed: 1, startTs: -1 }), RangeError);
  assert.throws(() => generateDataset({ seed: 1, startTs: 999_999_999_999_999 }), RangeError);
  assert.throws(() => generateDataset({ seed: Number.NaN }), RangeError);
  assert.deepEqual(generateDataset({ seed: 1, events: 0 }), []);
});

test('rng: deterministic, in range, roughly uniform', () => {
  const a = createRng(42);
  const b = createRng(42);
  const seqA = Array.from({ length: 100 }, () => a.next());
  assert.deepEqual(seqA, Array.from({ length: 100 }, () => b.next()));
  assert.notDeepEqual(seqA, Array.from({ length: 100 }, () => createRng(43).next()).slice(0, 100));
  const r = createRng(1);
  const buckets = new Array<number>(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const f = r.float();
    assert.ok(f >= 0 && f < 1);
    const k = r.int(10);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 10);
    buckets[k] = (buckets[k] ?? 0) + 1;
  }
  // 10,000 expected per bucket; sd ~95: +-600 is > 6 sd.
  for (const n of buckets) assert.ok(Math.abs(n - 10_000) < 600, `bucket ${n}`);
  let hits = 0;
  for (let i = 0; i < 100_000; i++) if (r.chance(0.1)) hits++;
  assert.ok(Math.abs(hits - 10_000) < 600, `chance(0.1): ${hits}`);
  assert.equal(createRng(2).chance(0), false);
  assert.equal(createRng(2).chance(1), true);
  const picked = new Set<string>();
  for (let i = 0; i < 200; i++) picked.add(r.pick(['x', 'y', 'z']));
  assert.deepEqual([...picked].sort(), ['x', 'y', 'z']);
  assert.throws(() => r.pick([]), RangeError);
  assert.throws(() => r.int(0), RangeError);
});
