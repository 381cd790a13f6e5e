/**
 * Realistic traffic for phase 5 (ADR 0099): many partitions, skewed keys, a partition that goes
 * idle, and every line with the partition and the Kafka record timestamp its producer must use, so
 * the oracle sees exactly what Kafka holds. Deterministic per seed. generator.ts stays phase 1's.
 *
 * The model, in event time (epoch ms):
 * - Base events arrive at nominal times startTs + floor(i * 1000 / ratePerSecond) for durationMs.
 *   A line's Kafka record timestamp is its arrival (nominal) time: the collector that produces to
 *   Kafka stamps it (clock.ts). The event's own ts is arrival minus a random 0..maxDisorderMs
 *   (bounded disorder: events are created a little before they reach the collector).
 * - Products p01..pNN by Zipf-like popularity (zipf.ts, exponent a parameter); each product has
 *   its own click rate (clickRate times 0.5..1.5).
 * - The Kafka key is product_id and the partition is the Java client's default partitioner of
 *   that key (partition.ts). Keying by product puts all of a product's events, and every retry of
 *   an event, in one partition, in arrival order: which occurrence of an event_id comes first
 *   never depends on how partitions interleave, and the hot product makes a hot partition. Every
 *   partition must hold at least one product (murmur2 left partition 0 of 6 empty for p01..p34:
 *   40 products by default).
 * - After each base event, independently: a duplicate (a retry: the text of one of the last
 *   RETRY_WINDOW valid lines, to that line's partition), a malformed line (generator.ts's kinds,
 *   to the partition of the event it was made from), a straggler (a fresh event 60..120 s behind
 *   its arrival: late in the single-partition oracle by construction).
 * - mode 'idle' (default): partition `idle.partition` carries nothing while the arrival time is in
 *   [startTs + idle.fromMs, startTs + idle.toMs), then resumes. mode 'steady': no idle stretch and
 *   no stragglers. With maxDisorderMs <= WATERMARK_DELAY_MS no event of a steady run can be late in
 *   ANY interleaving of its partitions (each partition is in arrival order, so no watermark before
 *   an event exceeds its arrival - 5 s, and its window ends after ts >= arrival - maxDisorderMs):
 *   a multi-partition run equals the oracle exactly. Both modes cut the same full traffic, so the
 *   same seed gives the same events: steady = idle + the idle stretch - the stragglers.
 *   A retry whose original was cut goes too (a retry of a message never sent cannot exist).
 * - clockBurst (off by default): after the base event at arrival startTs + atMs, `events` events
 *   from a source whose clock is aheadMs ahead: ts = arrival + aheadMs, record timestamp = arrival;
 *   spread round robin over every partition, so every partition's watermark jumps.
 * - A dimension changelog (dimension.ts generateDimension): p01's bid doubles at the first window
 *   at or after the middle of the run; the last product enters the catalogue a quarter in.
 */
import { ALLOWED_CLOCK_SKEW_MS, YEAR_MS } from './clock.ts';
import { type DimensionVersion, generateDimension } from './dimension.ts';
import { type CtrEvent, type EventType, MAX_TS, WATERMARK_DELAY_MS, WINDOW_MS } from './event.ts';
import { MALFORMED_KINDS, type MalformedKind, malformedLine, productIds } from './generator.ts';
import { keyPartition } from './partition.ts';
import { createRng } from './rng.ts';
import { zipf } from './zipf.ts';

export type TrafficMode = 'idle' | 'steady';

export interface IdleStretch {
  partition: number;
  /** From startTs + fromMs (inclusive) to startTs + toMs (exclusive), in arrival time. */
  fromMs: number;
  toMs: number;
}

export interface ClockBurst {
  /** Arrival time of the burst, as an offset from startTs. */
  atMs: number;
  events: number;
  /** How far ahead the broken clock runs; a year by default. */
  aheadMs: number;
}

export interface RealisticOptions {
  seed: number;
  mode: TrafficMode;
  partitions: number;
  products: number;
  zipfExponent: number;
  users: number;
  /** Arrival time of the first base event (aligned to a window by default). */
  startTs: number;
  /** Event time the run spans (arrival times in [startTs, startTs + durationMs)). */
  durationMs: number;
  /** Base events per second of event time, over all partitions. */
  ratePerSecond: number;
  clickRate: number;
  /** ts = arrival - 0..maxDisorderMs. */
  maxDisorderMs: number;
  duplicateRate: number;
  malformedRate: number;
  /** Per base event, idle mode only: probability of a straggler 60..120 s behind. */
  stragglerRate: number;
  idle: IdleStretch;
  clockBurst: ClockBurst | false;
}

