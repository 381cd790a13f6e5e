/**
 * The product dimension (phase 2's enrichment): per product a category, an advertiser and a bid
 * price, as versions that take effect at an event time. The pipeline reads them from a compacted
 * Kafka topic as a versioned table and joins each event with the version valid at the event's
 * time (an event-time temporal join, ADR 0066). This file holds the model, the generator of a
 * changelog with changes at known event times, the reader of a learner's changelog file, and the
 * enrichment oracle: phase 1's oracle (oracle.ts) plus the join, in plain TypeScript.
 *
 * Semantics, exactly as the job must compute them:
 * - The version valid at ts is the product's version with the largest valid_from <= ts; none
 *   (the product is not in the catalogue yet, or never) gives category '' and advertiser '' and
 *   no bid.
 * - An event aggregated by phase 1's rules (valid, first occurrence, on time) adds to the row
 *   (product_id, category, advertiser, window_start): one impression or one click, and for a
 *   click with a bid, the bid to spend_micros (cost per click). A window whose events saw two
 *   versions with different categories or advertisers gives two rows.
 * - A changelog is ordered by valid_from (non-decreasing) and holds one version per product and
 *   valid_from: the job's dimension watermark follows valid_from, so a version out of order could
 *   come after events it should have enriched.
 */
import { windowStart, type CtrEvent } from './event.ts';
import { productIds } from './generator.ts';
import { byOracleOrder, type OracleOutput, type OracleParams, runOracle } from './oracle.ts';
import type { InputLine } from './line.ts';
import { createRng } from './rng.ts';

export interface DimensionVersion {
  product_id: string;
  category: string;
  advertiser: string;
  /** Cost per click in millionths of the currency unit: integers keep the sums exact. */
  bid_micros: number;
  /** Event time (epoch ms) from which this version holds. */
  valid_from: number;
}

export interface EnrichedResult {
  product_id: string;
  category: string;
  advertiser: string;
  window_start: number;
  impressions: number;
  clicks: number;
  ctr: number | null;
  spend_micros: number;
}

export interface EnrichedOracleOutput {
  /** Phase 1's oracle on the same lines: DLQ, duplicates, late, and the plain CTR rows. */
  base: OracleOutput;
  /** In enrichedOrder. */
  results: EnrichedResult[];
}

/** The oracle's order for enriched rows: product_id, window_start, then category and advertiser. */
export function enrichedOrder(a: EnrichedResult, b: EnrichedResult): number {
  return byOracleOrder(a, b) || (a.category < b.category ? -1 : a.category > b.category ? 1 : a.advertiser < b.advertiser ? -1 : a.advertiser > b.advertiser ? 1 : 0);
}

/** The version of `product_id` valid at `ts` (versions in changelog order), or undefined. */
export function versionAt(versions: readonly DimensionVersion[], product_id: string, ts: number): DimensionVersion | undefined {
  let found: DimensionVersion | undefined;
  for (const v of versions) if (v.product_id === product_id && v.valid_from <= ts && (!found || v.valid_from >= found.valid_from)) found = v;
  return found;
}

/**
 * `params`: the oracle's options as the pipeline applies them (phase 5: the broken-clock rule; the
 * conservation checks' everyEventOnTime, for the rows a run with nothing late would give).
 */
export function runEnrichedOracle(lines: readonly InputLine[], versions: readonly DimensionVersion[], params: Omit<OracleParams, 'onAggregated'> = {}): EnrichedOracleOutput {
  checkChangelog(versions);
  const byProduct = new Map<string, DimensionVersion[]>();
  for (const v of versions) byProduct.set(v.product_id, [...(byProduct.get(v.product_id) ?? []), v]);
  const rows = new Map<string, EnrichedResult>();
  const base = runOracle(lines, { ...params, onAggregated: (e: CtrEvent) => {
    const v = versionAt(byProduct.get(e.product_id) ?? [], e.product_id, e.ts);
    const category = v?.category ?? '';
    const advertiser = v?.advertiser ?? '';
    const ws = windowStart(e.ts);
    const key = JSON.stringify([e.product_id, ws, category, advertiser]);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { product_id: e.product_id, category, advertiser, window_start: ws, impressions: 0, clicks: 0, ctr: null, spend_micros: 0 }));
    if (e.event_type === 'impression') row.impressions += 1;
    else {
      row.clicks += 1;
      row.spend_micros += v?.bid_micros ?? 0;
    }
  } });
  const results = [...rows.values()].map((r) => ({ ...r, ctr: r.impressions === 0 ? null : r.clicks / r.impressions })).sort(enrichedOrder);
  return { base, results };
}

