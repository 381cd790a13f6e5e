/**
 * Several runs of one measurement, reduced to the figure the site shows: the median run's record
 * (its CPU, busy ratio and profile belong together, so no field is a median of another run's),
 * with the spread of the rate over every run.
 */
import { type DrainRecord, spreadOf } from '../../src/bench/throughput-record.ts';

export function medianRun(runs: readonly DrainRecord[]): DrainRecord | undefined {
  if (runs.length === 0) return undefined;
  const sorted = [...runs].sort((a, b) => a.drain_events_per_s - b.drain_events_per_s);
  // The lower middle for an even count: a real run, never an average of two.
  const mid = sorted[Math.floor((sorted.length - 1) / 2)] as DrainRecord;
  const { run: _run, ...rest } = mid as DrainRecord & { run?: number };
  return { ...rest, spread: spreadOf(runs.map((r) => r.drain_events_per_s)) };
}
