/**
 * Phase 5's checks, as data (the lesson page lists them) and per run. Exact where the traffic
 * allows it (a steady run: nothing can be late in any interleaving), interleaving-tolerant where it
 * does not (the idle run: src/pipeline/conservation.ts), and the broken clock's damage measured
 * against the oracle's own account of the burst.
 */
import type { EnrichedResult } from '../../src/ctr/dimension.ts';
import { windowStart } from '../../src/ctr/event.ts';
import { compareCount, compareTally, tally } from '../../src/lab/compare.ts';
import type { CheckResult, CheckSpec } from '../../src/lab/contract.ts';
import { conservationCheck, interleavingChecks, interleavingCheckSpecs, validEvents } from '../../src/pipeline/conservation.ts';
import { compareEnriched, perProductWindow } from '../../src/pipeline/enrich/compare.ts';
import { compareRecords } from '../../src/pipeline/checks.ts';
import { trafficTexts } from '../../src/ctr/realistic.ts';
import type { DrillRecord } from './drills.ts';
import { burstArrival, enrichedOracle, type Run } from './run.ts';
import type { ShapeRecord } from './shape.ts';

export const CHECK = {
  shape: 'realistic shape: three brokers, two TaskManagers, replicated topics',
  steadyClickHouse: 'steady run: ClickHouse equals the oracle (enriched rows)',
  steadyIceberg: 'steady run: Iceberg equals the oracle (enriched rows)',
  steadySide: 'steady run: DLQ reasons (future_ts included), duplicates and late equal the oracle',
  broker: 'broker stop: zero job restarts, two copies in sync meanwhile, three after',
  idleEnriched: 'idle run: enriched windows without late events equal the oracle, Iceberg equals ClickHouse',
  idleSide: 'idle run: DLQ reasons and duplicates equal the oracle',
  tmRestart: 'TaskManager kill: the job restarted from a checkpoint and finished',
  tmExact: 'TaskManager kill: ClickHouse, Iceberg and the side topics equal the oracle',
  clockOff: 'broken clock, rule off: results stop and the late topic floods',
} as const;

const IDLE_CH = 'ClickHouse, idle run';
const IDLE_ICE = 'Iceberg, idle run';
const CLOCK_OFF = 'ClickHouse, rule off';

export const PHASE_5_CHECKS: readonly CheckSpec[] = [
  { name: CHECK.shape, explain: 'The cluster\'s metadata lists brokers 1, 2 and 3; every topic of the run has 6 partitions with three copies in sync and min.insync.replicas=2; the JobManager counts two TaskManagers and four slots.' },
  { name: CHECK.steadyClickHouse, explain: 'Steady traffic on 6 partitions (no idle partition, disorder within the watermark delay) with a broken-clock burst and the rule on: nothing can be late in any interleaving, so every enriched ClickHouse row (product, category, advertiser, window, counts, spend) equals the oracle exactly.' },
  { name: CHECK.steadyIceberg, explain: 'The Iceberg table, read back with a Flink batch query, holds exactly the same rows: committed on checkpoints, none twice.' },
  { name: CHECK.steadySide, explain: 'DLQ per reason (the burst as future_ts), duplicates and late events (none) equal the oracle given the record timestamps.' },
  { name: CHECK.broker, explain: 'kafka-2 stopped during the steady run and started again: the input topic kept two copies in sync meanwhile and three after, and the job\'s exception history is empty: no restart.' },
  ...interleavingCheckSpecs(IDLE_CH),
  ...interleavingCheckSpecs(IDLE_ICE),
  { name: CHECK.idleEnriched, explain: 'The idle run\'s enriched ClickHouse rows equal the oracle\'s in every window no late record belongs to, and the Iceberg table holds the same rows as ClickHouse.' },
  { name: CHECK.idleSide, explain: 'DLQ per reason and duplicates do not depend on interleaving: they equal the oracle exactly.' },
  { name: CHECK.tmRestart, explain: 'The TaskManager running the job killed with kill -9 after a checkpoint: the job\'s exception history shows at least one restart, and the job still finished.' },
  { name: CHECK.tmExact, explain: 'After the restore, every enriched row in ClickHouse and in Iceberg equals the oracle, and so do the DLQ per reason, the duplicates and the late events read with read_committed: Kafka transactions and Iceberg commits follow the checkpoints, so nothing is counted or written twice, nothing lost.' },
  { name: CHECK.clockOff, explain: 'The same burst with the rule off: the watermark jumps a year ahead, so every valid event arriving 20 s or more after the burst is on the late topic and no window after it reaches ClickHouse (the oracle, run on the same lines, says which events those are).' },
  ...interleavingCheckSpecs(CLOCK_OFF).slice(0, 1),
];

