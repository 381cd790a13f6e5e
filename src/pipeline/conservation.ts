/**
 * Checks that hold under any interleaving of partitions (ADR 0101). With one partition, the oracle
 * says exactly which events are late and every window equals it (checks.ts). With many, which
 * events are late depends on how the partitions interleave, so a correct run may differ from the
 * oracle's single order: these checks hold for EVERY correct run and fail for a wrong one.
 *
 * What identifies an event: its event_id, among the valid, deduplicated events (the first
 * occurrence of each id; with the broken-clock rule, future_ts lines are not among them). The
 * oracle with `everyEventOnTime` lists them all, regardless of lateness (validEvents()).
 *
 * Why counts per window make conservation exact: a window row carries counts, not ids, but each
 * event belongs to exactly one cell (product_id, window_start, event_type), fixed by its own fields
 * and never by timing. So per cell: counted = (events of the cell) - (late records of the cell),
 * an equation in whole numbers. The late records carry ids, so each one is checked to be a valid,
 * deduplicated event, of that cell, and on the topic once. An event counted AND late makes its
 * cell one too many; an event in neither makes it one too few. What counts cannot show is which
 * events a window holds: a double count and a loss in the same cell at once would cancel (two
 * faults together; catching that needs ids in the sink).
 */
import { type CtrEvent, type CtrResult, windowStart } from '../ctr/event.ts';
import { type OracleOutput, type OracleParams, runOracle } from '../ctr/oracle.ts';
import type { InputLine } from '../ctr/line.ts';
import { compareResults } from '../lab/compare.ts';
import type { CheckResult, CheckSpec } from '../lab/contract.ts';

/** A late-topic record as the pipeline writes it (20-sinks.sql): the id identifies the event. */
export interface LateRecord {
  event_id: string;
  window_start: number;
}

/** What a run left behind, from one sink: its window rows (ClickHouse FINAL or Iceberg, the same shape) and the late topic. */
export interface ObservedRun {
  rows: readonly CtrResult[];
  late: readonly LateRecord[];
}

export interface ValidEvents {
  /** Every valid, deduplicated event, in input order. */
  events: CtrEvent[];
  /** Per (product_id, window_start), every one of them counted: the windows if nothing were late. */
  totals: CtrResult[];
}

/** The oracle with no lateness: what conservation compares with. `params` as the pipeline applies them (the clock rule). */
export function validEvents(lines: readonly InputLine[], params: Omit<OracleParams, 'everyEventOnTime' | 'onAggregated'> = {}): ValidEvents {
  const events: CtrEvent[] = [];
  const out = runOracle(lines, { ...params, everyEventOnTime: true, onAggregated: (e) => events.push(e) });
  return { events, totals: out.results };
}

const MAX_DETAILS = 20;
const cellKey = (product_id: string, window_start: number) => JSON.stringify([product_id, window_start]);
const withDetails = (r: Omit<CheckResult, 'details'>, details: string[]): CheckResult =>
  details.length === 0 ? r : { ...r, details: [...details.slice(0, MAX_DETAILS), ...(details.length > MAX_DETAILS ? [`... and ${details.length - MAX_DETAILS} more`] : [])] };

/** The check names, per sink ("ClickHouse", "Iceberg"): the page lists them, the lab returns them. */
export function interleavingCheckSpecs(sink: string): CheckSpec[] {
  return [
    { name: `conservation (${sink})`, explain: `Every valid, deduplicated event is counted in exactly one ${sink} window or appears on the late topic, never both, never neither: per (product, window, event type), counted + late = the oracle's events, and every late record is a valid, deduplicated event of that window, once.` },
    { name: `windows without late events equal the oracle (${sink})`, explain: `Every ${sink} window that no late record belongs to has the oracle's impressions, clicks and ctr, counting every valid, deduplicated event.` },
  ];
}

export const EXACT_RUN_CHECK: CheckSpec = {
  name: 'every window equals the oracle (no idle partition)',
  explain: 'Without the idle partition and with disorder within the watermark delay, no event can be late in any interleaving: every window row equals the oracle and the late topic is empty, as the oracle says.',
};

interface LateIndex {
  /** Per cell: late impressions and clicks, from the late records that name a valid event of the cell. */
  perCell: Map<string, { impressions: number; clicks: number }>;
  problems: string[];
  known: number;
}

function indexLate(events: readonly CtrEvent[], late: readonly LateRecord[]): LateIndex {
  const byId = new Map(events.map((e) => [e.event_id, e]));
  const seen = new Set<string>();
  const perCell = new Map<string, { impressions: number; clicks: number }>();
  const problems: string[] = [];
  let known = 0;
  for (const r of late) {
    const e = byId.get(r.event_id);
    if (!e) {
      problems.push(`late record ${JSON.stringify(r.event_id)} is not a valid, deduplicated event`);
      continue;
    }
    if (seen.has(r.event_id)) {
      problems.push(`late record ${JSON.stringify(r.event_id)} is on the late topic more than once`);
      continue;
    }
    seen.add(r.event_id);
    if (r.window_start !== windowStart(e.ts)) problems.push(`late record ${JSON.stringify(r.event_id)} says window ${r.window_start}, its ts ${e.ts} is in ${windowStart(e.ts)}`);
    known++;
    const key = cellKey(e.product_id, windowStart(e.ts));
    const cell = perCell.get(key) ?? { impressions: 0, clicks: 0 };
    if (e.event_type === 'impression') cell.impressions++;
    else cell.clicks++;
    perCell.set(key, cell);
  }
  return { perCell, problems, known };
}

