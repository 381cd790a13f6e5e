import assert from 'node:assert/strict';
import { test } from 'node:test';
import { YEAR_MS } from '../../src/ctr/clock.ts';
import { WINDOW_MS, windowStart } from '../../src/ctr/event.ts';
import { interleave, runInterleaved } from '../../src/ctr/interleaving.ts';
import { runOracle } from '../../src/ctr/oracle.ts';
import { keyPartition } from '../../src/ctr/partition.ts';
import { type RealisticTraffic, realisticTraffic, trafficPartitions, trafficTexts, trafficTimestamps } from '../../src/ctr/realistic.ts';
import { validateLine } from '../../src/ctr/validate.ts';
import { zipf } from '../../src/ctr/zipf.ts';

const SHORT = { durationMs: 60_000, idle: { fromMs: 20_000, toMs: 40_000 } };
const idleRun = realisticTraffic({ seed: 11 });
const steadyRun = realisticTraffic({ seed: 11, mode: 'steady' });

test('the same seed gives the same traffic, line for line; another seed another', () => {
  assert.deepEqual(realisticTraffic({ seed: 11 }), idleRun);
  assert.notDeepEqual(trafficTexts(realisticTraffic({ seed: 12 })), trafficTexts(idleRun));
});

test("keys: murmur2 as Kafka's Java client computes it (vectors from Kafka's own tests)", () => {
  // Utils.murmur2 of these keys: 21 -> -973932308, foobar -> -790332482, abc -> 479470107.
  for (const [key, hash] of [['21', -973932308], ['foobar', -790332482], ['abc', 479470107]] as const) {
    assert.equal(keyPartition(key, 1000), (hash & 0x7fffffff) % 1000, key);
  }
});

test('each line goes to the partition of its key; within the file, record timestamps never go back', () => {
  for (const l of idleRun.lines) {
    assert.equal(l.partition, keyPartition(l.key, 6));
    const v = validateLine(l.line);
    if (v.ok) assert.equal(l.key, v.event.product_id);
  }
  const ts = trafficTimestamps(idleRun);
  assert.ok(ts.every((t, i) => i === 0 || t >= (ts[i - 1] as number)));
});

test('popularity is Zipf-like and the partitions carry uneven load, every one some', () => {
  const counts = new Map<string, number>();
  for (const b of steadyRun.manifest.base) counts.set(b.event.product_id, (counts.get(b.event.product_id) ?? 0) + 1);
  const shares = zipf(40, 1.1).shares;
  const n = steadyRun.manifest.base.length;
  assert.ok(Math.abs((counts.get('p01') ?? 0) / n - (shares[0] as number)) < 0.02, 'p01 takes its Zipf share');
  assert.ok((counts.get('p01') ?? 0) > 10 * (counts.get('p30') ?? 0), 'the head is far above the tail');
  const load = [0, 0, 0, 0, 0, 0];
  for (const l of steadyRun.lines) load[l.partition] = (load[l.partition] as number) + 1;
  assert.ok(Math.min(...load) > 0);
  assert.ok(Math.max(...load) > 10 * Math.min(...load), `uneven: ${load.join(' ')}`);
  assert.throws(() => realisticTraffic({ seed: 1, products: 24 }), /no product id hashes to partition 0/);
});

test('disorder is bounded: a base event is at most maxDisorderMs older than its record timestamp, never newer', () => {
  for (const b of idleRun.manifest.base) {
    const lag = (idleRun.lines[b.line - 1]?.timestamp as number) - b.event.ts;
    assert.ok(lag >= 0 && lag <= idleRun.options.maxDisorderMs, `line ${b.line}: ${lag}`);
  }
});

test('the idle partition carries nothing during its stretch and comes back after it', () => {
  const idle = idleRun.manifest.idle;
  assert.ok(idle);
  const on = idleRun.lines.filter((l) => l.partition === idle.partition);
  assert.equal(on.filter((l) => l.timestamp >= idle.from && l.timestamp < idle.to).length, 0);
  assert.ok(on.some((l) => l.timestamp < idle.from) && on.some((l) => l.timestamp >= idle.to));
  assert.equal(steadyRun.manifest.idle, undefined);
  assert.ok(steadyRun.lines.some((l) => l.partition === idle.partition && l.timestamp >= idle.from && l.timestamp < idle.to));
});

test('the two modes cut one traffic: the idle run is the steady run without the stretch, plus the stragglers', () => {
  const idle = idleRun.manifest.idle as NonNullable<RealisticTraffic['manifest']['idle']>;
  const inStretch = (line: number, t: RealisticTraffic) => {
    const l = t.lines[line - 1];
    return l !== undefined && l.partition === idle.partition && l.timestamp >= idle.from && l.timestamp < idle.to;
  };
  const steadyBase = steadyRun.manifest.base.filter((b) => !inStretch(b.line, steadyRun)).map((b) => b.event);
  assert.deepEqual(idleRun.manifest.base.map((b) => b.event), steadyBase);
  assert.ok(idleRun.manifest.stragglers.length > 0);
  assert.equal(steadyRun.manifest.stragglers.length, 0);
});