export const DEFAULT_REALISTIC_OPTIONS: Readonly<Omit<RealisticOptions, 'seed'>> = Object.freeze({
  mode: 'idle',
  partitions: 6,
  products: 40,
  zipfExponent: 1.1,
  users: 1000,
  startTs: 1_700_000_000_000,
  durationMs: 180_000,
  ratePerSecond: 50,
  clickRate: 0.1,
  maxDisorderMs: 4_000,
  duplicateRate: 0.02,
  malformedRate: 0.01,
  stragglerRate: 0.004,
  // Partition 2 carries about a tenth of the traffic (p05, p08, p14, p16 with the defaults): quiet
  // for 40 s, longer than a window plus the watermark delay.
  idle: Object.freeze({ partition: 2, fromMs: 60_000, toMs: 100_000 }),
  clockBurst: false,
});

/** A retry re-sends one of the last this many valid lines. */
export const RETRY_WINDOW = 50;
const STRAGGLER_MIN_LAG_MS = 60_000;
const STRAGGLER_SPREAD_MS = 60_000;

/** One line as the lab must produce it: to `partition`, with `key` and record timestamp `timestamp`. */
export interface TrafficLine {
  line: string;
  partition: number;
  /** The Kafka record timestamp (CreateTime) the producer sets, epoch ms. */
  timestamp: number;
  /** The Kafka key: the product_id the line was made for. */
  key: string;
}

export type TrafficKind = 'base' | 'duplicate' | 'malformed' | 'straggler' | 'burst';

/** What each line is; line numbers are 1-based, like the oracle's. */
export interface TrafficManifest {
  base: { line: number; event: CtrEvent }[];
  /** `line` repeats the text of line `of`, in the same partition. */
  duplicates: { line: number; of: number }[];
  malformed: { line: number; kind: MalformedKind }[];
  stragglers: { line: number; event: CtrEvent }[];
  burst: { line: number; event: CtrEvent }[];
  /** The idle stretch in absolute arrival time, when the mode has one. */
  idle?: { partition: number; from: number; to: number };
}

export interface RealisticTraffic {
  lines: TrafficLine[];
  manifest: TrafficManifest;
  /** The product dimension's changelog, ordered by valid_from. */
  dimension: DimensionVersion[];
  /** product_id -> partition. */
  partitionOf: Record<string, number>;
  options: RealisticOptions;
}

/** The lines' texts, record timestamps and partitions, each in line order (what the oracle takes). */
export const trafficTexts = (t: Pick<RealisticTraffic, 'lines'>): string[] => t.lines.map((l) => l.line);
export const trafficTimestamps = (t: Pick<RealisticTraffic, 'lines'>): number[] => t.lines.map((l) => l.timestamp);
export const trafficPartitions = (t: Pick<RealisticTraffic, 'lines'>): number[] => t.lines.map((l) => l.partition);

interface Draft extends TrafficLine {
  kind: TrafficKind;
  /** Index of the original draft, for a duplicate. */
  of?: number;
  event?: CtrEvent;
  malformed?: MalformedKind;
}

type Overrides = Partial<Omit<RealisticOptions, 'seed' | 'idle' | 'clockBurst'>> & { seed: number; idle?: Partial<IdleStretch>; clockBurst?: Partial<ClockBurst> | boolean };