/** Throws a RangeError naming the first version that breaks the changelog's rules (see the header). */
export function checkChangelog(versions: readonly DimensionVersion[]): void {
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const prev = versions[i - 1];
    if (prev && v.valid_from < prev.valid_from) throw new RangeError(`dimension version ${i + 1} (${v.product_id}): valid_from ${v.valid_from} is before the previous version's ${prev.valid_from}; order the changelog by valid_from`);
    const key = JSON.stringify([v.product_id, v.valid_from]);
    if (seen.has(key)) throw new RangeError(`dimension version ${i + 1}: a second version of ${JSON.stringify(v.product_id)} at valid_from ${v.valid_from}`);
    seen.add(key);
  });
}

/** One changelog line (a JSON object) -> a version; throws a RangeError saying what is wrong. */
export function parseVersion(text: string, lineNo: number): DimensionVersion {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    throw new RangeError(`dimension line ${lineNo} is not JSON: ${text.slice(0, 80)}`);
  }
  const r = o as Record<string, unknown>;
  const str = (k: string) => typeof r?.[k] === 'string' && (k !== 'product_id' || (r[k] as string) !== '');
  const int = (k: string) => Number.isSafeInteger(r?.[k]) && (r[k] as number) >= 0;
  for (const k of ['product_id', 'category', 'advertiser']) if (!str(k)) throw new RangeError(`dimension line ${lineNo}: ${k} must be a${k === 'product_id' ? ' non-empty' : ''} string`);
  for (const k of ['bid_micros', 'valid_from']) if (!int(k)) throw new RangeError(`dimension line ${lineNo}: ${k} must be an integer >= 0`);
  return { product_id: r.product_id as string, category: r.category as string, advertiser: r.advertiser as string, bid_micros: r.bid_micros as number, valid_from: r.valid_from as number };
}

/** A changelog file's text (JSON lines; blank lines skipped), checked. */
export function parseChangelog(text: string): DimensionVersion[] {
  const versions = text.split('\n').flatMap((l, i) => (l.trim() === '' ? [] : [parseVersion(l, i + 1)]));
  checkChangelog(versions);
  return versions;
}

/** The changelog as Kafka carries it: key = product_id (the compacted topic keeps the last per key), value = the version as JSON. */
export function versionMessage(v: DimensionVersion): { key: string; value: string } {
  return { key: v.product_id, value: JSON.stringify(v) };
}

export interface DimensionOptions {
  seed: number;
  /** Generic products p01..pNN (the dataset generator's ids); tricky ids get no version at all. */
  products: number;
  /** When p01's bid changes (event time, epoch ms): rows after it use the new bid. */
  priceChangeAt: number;
  /** When the last product enters the catalogue: before it, its events have no version. */
  entryAt: number;
}

export const CATEGORIES: readonly string[] = ['shoes', 'books', 'garden', 'toys', 'audio'];
export const ADVERTISERS: readonly string[] = ['acme', 'globex', 'initech', 'umbrella'];

/**
 * A changelog with changes at known event times: every product but the last from valid_from 0;
 * p01's bid doubled at priceChangeAt; the last product's first version at entryAt. Deterministic
 * per seed; ordered by valid_from.
 */
export function generateDimension(o: DimensionOptions): DimensionVersion[] {
  if (o.products < 2) throw new RangeError('generateDimension: products must be >= 2 (one changes price, one enters later)');
  const rng = createRng(o.seed);
  const ids = productIds(o.products);
  const first = ids.map((product_id, i) => ({ product_id, category: CATEGORIES[i % CATEGORIES.length] as string, advertiser: ADVERTISERS[i % ADVERTISERS.length] as string, bid_micros: (2 + rng.int(19)) * 50_000, valid_from: 0 }));
  const last = first.pop() as DimensionVersion;
  const p01 = first[0] as DimensionVersion;
  return [...first, { ...p01, bid_micros: p01.bid_micros * 2, valid_from: o.priceChangeAt }, { ...last, valid_from: o.entryAt }].sort((a, b) => a.valid_from - b.valid_from);
}