/**
 * (1) Conservation, exactly: per (product_id, window_start, event_type), the sink's count plus the
 * late records equals the valid, deduplicated events; every late record is one of those events,
 * of its window, once.
 */
export function conservationCheck(sink: string, valid: ValidEvents, run: ObservedRun): CheckResult {
  const [spec] = interleavingCheckSpecs(sink) as [CheckSpec];
  const { perCell, problems, known } = indexLate(valid.events, run.late);
  const totals = new Map(valid.totals.map((r) => [cellKey(r.product_id, r.window_start), r]));
  const rows = new Map<string, CtrResult>();
  for (const r of run.rows) {
    const key = cellKey(r.product_id, r.window_start);
    if (rows.has(key)) problems.push(`two rows for ${JSON.stringify(r.product_id)} @ ${r.window_start}`);
    rows.set(key, r);
  }
  let counted = 0;
  for (const key of new Set([...totals.keys(), ...rows.keys()])) {
    const [product_id, window_start] = JSON.parse(key) as [string, number];
    const total = totals.get(key) ?? { impressions: 0, clicks: 0 };
    const row = rows.get(key) ?? { impressions: 0, clicks: 0 };
    const lateHere = perCell.get(key) ?? { impressions: 0, clicks: 0 };
    counted += row.impressions + row.clicks;
    for (const type of ['impressions', 'clicks'] as const) {
      const off = row[type] + lateHere[type] - total[type];
      if (off > 0) problems.push(`${JSON.stringify(product_id)} @ ${window_start} ${type}: ${row[type]} counted + ${lateHere[type]} late = ${row[type] + lateHere[type]}, but ${total[type]} events: ${off} counted twice (or both counted and late)`);
      if (off < 0) problems.push(`${JSON.stringify(product_id)} @ ${window_start} ${type}: ${row[type]} counted + ${lateHere[type]} late = ${row[type] + lateHere[type]}, but ${total[type]} events: ${-off} neither counted nor late`);
    }
  }
  return withDetails(
    { name: spec.name, expected: `${valid.events.length} events, each counted once or late once`, actual: `${counted} counted + ${known} late${problems.length ? `; ${problems.length} problem(s)` : ', each once'}`, ok: problems.length === 0 },
    problems,
  );
}

/** (2) Every window no late record belongs to equals the oracle's window with every event counted. */
export function untouchedWindowsCheck(sink: string, valid: ValidEvents, run: ObservedRun): CheckResult {
  const [, spec] = interleavingCheckSpecs(sink) as [CheckSpec, CheckSpec];
  const byId = new Map(valid.events.map((e) => [e.event_id, e]));
  const touched = new Set<string>();
  for (const r of run.late) {
    const e = byId.get(r.event_id);
    // A late record that names no valid event is conservation's failure; its window counts as touched here.
    touched.add(e ? cellKey(e.product_id, windowStart(e.ts)) : cellKey('', r.window_start));
  }
  const untouched = (r: CtrResult) => !touched.has(cellKey(r.product_id, r.window_start));
  const result = compareResults(spec.name, valid.totals.filter(untouched), run.rows.filter(untouched));
  return { ...result, expected: `${result.expected} (the windows no late record belongs to; ${touched.size} touched)` };
}

/** Both interleaving-tolerant checks for one sink, in interleavingCheckSpecs' order. */
export function interleavingChecks(sink: string, valid: ValidEvents, run: ObservedRun): CheckResult[] {
  return [conservationCheck(sink, valid, run), untouchedWindowsCheck(sink, valid, run)];
}

/**
 * (3) A steady run (realistic.ts mode 'steady': no idle partition, disorder within the watermark
 * delay): nothing can be late in any interleaving, so every row equals the single-order oracle and
 * the late topic holds exactly the oracle's late events (none, for a steady run).
 */
export function exactRunCheck(oracle: OracleOutput, run: ObservedRun): CheckResult {
  const rows = compareResults(EXACT_RUN_CHECK.name, oracle.results, run.rows);
  const want = new Set(oracle.late.map((l) => l.event.event_id));
  const got = run.late.map((l) => l.event_id);
  const lateProblems = [...got.filter((id) => !want.has(id)).map((id) => `unexpected late record ${JSON.stringify(id)}`), ...[...want].filter((id) => !got.includes(id)).map((id) => `missing late record ${JSON.stringify(id)}`)];
  if (got.length !== new Set(got).size) lateProblems.push(`${got.length - new Set(got).size} late record(s) repeated`);
  const ok = rows.ok && lateProblems.length === 0;
  return withDetails(
    { name: EXACT_RUN_CHECK.name, expected: `${rows.expected}, ${want.size} late`, actual: `${rows.actual}, ${got.length} late`, ok },
    [...(rows.details ?? []), ...lateProblems],
  );
}