/** A check left out of this run (short form, shared stack), with the reason; the table prints "skipped". */
export const skipped = (name: string, why: string): CheckResult => ({ name, expected: '-', actual: why, ok: true, skipped: true });

export function shapeCheck(s: ShapeRecord | undefined): CheckResult {
  const want = 'brokers 1,2,3; 2 TaskManagers, 4 slots; 6 partitions x 3 in sync, min ISR 2';
  if (!s) return { name: CHECK.shape, expected: want, actual: 'not measured', ok: false };
  const actual = `brokers ${s.brokers.join(',')}; ${s.taskManagers} TaskManagers, ${s.slots} slots; ${s.partitions} partitions x ${s.minIsr === s.maxIsr ? s.minIsr : `${s.minIsr}-${s.maxIsr}`} in sync, min ISR ${s.minInsyncReplicas}`;
  return { name: CHECK.shape, expected: want, actual, ok: actual === want };
}

const out = (r: Run) => {
  if (!r.out) throw new Error(`the ${r.spec.id} run collected nothing`);
  return r.out;
};

/** Exact checks of a run in which nothing can be late: enriched rows in both sinks, side outputs. */
export function exactChecks(r: Run, names: { clickhouse: string; iceberg?: string; side?: string }): CheckResult[] {
  const o = out(r);
  const oracle = enrichedOracle(r, false);
  const checks = [compareEnriched(names.clickhouse, oracle.results, o.clickhouse)];
  if (names.iceberg) checks.push(compareEnriched(names.iceberg, oracle.results, o.iceberg));
  else {
    const ice = compareEnriched(names.clickhouse, oracle.results, o.iceberg);
    const ch = checks[0] as CheckResult;
    checks[0] = { ...ch, expected: `${ch.expected} in ClickHouse and in Iceberg`, actual: `ClickHouse: ${ch.actual}; Iceberg: ${ice.actual}`, ok: ch.ok && ice.ok, ...(ch.ok && ice.ok ? {} : { details: [...(ch.details ?? []).map((d) => `ClickHouse ${d}`), ...(ice.details ?? []).map((d) => `Iceberg ${d}`)] }) };
  }
  if (names.side) checks.push(sideCheck(names.side, r, true));
  return checks;
}

/** DLQ per reason and duplicates (and, when `late`, the late count) against the single-order oracle. */
function sideCheck(name: string, r: Run, late: boolean): CheckResult {
  const o = out(r);
  const base = enrichedOracle(r, false).base;
  const reasons = compareTally('dlq', tally(base.dlq, (d) => d.reason), tally(o.dlq, (d) => d.reason));
  // Which records differ, when the counts do: the payloads say which line was lost or written twice.
  const records = reasons.ok ? reasons : { ...reasons, details: [...(reasons.details ?? []), ...(compareRecords('dlq', base.dlq, o.dlq).details ?? [])] };
  const parts = [
    records,
    compareCount('duplicates', base.counts.duplicates, o.duplicates.length),
    ...(late ? [compareCount('late', base.counts.late, o.late.length)] : []),
  ];
  return {
    name,
    expected: parts.map((p) => `${p.name} ${p.expected}`).join('; '),
    actual: parts.map((p) => `${p.name} ${p.actual}`).join('; '),
    ok: parts.every((p) => p.ok),
    ...(parts.some((p) => p.details) ? { details: parts.flatMap((p) => (p.details ?? []).map((d) => `${p.name}: ${d}`)) } : {}),
  };
}

export function brokerCheck(d: DrillRecord | undefined): CheckResult {
  const want = '0 restarts; 2 in sync during, 3 after';
  if (!d) return { name: CHECK.broker, expected: want, actual: 'the drill did not run', ok: false };
  const actual = `${d.restarts} restarts; ${d.isrDuring} in sync during, ${d.isrAfter} after`;
  return { name: CHECK.broker, expected: want, actual, ok: actual === want };
}

