/**
 * The broken-clock rule's boundary cases, with the reason each line must get, worked out by hand
 * from the rule (ts - record timestamp > ALLOWED_CLOCK_SKEW_MS = 5,000 ms -> future_ts): the unit
 * test holds the oracle to them, and a lab that runs the rule in Flink replays them (one partition,
 * in this order) and compares Flink's DLQ with the oracle, as test/labs does with phase 1's
 * scenarios. The record timestamp has a millisecond part, so an interval rounded to whole seconds
 * in SQL would show.
 */
import { MAX_TS } from '../../ctr/event.ts';
import type { TrafficLine } from '../../ctr/realistic.ts';

const R = 1_700_000_100_123;
const ev = (event_id: string, ts: number | string) => JSON.stringify({ event_id, user_id: 'u1', product_id: 'p01', event_type: 'impression', ts });

export interface BoundaryCase {
  line: TrafficLine;
  /** 'valid', or the DLQ reason with the rule applied. */
  expected: 'valid' | 'future_ts' | 'bad_ts';
  why: string;
}

const at = (line: string, timestamp = R): TrafficLine => ({ line, partition: 0, timestamp, key: 'p01' });

export const FUTURE_TS_BOUNDARY_CASES: readonly BoundaryCase[] = [
  { line: at(ev('b1', R)), expected: 'valid', why: 'ts equals the record timestamp' },
  { line: at(ev('b2', R + 5_000)), expected: 'valid', why: 'exactly the allowed skew ahead: still valid' },
  { line: at(ev('b3', R + 5_001)), expected: 'future_ts', why: 'one ms beyond the skew' },
  { line: at(ev('b4', R - 60_000)), expected: 'valid', why: 'behind the record timestamp: never future' },
  { line: at(ev('b5', R + 365 * 24 * 3600 * 1000)), expected: 'future_ts', why: 'a clock a year ahead' },
  { line: at(ev('b6', MAX_TS)), expected: 'future_ts', why: 'the largest valid ts' },
  { line: at(ev('b7', 'soon')), expected: 'bad_ts', why: 'every earlier rule wins: a bad ts is bad_ts, whatever the clock' },
  { line: at(ev('b3', R + 4_000)), expected: 'valid', why: 'the id of a future_ts line: that line marked nothing seen, so this is a first occurrence' },
  { line: at(ev('b8', R + 5_999), R + 999), expected: 'valid', why: 'the skew counts from the record timestamp, ms included: 5,000 ahead' },
  { line: at(ev('b9', R + 6_000), R + 999), expected: 'future_ts', why: '5,001 ms ahead of a record timestamp with a ms part' },
];
