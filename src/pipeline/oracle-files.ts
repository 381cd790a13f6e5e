/**
 * The oracle's verdict on a set of inputs, written as files for tests outside TypeScript (the
 * Kotlin job's MiniCluster test reads them): per input, its lines (base64) and what the oracle
 * says of them. Lines over the pipeline's size limit are left out of both: the producer, not the
 * job, handles them (ingest.ts).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_LINE_BYTES } from '../ctr/event.ts';
import { type InputLine, lineByteLength, lineBytes } from '../ctr/line.ts';
import { runOracle } from '../ctr/oracle.ts';

export interface OracleFile {
  name: string;
  lines: string[];
  results: { product_id: string; window_start: number; impressions: number; clicks: number; ctr: number | null }[];
  dlq: { payload: string; reason: string }[];
  duplicates: { event_id: string }[];
  late: { event_id: string; window_start: number }[];
}

export function oracleFile(name: string, all: readonly InputLine[]): OracleFile {
  const lines = all.filter((l) => lineByteLength(l) <= MAX_LINE_BYTES);
  const o = runOracle(lines);
  return {
    name,
    lines: lines.map((l) => Buffer.from(lineBytes(l)).toString('base64')),
    results: o.results,
    dlq: o.dlq.map(({ payload, reason }) => ({ payload, reason })),
    duplicates: o.duplicates.map(({ event_id }) => ({ event_id })),
    late: o.late.map((l) => ({ event_id: l.event.event_id, window_start: l.windowStart })),
  };
}

/** Writes one `<name>.json` per input into `dir`, emptied first. */
export function writeOracleFiles(dir: string, inputs: Record<string, readonly InputLine[]>): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, lines] of Object.entries(inputs)) writeFileSync(join(dir, `${name}.json`), JSON.stringify(oracleFile(name, lines)));
  return Object.keys(inputs).length;
}
