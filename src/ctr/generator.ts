/**
 * The dataset generator: JSON lines of ad impressions and clicks, with the mess a real stream has
 * (out-of-order events, duplicates, malformed lines, late events, extra fields), deterministic
 * per seed: the same options and seed give the same lines, byte for byte.
 *
 * Shape: `events` base events at nominal times startTs + i * 1000 / ratePerSecond (ms, floored).
 * Each base event's ts is its nominal time minus a random 0..jitterMs (out of order, but with
 * jitterMs <= WATERMARK_DELAY_MS never late; the first ones can fall before startTs, floored at 0).
 * After each base event, independently and in this
 * order, the generator may inject:
 * - a duplicate (duplicateRate): the exact text of an earlier valid line (base or late), chosen
 *   uniformly;
 * - a malformed line (malformedRate), one kind from MALFORMED_KINDS chosen uniformly;
 * - a late event (lateRate): a fresh valid event whose ts is behind the nominal time by
 *   max(20 s, jitterMs + 15 s) plus 0..40 s. The base event just emitted already pushed the
 *   watermark to at least nominal - jitterMs - 5 s, so its window has closed: late by construction.
 *   Skipped when that ts would be negative.
 * The manifest (generateDatasetWithManifest) says which line is what, for tests and labs.
 */
import { WATERMARK_DELAY_MS, WINDOW_MS, type CtrEvent, type EventType } from './event.ts';
import { createRng, type Rng } from './rng.ts';

export interface DatasetOptions {
  /** Number of base events (the injected lines come on top). */
  events: number;
  /** Number of generic product ids: p01, p02, ... */
  products: number;
  /** Event time of the first base event, epoch ms (the default is aligned to a 10 s window). */
  startTs: number;
  /** Base events per second of event time. */
  ratePerSecond: number;
  /** Probability that a base event is a click rather than an impression. */
  clickRate: number;
  /** Out-of-orderness: each base event's ts is its nominal time minus a random 0..jitterMs. */
  jitterMs: number;
  /** Per base event: probability of re-sending an earlier valid line after it. */
  duplicateRate: number;
  /** Per base event: probability of a malformed line after it. */
  malformedRate: number;
  /** Per base event: probability of a late event after it. */
  lateRate: number;
  /** Probability that a valid event carries fields outside the model (schema evolution). */
  extraFieldRate: number;
  /** Probability that a valid event carries the optional campaign_id. */
  campaignRate: number;
  /** Adds product ids (and some user and event ids) with unicode, quotes, backslashes, emoji. */
  tricky: boolean;
}

export const DEFAULT_DATASET_OPTIONS: Readonly<DatasetOptions> = Object.freeze({
  events: 2000,
  products: 8,
  startTs: 1_700_000_000_000,
  ratePerSecond: 100,
  clickRate: 0.1,
  jitterMs: 2000,
  duplicateRate: 0.02,
  malformedRate: 0.02,
  lateRate: 0.01,
  extraFieldRate: 0.05,
  campaignRate: 0.5,
  tricky: false,
});

export const MALFORMED_KINDS = [
  'truncated_json',
  'plain_text',
  'json_array',
  'empty_line',
  'missing_event_id',
  'empty_user_id',
  'numeric_product_id',
  'view_event_type',
  'ts_string',
  'negative_ts',
  'fractional_ts',
  'exponent_ts',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** Which line is what; line numbers are 1-based, like the oracle's. */
export interface DatasetManifest {
  /** The base events, in order (never late while jitterMs <= 5 s). */
  base: { line: number; event: CtrEvent }[];
  /** Re-sent lines: `line` repeats the text of line `of`. */
  duplicates: { line: number; of: number }[];
  malformed: { line: number; kind: MalformedKind }[];
  /** Late by construction. */
  late: { line: number; event: CtrEvent }[];
}

export interface GeneratedDataset {
  lines: string[];
  manifest: DatasetManifest;
  options: DatasetOptions;
}

/** Generic product ids p01..pNN. */
export function productIds(count: number): string[] {
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => `p${String(i + 1).padStart(width, '0')}`);
}