export function realisticTraffic(opts: Overrides): RealisticTraffic {
  const options = resolve(opts);
  const { seed } = options;
  const rng = createRng(seed);
  const products = productIds(options.products);
  const partitionOf = Object.fromEntries(products.map((p) => [p, keyPartition(p, options.partitions)]));
  const byPartition = Array.from({ length: options.partitions }, (_, p) => products.filter((id) => partitionOf[id] === p));
  const empty = byPartition.findIndex((ids) => ids.length === 0);
  if (empty >= 0) throw new RangeError(`realisticTraffic: no product id hashes to partition ${empty} of ${options.partitions}; use more products (40 fill 6 partitions)`);
  const popularity = zipf(products.length, options.zipfExponent);
  const clickRates = products.map(() => options.clickRate * (0.5 + rng.float()));

  const drafts: Draft[] = [];
  const validDrafts: number[] = [];
  // The burst draws from its own sequence and ids, so the rest of the traffic is the same with or without it.
  const burstRng = createRng(seed + 0x9e3779b9);
  const ids = { rt: 0, clock: 0 };
  const freshEvent = (productIndex: number, ts: number, source: 'rt' | 'clock' = 'rt'): CtrEvent => {
    const r = source === 'rt' ? rng : burstRng;
    const event_type: EventType = r.chance(clickRates[productIndex] as number) ? 'click' : 'impression';
    return { event_id: `${source}-${seed}-${(ids[source]++).toString().padStart(7, '0')}`, user_id: `u${String(r.int(options.users)).padStart(4, '0')}`, product_id: products[productIndex] as string, event_type, ts };
  };
  const push = (d: Draft): number => drafts.push(d) - 1;
  const pushEvent = (kind: 'base' | 'straggler' | 'burst', event: CtrEvent, timestamp: number): void => {
    const partition = partitionOf[event.product_id] as number;
    validDrafts.push(push({ kind, line: JSON.stringify(event), partition, timestamp, key: event.product_id, event }));
  };

  const baseEvents = Math.ceil((options.durationMs * options.ratePerSecond) / 1000);
  const burstAt = options.clockBurst ? options.startTs + options.clockBurst.atMs : undefined;
  let burstDone = false;
  for (let i = 0; i < baseEvents; i++) {
    const arrival = options.startTs + Math.floor((i * 1000) / options.ratePerSecond);
    if (arrival >= options.startTs + options.durationMs) break;
    const product = popularity.draw(rng);
    pushEvent('base', freshEvent(product, Math.max(0, arrival - rng.int(options.maxDisorderMs + 1))), arrival);

    if (rng.chance(options.duplicateRate)) {
      const recent = validDrafts.slice(-RETRY_WINDOW);
      const of = recent[rng.int(recent.length)] as number;
      const original = drafts[of] as Draft;
      push({ kind: 'duplicate', line: original.line, partition: original.partition, timestamp: arrival, key: original.key, of });
    }
    if (rng.chance(options.malformedRate)) {
      const kind = rng.pick(MALFORMED_KINDS);
      const from = freshEvent(popularity.draw(rng), arrival);
      push({ kind: 'malformed', line: malformedLine(kind, from, rng), partition: partitionOf[from.product_id] as number, timestamp: arrival, key: from.product_id, malformed: kind });
    }
    if (rng.chance(options.stragglerRate)) {
      const ts = arrival - STRAGGLER_MIN_LAG_MS - rng.int(STRAGGLER_SPREAD_MS + 1);
      if (ts >= 0) pushEvent('straggler', freshEvent(popularity.draw(rng), ts), arrival);
    }
    if (options.clockBurst && !burstDone && burstAt !== undefined && arrival >= burstAt) {
      burstDone = true;
      for (let j = 0; j < options.clockBurst.events; j++) {
        const onPartition = byPartition[j % options.partitions] as string[];
        const product = products.indexOf(onPartition[burstRng.int(onPartition.length)] as string);
        pushEvent('burst', freshEvent(product, arrival + options.clockBurst.aheadMs, 'clock'), arrival);
      }
    }
  }

  const idle = options.mode === 'idle' ? { partition: options.idle.partition, from: options.startTs + options.idle.fromMs, to: options.startTs + options.idle.toMs } : undefined;
  const cut = (d: Draft): boolean => (idle !== undefined && d.partition === idle.partition && d.timestamp >= idle.from && d.timestamp < idle.to) || (options.mode === 'steady' && d.kind === 'straggler');
  const kept = new Map<number, number>(); // draft index -> 1-based line number
  const lines: TrafficLine[] = [];
  const manifest: TrafficManifest = { base: [], duplicates: [], malformed: [], stragglers: [], burst: [], ...(idle ? { idle } : {}) };
  drafts.forEach((d, index) => {
    if (cut(d) || (d.of !== undefined && !kept.has(d.of))) return;
    const line = lines.push({ line: d.line, partition: d.partition, timestamp: d.timestamp, key: d.key });
    kept.set(index, line);
    if (d.kind === 'duplicate') manifest.duplicates.push({ line, of: kept.get(d.of as number) as number });
    else if (d.kind === 'malformed') manifest.malformed.push({ line, kind: d.malformed as MalformedKind });
    else if (d.kind === 'base') manifest.base.push({ line, event: d.event as CtrEvent });
    else if (d.kind === 'straggler') manifest.stragglers.push({ line, event: d.event as CtrEvent });
    else manifest.burst.push({ line, event: d.event as CtrEvent });
  });

  const mid = options.startTs + Math.floor(options.durationMs / 2);
  const dimension = generateDimension({ seed, products: options.products, priceChangeAt: mid + ((WINDOW_MS - (mid % WINDOW_MS)) % WINDOW_MS), entryAt: options.startTs + Math.floor(options.durationMs / 4) });
  return { lines, manifest, dimension, partitionOf, options };
}

