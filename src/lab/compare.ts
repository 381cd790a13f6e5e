import type { CtrResult } from '../ctr/event.ts';
import type { CheckResult } from './contract.ts';

const key = (r: Pick<CtrResult, 'product_id' | 'window_start'>) => `${JSON.stringify(r.product_id)}@${r.window_start}`;

function same(a: CtrResult, b: CtrResult): boolean {
  // ctr is clicks / impressions computed as a double on both sides: exact equality holds.
  return a.impressions === b.impressions && a.clicks === b.clicks && a.ctr === b.ctr;
}

export function formatRow(r: CtrResult): string {
  return `${JSON.stringify(r.product_id)} @ ${r.window_start}: impressions=${r.impressions} clicks=${r.clicks} ctr=${r.ctr ?? 'null'}`;
}

/**
 * Every (product_id, window_start) row must be equal on both sides. The details list each
 * differing, missing and unexpected row, so a wrong aggregation shows exactly where.
 */
export function compareResults(name: string, expected: readonly CtrResult[], actual: readonly CtrResult[], maxDetails = 20): CheckResult {
  const want = new Map(expected.map((r) => [key(r), r]));
  const got = new Map(actual.map((r) => [key(r), r]));
  const details: string[] = [];
  let bad = 0;
  for (const [k, e] of want) {
    const a = got.get(k);
    if (!a) {
      bad++;
      details.push(`missing   ${formatRow(e)}`);
    } else if (!same(e, a)) {
      bad++;
      details.push(`differs   expected ${formatRow(e)}\n          actual   ${formatRow(a)}`);
    }
  }
  for (const [k, a] of got) {
    if (!want.has(k)) {
      bad++;
      details.push(`unexpected ${formatRow(a)}`);
    }
  }
  if (actual.length !== got.size) {
    bad++;
    details.push(`${actual.length - got.size} duplicate row(s) for the same (product_id, window_start)`);
  }
  const shown = details.slice(0, maxDetails);
  if (details.length > maxDetails) shown.push(`... and ${details.length - maxDetails} more`);
  return {
    name,
    expected: `${expected.length} rows`,
    actual: bad === 0 ? `${actual.length} rows, all equal` : `${actual.length} rows, ${bad} differ`,
    ok: bad === 0,
    ...(bad > 0 ? { details: shown } : {}),
  };
}

export function compareCount(name: string, expected: number, actual: number): CheckResult {
  return { name, expected: String(expected), actual: String(actual), ok: expected === actual };
}

/** Per-key counts (e.g. DLQ reasons): equal when every key has the same count. */
export function compareTally(name: string, expected: Record<string, number>, actual: Record<string, number>): CheckResult {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  const fmt = (t: Record<string, number>) => keys.filter((k) => t[k]).map((k) => `${k}=${t[k]}`).join(' ') || 'none';
  const diff = keys.filter((k) => (expected[k] ?? 0) !== (actual[k] ?? 0));
  return { name, expected: fmt(expected), actual: fmt(actual), ok: diff.length === 0, ...(diff.length ? { details: diff.map((k) => `${k}: expected ${expected[k] ?? 0}, actual ${actual[k] ?? 0}`) } : {}) };
}

export function tally<T>(items: readonly T[], by: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) out[by(it)] = (out[by(it)] ?? 0) + 1;
  return out;
}