export const TRICKY_PRODUCT_IDS: readonly string[] = ['prodüct-☃', 'say "hi"', "it's", 'back\\slash', 'emoji-🚀👍🏽', '日本語', 'tab\there', ' padded '];
const TRICKY_USER_IDS: readonly string[] = ['user-ß', 'o\'brien', 'u"q"', 'ü-🙂'];
const TRICKY_EVENT_ID_SUFFIXES: readonly string[] = ['-ü', '-"q"', "-'", '-\\', '-🚀'];
const CAMPAIGNS: readonly string[] = ['spring-sale', 'c-042', 'retarget', 'brand', 'black-friday'];
const USER_AGENTS: readonly string[] = ['Mozilla/5.0 (X11; Linux x86_64)', 'ios-app/7.3', 'android-app/7.2.1'];
const PLAIN_TEXT: readonly string[] = ['hello world', 'ERROR 500 upstream timeout', 'impression,p01,1700000000000', '<event id="1"/>', 'undefined', 'NaN', "{'event_id': 'single-quoted'}"];

export function generateDataset(opts: Partial<DatasetOptions> & { seed: number }): string[] {
  return generateDatasetWithManifest(opts).lines;
}

export function generateDatasetWithManifest(opts: Partial<DatasetOptions> & { seed: number }): GeneratedDataset {
  const { seed, ...rest } = opts;
  const options: DatasetOptions = { ...DEFAULT_DATASET_OPTIONS, ...withoutUndefined(rest) };
  checkOptions(options);
  const rng = createRng(seed);
  const products = [...productIds(options.products), ...(options.tricky ? TRICKY_PRODUCT_IDS : [])];

  const lines: string[] = [];
  const manifest: DatasetManifest = { base: [], duplicates: [], malformed: [], late: [] };
  /** 1-based line numbers of the valid lines emitted so far (duplicate candidates). */
  const validLines: number[] = [];
  let nextId = 0;

  const emit = (text: string): number => lines.push(text);
  const freshEventId = (): string => {
    const id = `ev-${seed}-${(nextId++).toString().padStart(6, '0')}`;
    return options.tricky && rng.chance(0.1) ? id + rng.pick(TRICKY_EVENT_ID_SUFFIXES) : id;
  };
  const userId = (): string => (options.tricky && rng.chance(0.1) ? rng.pick(TRICKY_USER_IDS) : `u${String(rng.int(500)).padStart(3, '0')}`);
  const eventType = (): EventType => (rng.chance(options.clickRate) ? 'click' : 'impression');
  const freshEvent = (ts: number): CtrEvent => {
    const event: CtrEvent = { event_id: freshEventId(), user_id: userId(), product_id: rng.pick(products), event_type: eventType(), ts };
    if (rng.chance(options.campaignRate)) event.campaign_id = rng.pick(CAMPAIGNS);
    return event;
  };
  const validLine = (event: CtrEvent): string => serialize([...eventFields(event), ...(rng.chance(options.extraFieldRate) ? extraFields(rng) : [])]);
  const minLateLag = Math.max(20_000, options.jitterMs + WINDOW_MS + WATERMARK_DELAY_MS);

  for (let i = 0; i < options.events; i++) {
    const nominal = options.startTs + Math.floor((i * 1000) / options.ratePerSecond);

    const event = freshEvent(Math.max(0, nominal - rng.int(options.jitterMs + 1)));
    const line = emit(validLine(event));
    manifest.base.push({ line, event });
    validLines.push(line);

    if (rng.chance(options.duplicateRate) && validLines.length > 0) {
      const of = rng.pick(validLines);
      manifest.duplicates.push({ line: emit(lines[of - 1] as string), of });
    }
    if (rng.chance(options.malformedRate)) {
      const kind = rng.pick(MALFORMED_KINDS);
      manifest.malformed.push({ line: emit(malformedLine(kind, freshEvent(nominal), rng)), kind });
    }
    if (rng.chance(options.lateRate)) {
      const ts = nominal - (minLateLag + rng.int(40_001));
      if (ts >= 0) {
        const lateEvent = freshEvent(ts);
        const lateLine = emit(validLine(lateEvent));
        manifest.late.push({ line: lateLine, event: lateEvent });
        validLines.push(lateLine);
      }
    }
  }
  return { lines, manifest, options };
}

/** A JSON value already written as JSON text, so ts can be written any way we like. */
type Field = [key: string, json: string];

function serialize(fields: readonly Field[]): string {
  return `{${fields.map(([key, json]) => `${JSON.stringify(key)}:${json}`).join(',')}}`;
}

