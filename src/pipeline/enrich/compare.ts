/**
 * Enriched rows against the enrichment oracle (src/ctr/dimension.ts), keyed as ClickHouse keys them
 * (product_id, window_start, category, advertiser): the PyFlink lab and phase 5 compare with this;
 * and the same rows summed per (product, window), which phase 5's conservation checks count.
 */
import type { EnrichedResult } from '../../ctr/dimension.ts';
import type { CtrResult } from '../../ctr/event.ts';
import { byOracleOrder } from '../../ctr/oracle.ts';
import type { CheckResult } from '../../lab/contract.ts';

const key = (r: EnrichedResult) => JSON.stringify([r.product_id, r.window_start, r.category, r.advertiser]);
const fmt = (r: EnrichedResult) =>
  `${JSON.stringify(r.product_id)} @ ${r.window_start} [${JSON.stringify(r.category)}, ${JSON.stringify(r.advertiser)}]: impressions=${r.impressions} clicks=${r.clicks} ctr=${r.ctr ?? 'null'} spend_micros=${r.spend_micros}`;
const same = (a: EnrichedResult, b: EnrichedResult) => a.impressions === b.impressions && a.clicks === b.clicks && a.ctr === b.ctr && a.spend_micros === b.spend_micros;

/** Every row keyed by (product_id, window_start, category, advertiser) equal on both sides; differing rows listed. */
export function compareEnriched(name: string, expected: readonly EnrichedResult[], actual: readonly EnrichedResult[], maxDetails = 12): CheckResult {
  const want = new Map(expected.map((r) => [key(r), r]));
  const got = new Map(actual.map((r) => [key(r), r]));
  const details: string[] = [];
  for (const [k, e] of want) {
    const a = got.get(k);
    if (!a) details.push(`missing    ${fmt(e)}`);
    else if (!same(e, a)) details.push(`differs    expected ${fmt(e)}\n           actual   ${fmt(a)}`);
  }
  for (const [k, a] of got) if (!want.has(k)) details.push(`unexpected ${fmt(a)}`);
  if (actual.length !== got.size) details.push(`${actual.length - got.size} duplicate row(s) for one key`);
  const ok = details.length === 0;
  return {
    name,
    expected: `${expected.length} rows`,
    actual: ok ? `${actual.length} rows, all equal` : `${actual.length} rows, ${details.length} differ`,
    ok,
    ...(ok ? {} : { details: [...details.slice(0, maxDetails), ...(details.length > maxDetails ? [`... and ${details.length - maxDetails} more`] : [])] }),
  };
}

/** A ClickHouse row (UInt64 as strings) -> an enriched row. */
export function enrichedRow(r: Record<string, unknown>): EnrichedResult {
  return {
    product_id: String(r.product_id),
    category: String(r.category),
    advertiser: String(r.advertiser),
    window_start: Number(r.window_start),
    impressions: Number(r.impressions),
    clicks: Number(r.clicks),
    ctr: r.ctr === null ? null : Number(r.ctr),
    spend_micros: Number(r.spend_micros),
  };
}

/** Enriched rows summed per (product_id, window_start): the shape the conservation checks count. */
export function perProductWindow(rows: readonly EnrichedResult[]): CtrResult[] {
  const by = new Map<string, CtrResult>();
  for (const r of rows) {
    const key = JSON.stringify([r.product_id, r.window_start]);
    const c = by.get(key) ?? { product_id: r.product_id, window_start: r.window_start, impressions: 0, clicks: 0, ctr: null };
    c.impressions += r.impressions;
    c.clicks += r.clicks;
    by.set(key, c);
  }
  return [...by.values()].map((c) => ({ ...c, ctr: c.impressions === 0 ? null : c.clicks / c.impressions })).sort(byOracleOrder);
}
