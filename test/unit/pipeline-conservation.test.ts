import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CtrResult } from '../../src/ctr/event.ts';
import { interleave, runInterleaved } from '../../src/ctr/interleaving.ts';
import type { OracleOutput } from '../../src/ctr/oracle.ts';
import { runOracle } from '../../src/ctr/oracle.ts';
import { realisticTraffic, trafficPartitions, trafficTexts } from '../../src/ctr/realistic.ts';
import { conservationCheck, exactRunCheck, interleavingCheckSpecs, interleavingChecks, type ObservedRun, untouchedWindowsCheck, validEvents } from '../../src/pipeline/conservation.ts';

const traffic = realisticTraffic({ seed: 5, durationMs: 90_000, idle: { fromMs: 30_000, toMs: 60_000 } });
const input = { texts: trafficTexts(traffic), partitions: trafficPartitions(traffic) };
const valid = validEvents(input.texts);

/** What a correct pipeline that read the partitions in one interleaving leaves behind. */
const observed = (o: OracleOutput): ObservedRun => ({ rows: o.results, late: o.late.map((l) => ({ event_id: l.event.event_id, window_start: l.windowStart })) });
const runs = [1, 2, 3, 4].map((seed) => observed(runInterleaved(input, interleave(input.partitions, seed))));
const lateRun = runs.find((r) => r.late.length > 0) as ObservedRun;

/** The rows with one more (or less) impression or click in one window; the window's row is added if it had none. */
function bump(rows: readonly CtrResult[], product_id: string, window_start: number, type: 'impressions' | 'clicks', by: number): CtrResult[] {
  const at = (r: CtrResult) => r.product_id === product_id && r.window_start === window_start;
  const old = rows.find(at) ?? { product_id, window_start, impressions: 0, clicks: 0, ctr: null };
  const next = { ...old, [type]: old[type] + by };
  return [...rows.filter((r) => !at(r)), { ...next, ctr: next.impressions === 0 ? null : next.clicks / next.impressions }];
}

test('every correct interleaving passes both checks, though each has its own late events', () => {
  assert.ok(new Set(runs.map((r) => r.late.length)).size > 1, 'the interleavings differ in what is late');
  for (const run of runs) for (const c of interleavingChecks('ClickHouse', valid, run)) assert.ok(c.ok, `${c.name}: ${c.actual}\n${c.details?.join('\n')}`);
  assert.deepEqual(interleavingChecks('Iceberg', valid, lateRun).map((c) => c.name), interleavingCheckSpecs('Iceberg').map((c) => c.name));
});

test('conservation fails when a late event is also counted in its window', () => {
  const [first] = lateRun.late;
  assert.ok(first);
  const e = valid.events.find((x) => x.event_id === first.event_id);
  assert.ok(e);
  const c = conservationCheck('ClickHouse', valid, { ...lateRun, rows: bump(lateRun.rows, e.product_id, first.window_start, e.event_type === 'click' ? 'clicks' : 'impressions', 1) });
  assert.equal(c.ok, false);
  assert.match(c.details?.join('\n') ?? '', /1 counted twice \(or both counted and late\)/);
});

test('conservation fails when a late event is missing from both the window and the late topic', () => {
  const c = conservationCheck('ClickHouse', valid, { ...lateRun, late: lateRun.late.slice(1) });
  assert.equal(c.ok, false);
  assert.match(c.details?.join('\n') ?? '', /1 neither counted nor late/);
});

test('conservation fails when the late-routing rule is removed: late events vanish, as Flink\'s window drops them silently', () => {
  // The pipeline without its late branch (40-insert.sql's INSERT INTO late): the windows are the same, the late topic empty.
  const c = conservationCheck('ClickHouse', valid, { rows: lateRun.rows, late: [] });
  assert.equal(c.ok, false);
  // One problem per (product, window, event type) that had a late event: each is short by its late events.
  const byId = new Map(valid.events.map((e) => [e.event_id, e]));
  const cells = new Set(lateRun.late.map((l) => { const e = byId.get(l.event_id); return JSON.stringify([e?.product_id, l.window_start, e?.event_type]); }));
  assert.match(c.actual, new RegExp(`; ${cells.size} problem`));
  assert.ok(c.details?.every((d) => /neither counted nor late/.test(d) || /^\.\.\. and/.test(d)));
});

test('conservation fails on a late record that is no valid event, one sent twice, and one filed under the wrong window', () => {
  const [first] = lateRun.late;
  assert.ok(first);
  const check = (late: ObservedRun['late']) => conservationCheck('ClickHouse', valid, { ...lateRun, late }).details?.join('\n') ?? '';
  assert.match(check([...lateRun.late, { event_id: 'nobody', window_start: 0 }]), /"nobody" is not a valid, deduplicated event/);
  assert.match(check([...lateRun.late, first]), /more than once/);
  assert.match(check(lateRun.late.map((l, i) => (i === 0 ? { ...l, window_start: l.window_start + 10_000 } : l))), /says window/);
});

test('a window no late event belongs to must equal the oracle; a touched one is left to conservation', () => {
  const lateIds = new Set(lateRun.late.map((l) => l.event_id));
  const untouched = valid.totals.find((r) => !valid.events.some((e) => lateIds.has(e.event_id) && e.product_id === r.product_id && r.window_start === e.ts - (e.ts % 10_000)));
  assert.ok(untouched);
  const bad = untouchedWindowsCheck('ClickHouse', valid, { ...lateRun, rows: bump(lateRun.rows, untouched.product_id, untouched.window_start, 'clicks', 1) });
  assert.equal(bad.ok, false);
  assert.match(bad.details?.join('\n') ?? '', /differs/);
  const missing = untouchedWindowsCheck('ClickHouse', valid, { ...lateRun, rows: lateRun.rows.filter((r) => r.product_id !== untouched.product_id || r.window_start !== untouched.window_start) });
  assert.equal(missing.ok, false);
  assert.ok(untouchedWindowsCheck('ClickHouse', valid, lateRun).ok);
});

test('the exact check: a steady run equals the oracle in every interleaving; an idle run\'s does not, nor a steady run with one late record', () => {
  const steady = realisticTraffic({ seed: 5, mode: 'steady', durationMs: 90_000 });
  const steadyInput = { texts: trafficTexts(steady), partitions: trafficPartitions(steady) };
  const oracle = runOracle(steadyInput.texts);
  for (const seed of [1, 2, 3]) assert.ok(exactRunCheck(oracle, observed(runInterleaved(steadyInput, interleave(steadyInput.partitions, seed)))).ok);
  const idleOracle = runOracle(input.texts);
  assert.ok(runs.some((r) => !exactRunCheck(idleOracle, r).ok), 'an idle run differs from the one-order oracle in some interleaving');
  const good = observed(runInterleaved(steadyInput, interleave(steadyInput.partitions, 1)));
  const withLate = exactRunCheck(oracle, { ...good, late: [{ event_id: 'x', window_start: 0 }] });
  assert.equal(withLate.ok, false);
  assert.match(withLate.details?.join('\n') ?? '', /unexpected late record "x"/);
});