function resolve(opts: Overrides): RealisticOptions {
  const { seed, idle, clockBurst, ...rest } = opts;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<RealisticOptions>;
  const burst: ClockBurst | false = clockBurst === undefined || clockBurst === false ? false : { atMs: 120_000, events: 200, aheadMs: YEAR_MS, ...(clockBurst === true ? {} : clockBurst) };
  const o: RealisticOptions = { ...DEFAULT_REALISTIC_OPTIONS, ...defined, seed, idle: { ...DEFAULT_REALISTIC_OPTIONS.idle, ...idle }, clockBurst: burst };
  const fail = (what: string): never => {
    throw new RangeError(`realisticTraffic: ${what}`);
  };
  if (!Number.isFinite(seed)) fail(`seed must be a finite number, got ${seed}`);
  if (o.mode !== 'idle' && o.mode !== 'steady') fail(`mode must be 'idle' or 'steady', got ${String(o.mode)}`);
  for (const key of ['partitions', 'products', 'users'] as const) if (!Number.isInteger(o[key]) || o[key] < 1) fail(`${key} must be an integer >= 1, got ${o[key]}`);
  if (o.products < 2) fail('products must be >= 2 (the dimension changes one price and adds one product)');
  if (!Number.isInteger(o.startTs) || o.startTs < 0) fail(`startTs must be an integer >= 0, got ${o.startTs}`);
  if (!Number.isInteger(o.durationMs) || o.durationMs < 1) fail(`durationMs must be an integer >= 1, got ${o.durationMs}`);
  if (!(o.ratePerSecond > 0) || !Number.isFinite(o.ratePerSecond)) fail(`ratePerSecond must be > 0, got ${o.ratePerSecond}`);
  if (!Number.isInteger(o.maxDisorderMs) || o.maxDisorderMs < 0) fail(`maxDisorderMs must be an integer >= 0, got ${o.maxDisorderMs}`);
  if (o.mode === 'steady' && o.maxDisorderMs > WATERMARK_DELAY_MS) fail(`a steady run promises that nothing is late, which needs maxDisorderMs <= the watermark delay (${WATERMARK_DELAY_MS} ms), got ${o.maxDisorderMs}`);
  for (const key of ['clickRate', 'duplicateRate', 'malformedRate', 'stragglerRate'] as const) if (!(o[key] >= 0 && o[key] <= 1)) fail(`${key} must be in [0, 1], got ${o[key]}`);
  if (!Number.isInteger(o.idle.partition) || o.idle.partition < 0 || o.idle.partition >= o.partitions) fail(`idle.partition must be a partition, 0..${o.partitions - 1}, got ${o.idle.partition}`);
  if (!(Number.isInteger(o.idle.fromMs) && Number.isInteger(o.idle.toMs) && o.idle.fromMs >= 0 && o.idle.fromMs < o.idle.toMs)) fail(`the idle stretch must be whole ms with 0 <= fromMs < toMs, got ${o.idle.fromMs}..${o.idle.toMs}`);
  if (o.clockBurst) {
    const b = o.clockBurst;
    if (!Number.isInteger(b.events) || b.events < 1) fail(`clockBurst.events must be an integer >= 1, got ${b.events}`);
    if (!Number.isInteger(b.atMs) || b.atMs < 0 || b.atMs >= o.durationMs) fail(`clockBurst.atMs must fall within the run (0..${o.durationMs - 1}), got ${b.atMs}`);
    if (!Number.isInteger(b.aheadMs) || b.aheadMs <= ALLOWED_CLOCK_SKEW_MS) fail(`clockBurst.aheadMs must be a whole number of ms beyond the allowed skew (${ALLOWED_CLOCK_SKEW_MS} ms), got ${b.aheadMs}`);
  }
  const lastTs = o.startTs + o.durationMs + (o.clockBurst ? o.clockBurst.aheadMs : 0);
  if (lastTs > MAX_TS) fail(`event times would reach ${lastTs}, beyond the largest valid ts (${MAX_TS})`);
  return o;
}