/** The idle run: conservation and untouched windows in both sinks, enriched untouched windows, side outputs. */
export function idleChecks(r: Run): CheckResult[] {
  const o = out(r);
  const texts = trafficTexts(r.traffic);
  const valid = validEvents(texts, r.params);
  const checks = [...interleavingChecks(IDLE_CH, valid, { rows: perProductWindow(o.clickhouse), late: o.late }), ...interleavingChecks(IDLE_ICE, valid, { rows: perProductWindow(o.iceberg), late: o.late })];
  const productOf = new Map(valid.events.map((e) => [e.event_id, e.product_id]));
  const touched = new Set(o.late.map((l) => JSON.stringify([productOf.get(l.event_id) ?? '', l.window_start])));
  const untouched = (x: EnrichedResult) => !touched.has(JSON.stringify([x.product_id, x.window_start]));
  const enriched = compareEnriched(CHECK.idleEnriched, enrichedOracle(r, true).results.filter(untouched), o.clickhouse.filter(untouched));
  const same = compareEnriched(CHECK.idleEnriched, o.clickhouse, o.iceberg);
  checks.push({
    ...enriched,
    expected: `${enriched.expected} (windows without late events; ${touched.size} touched); Iceberg = ClickHouse`,
    actual: `${enriched.actual}; Iceberg: ${same.actual}`,
    ok: enriched.ok && same.ok,
    ...(enriched.ok && same.ok ? {} : { details: [...(enriched.details ?? []), ...(same.details ?? []).map((d) => `Iceberg vs ClickHouse: ${d}`)] }),
  });
  checks.push(sideCheck(CHECK.idleSide, r, false));
  return checks;
}

export function tmChecks(r: Run, d: DrillRecord | undefined, finished: boolean): CheckResult[] {
  const restart: CheckResult = d
    ? { name: CHECK.tmRestart, expected: '>= 1 restart, FINISHED', actual: `${d.restarts} restart(s), ${finished ? 'FINISHED' : 'not finished'}; every task running again ${d.recoveredSeconds?.toFixed(1)} s after the kill`, ok: d.restarts >= 1 && finished }
    : { name: CHECK.tmRestart, expected: '>= 1 restart, FINISHED', actual: 'the drill did not run', ok: false };
  const [rows] = exactChecks(r, { clickhouse: CHECK.tmExact }) as [CheckResult];
  const side = sideCheck(CHECK.tmExact, r, true);
  return [restart, { ...rows, expected: `${rows.expected}; ${side.expected}`, actual: `${rows.actual}; ${side.actual}`, ok: rows.ok && side.ok, ...(rows.ok && side.ok ? {} : { details: [...(rows.details ?? []), ...(side.details ?? [])] }) }];
}

/** Margin after the burst: the watermark has jumped on every partition by then. */
export const DAMAGE_MARGIN_MS = 20_000;

export interface ClockDamage {
  /** Valid events arriving DAMAGE_MARGIN_MS or more after the burst (the year-ahead events excluded). */
  after: number;
  lateAfter: number;
  /** Windows of that time (before the year-ahead ones) with a row in ClickHouse. */
  windowsAfter: number;
  late: number;
  futureTs: number;
  rows: number;
}

/** The burst's effect on a run: how many later events went late, how many later windows have rows. */
export function clockDamage(r: Run): ClockDamage {
  const o = out(r);
  const at = burstArrival(r) ?? Number.POSITIVE_INFINITY;
  const from = at + DAMAGE_MARGIN_MS;
  const end = r.traffic.options.startTs + r.traffic.options.durationMs;
  const lateIds = new Set(o.late.map((l) => l.event_id));
  // Arrival = the record timestamp of the event's first line (the manifest's line numbers are 1-based).
  const m = r.traffic.manifest;
  const arrival = new Map([...m.base, ...m.stragglers, ...m.burst].map((x) => [x.event.event_id, r.traffic.lines[x.line - 1]?.timestamp ?? 0]));
  const valid = validEvents(trafficTexts(r.traffic), r.params).events;
  // The year-ahead events themselves are valid with the rule off: they are not "after the burst" in event time.
  const afterIds = valid.filter((e) => (arrival.get(e.event_id) ?? 0) >= from && e.ts < end).map((e) => e.event_id);
  return {
    after: afterIds.length,
    lateAfter: afterIds.filter((id) => lateIds.has(id)).length,
    windowsAfter: new Set(o.clickhouse.filter((x) => x.window_start >= windowStart(from) && x.window_start < end).map((x) => `${x.product_id} ${x.window_start}`)).size,
    late: o.late.length,
    futureTs: o.dlq.filter((d) => d.reason === 'future_ts').length,
    rows: o.clickhouse.length,
  };
}

export function clockOffChecks(r: Run): CheckResult[] {
  const d = clockDamage(r);
  const damage: CheckResult = {
    name: CHECK.clockOff,
    expected: `all ${d.after} events arriving >= ${DAMAGE_MARGIN_MS / 1000} s after the burst late; 0 windows after it`,
    actual: `${d.lateAfter} of ${d.after} late; ${d.windowsAfter} windows after it`,
    ok: d.after > 0 && d.lateAfter === d.after && d.windowsAfter === 0,
  };
  const o = out(r);
  return [damage, conservationCheck(CLOCK_OFF, validEvents(trafficTexts(r.traffic), r.params), { rows: perProductWindow(o.clickhouse), late: o.late })];
}