test('duplicates are retries: the text of a recent valid line, in its partition; malformed lines reuse the generator\'s kinds', () => {
  assert.ok(idleRun.manifest.duplicates.length > 50);
  for (const d of idleRun.manifest.duplicates) {
    const [copy, original] = [idleRun.lines[d.line - 1], idleRun.lines[d.of - 1]];
    assert.equal(copy?.line, original?.line);
    assert.equal(copy?.partition, original?.partition);
  }
  const o = runOracle(trafficTexts(idleRun));
  assert.equal(o.counts.duplicates, idleRun.manifest.duplicates.length);
  assert.equal(o.counts.dlq, idleRun.manifest.malformed.length);
  assert.ok(new Set(idleRun.manifest.malformed.map((m) => m.kind)).size >= 8);
});

test('the oracle (one order) finds exactly the stragglers late; in a steady run nothing is late', () => {
  const o = runOracle(trafficTexts(idleRun));
  assert.deepEqual(o.late.map((l) => l.event.event_id), idleRun.manifest.stragglers.map((s) => s.event.event_id));
  for (const seed of [1, 2, 3]) assert.equal(runOracle(trafficTexts(realisticTraffic({ seed, mode: 'steady', ...SHORT }))).counts.late, 0);
});

test('a steady run has no late event in any interleaving of its partitions; an idle run\'s late events depend on it', () => {
  const steady = realisticTraffic({ seed: 11, mode: 'steady', durationMs: 90_000 });
  const input = { texts: trafficTexts(steady), partitions: trafficPartitions(steady) };
  const oracle = runOracle(input.texts);
  for (const seed of [1, 2, 3, 4, 5]) {
    const o = runInterleaved(input, interleave(input.partitions, seed, 1 + seed * 150));
    assert.equal(o.counts.late, 0, `interleaving ${seed}`);
    assert.deepEqual(o.results, oracle.results);
  }
  const idleInput = { texts: trafficTexts(idleRun), partitions: trafficPartitions(idleRun) };
  const lateCounts = new Set([1, 2, 3, 4, 5].map((seed) => runInterleaved(idleInput, interleave(idleInput.partitions, seed)).counts.late));
  assert.ok(lateCounts.size > 1, `late counts ${[...lateCounts].join(', ')}`);
});

test('a burst from a clock a year ahead: without the rule every later event is late; with it the burst is in the DLQ and nothing else changes', () => {
  const t = realisticTraffic({ seed: 11, clockBurst: { atMs: 120_000, events: 60 } });
  assert.equal(t.manifest.burst.length, 60);
  assert.deepEqual(new Set(t.manifest.burst.map((b) => t.lines[b.line - 1]?.partition)), new Set([0, 1, 2, 3, 4, 5]), 'the burst reaches every partition');
  for (const b of t.manifest.burst) assert.equal(b.event.ts - (t.lines[b.line - 1]?.timestamp as number), YEAR_MS);
  const off = runOracle(trafficTexts(t));
  const afterBurst = idleRun.manifest.base.filter((b) => (idleRun.lines[b.line - 1]?.timestamp as number) > t.options.startTs + 120_000).length;
  assert.ok(off.counts.late > afterBurst, `late ${off.counts.late}, base events after the burst ${afterBurst}`);
  const on = runOracle(trafficTexts(t), { clock: { recordTimestamps: trafficTimestamps(t) } });
  const without = runOracle(trafficTexts(idleRun));
  assert.equal(on.dlq.filter((d) => d.reason === 'future_ts').length, 60);
  assert.deepEqual(on.results, without.results);
  assert.deepEqual(on.late.map((l) => l.event.event_id), without.late.map((l) => l.event.event_id));
});

test('the dimension changelog changes p01\'s bid at a window boundary mid-run and adds the last product a quarter in', () => {
  const { dimension, options } = idleRun;
  const p01 = dimension.filter((v) => v.product_id === 'p01');
  assert.equal(p01.length, 2);
  const change = p01[1]?.valid_from as number;
  assert.equal(change % WINDOW_MS, 0);
  assert.equal(change, windowStart(options.startTs + options.durationMs / 2 + WINDOW_MS - 1));
  assert.equal(p01[1]?.bid_micros, 2 * (p01[0]?.bid_micros as number));
  assert.deepEqual(dimension.filter((v) => v.product_id === 'p40').map((v) => v.valid_from), [options.startTs + options.durationMs / 4]);
});

test('bad options are refused with what to change', () => {
  assert.throws(() => realisticTraffic({ seed: 1, mode: 'steady', maxDisorderMs: 6_000 }), /watermark delay/);
  assert.throws(() => realisticTraffic({ seed: 1, idle: { partition: 6 } }), /idle.partition/);
  assert.throws(() => realisticTraffic({ seed: 1, clockBurst: { aheadMs: 5_000 } }), /beyond the allowed skew/);
  assert.throws(() => realisticTraffic({ seed: 1, clockBurst: { atMs: 180_000 } }), /within the run/);
});