function eventFields(event: CtrEvent): Field[] {
  const fields: Field[] = [
    ['event_id', JSON.stringify(event.event_id)],
    ['user_id', JSON.stringify(event.user_id)],
    ['product_id', JSON.stringify(event.product_id)],
    ['event_type', JSON.stringify(event.event_type)],
    ['ts', String(event.ts)],
  ];
  if (event.campaign_id !== undefined) fields.push(['campaign_id', JSON.stringify(event.campaign_id)]);
  return fields;
}

function extraFields(rng: Rng): Field[] {
  switch (rng.int(3)) {
    case 0:
      return [['user_agent', JSON.stringify(rng.pick(USER_AGENTS))], ['schema_version', '3']];
    case 1:
      // A nested "ts" written badly: only the top-level ts is judged.
      return [['schema_version', '3'], ['geo', '{"country":"DE","ts":1.5e3}']];
    default:
      return [['user_agent', JSON.stringify(rng.pick(USER_AGENTS))], ['referrer', 'null'], ['tags', '["a","b"]']];
  }
}

/** A malformed line of `kind`, made from `event` (realistic.ts reuses the kinds). */
export function malformedLine(kind: MalformedKind, event: CtrEvent, rng: Rng): string {
  const fields = eventFields(event);
  const replace = (key: string, json: string | undefined): Field[] =>
    json === undefined ? fields.filter(([k]) => k !== key) : fields.map(([k, v]): Field => (k === key ? [k, json] : [k, v]));
  const ts = event.ts;
  switch (kind) {
    case 'truncated_json': {
      const full = serialize(fields);
      // A proper prefix of an object is never valid JSON (the closing brace is the last char).
      let cut = 1 + rng.int(full.length - 1);
      const code = full.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // never split a surrogate pair
      return full.slice(0, cut);
    }
    case 'plain_text':
      return rng.pick(PLAIN_TEXT);
    case 'json_array':
      return rng.chance(0.5) ? `[${serialize(fields)}]` : `[${JSON.stringify(event.event_type)},${JSON.stringify(event.product_id)},${ts}]`;
    case 'empty_line':
      return rng.chance(0.5) ? '' : '   ';
    case 'missing_event_id':
      return serialize(replace('event_id', undefined));
    case 'empty_user_id':
      return serialize(replace('user_id', '""'));
    case 'numeric_product_id':
      return serialize(replace('product_id', String(rng.int(100))));
    case 'view_event_type':
      return serialize(replace('event_type', '"view"'));
    case 'ts_string':
      return serialize(replace('ts', `"${ts}"`));
    case 'negative_ts':
      return serialize(replace('ts', `-${ts}`));
    case 'fractional_ts':
      return serialize(replace('ts', `${ts}.${rng.pick(['0', '5', '25'])}`));
    case 'exponent_ts':
      return serialize(replace('ts', rng.chance(0.5) ? ts.toExponential() : `${ts}e0`));
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function checkOptions(o: DatasetOptions): void {
  const fail = (what: string): never => {
    throw new RangeError(`generateDataset: ${what}`);
  };
  if (!Number.isInteger(o.events) || o.events < 0) fail(`events must be an integer >= 0, got ${o.events}`);
  if (!Number.isInteger(o.products) || o.products < 1) fail(`products must be an integer >= 1, got ${o.products}`);
  if (!Number.isInteger(o.startTs) || o.startTs < 0 || o.startTs >= 1e15) fail(`startTs must be an integer in [0, 1e15), got ${o.startTs}`);
  if (!(o.ratePerSecond > 0) || !Number.isFinite(o.ratePerSecond)) fail(`ratePerSecond must be > 0, got ${o.ratePerSecond}`);
  const lastNominal = o.startTs + Math.floor((Math.max(0, o.events - 1) * 1000) / o.ratePerSecond);
  if (lastNominal >= 1e15) fail(`event times would reach ${lastNominal}, beyond the 15 digits a valid ts may have`);
  if (!Number.isInteger(o.jitterMs) || o.jitterMs < 0) fail(`jitterMs must be an integer >= 0, got ${o.jitterMs}`);
  for (const key of ['clickRate', 'duplicateRate', 'malformedRate', 'lateRate', 'extraFieldRate', 'campaignRate'] as const) {
    if (!(o[key] >= 0 && o[key] <= 1)) fail(`${key} must be in [0, 1], got ${o[key]}`);
  }
}
