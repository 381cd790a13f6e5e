/**
 * The two after-the-fact readings of a ladder: the exactness check (ClickHouse rows against the
 * generator's own counts, never against Flink) and the Flink share of the latency (the results
 * topic's CreateTime, stamped by Flink's producer when it emitted the row). Comparisons are pure.
 */
import type { Percentiles } from '../../src/bench/throughput-record.ts';
import type { ConsumedMessage } from '../../src/stack/kafka/client.ts';
import { type GenCounts, productId } from './generator.ts';
import { pcts } from './ladder.ts';

export interface ResultRow {
  product_id: string;
  window_start: number;
  impressions: number;
  clicks: number;
}

export interface Exactness {
  windows: number;
  rows: number;
  events: number;
  /** Differing, missing and extra rows (the first few), empty when equal. */
  differences: string[];
}

/** Every (product, window) of `windows` with events in the generator's counts must be a ClickHouse row with the same counts, and no other row. */
export function compareWithGenerator(counts: GenCounts, windows: readonly number[], rows: readonly ResultRow[]): Exactness {
  const got = new Map(rows.map((r) => [`${r.product_id}@${r.window_start}`, r]));
  const differences: string[] = [];
  let expectedRows = 0;
  let events = 0;
  for (const ws of windows) {
    const per = counts.windows.get(ws) ?? [];
    per.forEach((c, p) => {
      if (c.impressions + c.clicks === 0) return;
      expectedRows++;
      events += c.impressions + c.clicks;
      const key = `${productId(p)}@${ws}`;
      const r = got.get(key);
      got.delete(key);
      if (!r) differences.push(`missing ${key}: want ${c.impressions}/${c.clicks}`);
      else if (r.impressions !== c.impressions || r.clicks !== c.clicks) differences.push(`${key}: want ${c.impressions}/${c.clicks}, ClickHouse has ${r.impressions}/${r.clicks}`);
    });
  }
  for (const key of got.keys()) differences.push(`extra ${key}`);
  return { windows: windows.length, rows: expectedRows, events, differences };
}

/** Emit time - window end, per row of the given windows (results topic messages). */
export function emitLatencies(messages: readonly ConsumedMessage[], windows: readonly number[]): Percentiles {
  const wanted = new Set(windows);
  const xs: number[] = [];
  for (const m of messages) {
    const r = JSON.parse(m.value) as { window_start: number; window_end: number };
    if (wanted.has(r.window_start)) xs.push(m.timestamp - r.window_end);
  }
  return pcts(xs);
}
