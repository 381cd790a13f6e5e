/**
 * Phase 4's data, planned before anything runs: what the stream gets  (in two parts: before the
 * upgrade, after the rollback), the backfill range (one or two whole minutes),
 * the corrected file of that range, and what ClickHouse must hold at the end, all from the oracle.
 *
 * The story: during the range, the producer lost every fourth event, and two test events
 * ("ghost" windows of product `probe`) leaked into the stream. The range's events are re-delivered
 * as a file; the backfill replays it, and the range's windows must then be exactly the oracle's on
 * that file (the ghosts gone), every other window exactly the oracle's on what was streamed.
 */
import { WINDOW_MS } from '../../src/ctr/event.ts';
import { type InputLine, lineBytes } from '../../src/ctr/line.ts';
import { type OracleOutput, byOracleOrder, runOracle } from '../../src/ctr/oracle.ts';
import type { CtrResult } from '../../src/ctr/event.ts';
import { PARTITION_MS } from '../../src/pipeline/lifecycle/backfill.ts';
import { UsageError } from '../../src/stack/errors.ts';

export interface Scenario {
  /** What the stream gets, in order, cut in two: before the upgrade, after the rollback. */
  parts: [InputLine[], InputLine[]];
  streamed: InputLine[];
  range: { fromTs: number; toTs: number };
  /** The range's re-delivered events (the backfill's file). */
  file: InputLine[];
  lost: number;
  ghosts: number;
  oracleStreamed: OracleOutput;
  oracleFile: OracleOutput;
  /** What the serving table must hold at the end: the file's windows in the range, the stream's elsewhere. */
  expected: CtrResult[];
}

/** The `ts` of a line that parses as a JSON object with a numeric ts; else undefined (malformed lines have none). */
function tsOf(line: InputLine): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(lineBytes(line)).toString('utf8')) as { ts?: unknown };
    return typeof v?.ts === 'number' && Number.isInteger(v.ts) ? v.ts : undefined;
  } catch {
    return undefined;
  }
}

export function planScenario(lines: readonly InputLine[], minutes: number): Scenario {
  const stamps = lines.map(tsOf).filter((t): t is number => t !== undefined && t >= 0);
  if (stamps.length === 0) throw new UsageError('phase-4 needs events with a ts: the input has none.');
  const first = Math.min(...stamps);
  const last = Math.max(...stamps);
  // The range starts at the second whole minute, so events before it move the watermark first,
  // and ends at least 20 s before the last event, so the stream has closed its windows before the backfill.
  const fromTs = Math.floor(first / PARTITION_MS) * PARTITION_MS + PARTITION_MS;
  const toTs = fromTs + minutes * PARTITION_MS;
  if (last < toTs + 2 * WINDOW_MS) throw new UsageError(`phase-4 needs events up to ${new Date(toTs + 2 * WINDOW_MS).toISOString()} (${minutes + 2} minutes of event time or more); the input ends at ${new Date(last).toISOString()}.`);
  const inRange = (l: InputLine) => {
    const t = tsOf(l);
    return t !== undefined && t >= fromTs && t < toTs;
  };
  // By index, not by text: a duplicate has the same text as its original.
  const rangeIdx = lines.flatMap((l, i) => (inRange(l) ? [i] : []));
  const file = rangeIdx.map((i) => lines[i] as InputLine);
  // A re-delivery repeats an event now and then: the file carries a duplicate, which a replay must not count.
  if (runOracle(file).counts.duplicates === 0 && file.length > 0) file.push(file[0] as InputLine);
  const lostIdx = new Set(rangeIdx.filter((_, k) => k % 4 === 3));
  const streamed: InputLine[] = [];
  let ghosts = 0;
  for (const [i, l] of lines.entries()) {
    if (lostIdx.has(i)) continue;
    streamed.push(l);
    const t = tsOf(l);
    if (ghosts === 0 && t !== undefined && inRange(l) && t >= fromTs + WINDOW_MS) {
      // Two test events with this line's ts (on time by construction), on a product no real event has.
      for (const type of ['impression', 'click']) streamed.push(JSON.stringify({ event_id: `ghost-${type}`, user_id: 'u-test', product_id: 'probe', event_type: type, ts: t }));
      ghosts = 2;
    }
  }
  const cut = Math.floor(streamed.length * 0.7);
  const oracleStreamed = runOracle(streamed);
  const oracleFile = runOracle(file);
  const within = (r: CtrResult) => r.window_start >= fromTs && r.window_start < toTs;
  const expected = [...oracleStreamed.results.filter((r) => !within(r)), ...oracleFile.results.filter(within)].sort(byOracleOrder);
  return {
    parts: [streamed.slice(0, cut), streamed.slice(cut)],
    streamed,
    range: { fromTs, toTs },
    file,
    lost: lostIdx.size,
    ghosts,
    oracleStreamed,
    oracleFile,
    expected,
  };
}
