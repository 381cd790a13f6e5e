/**
 * One way a consumer may interleave several partitions, and the oracle's output for it (ADR 0101).
 * With many partitions, which events are late depends on the order in which the partitions are
 * read: this models that order (each partition in its own order, the partitions read in runs of
 * random length, as fetches return batches), so tests and lessons can show several equally
 * correct runs of the same traffic. It is a model, not a prediction of what Flink will do.
 */
import { type OracleOutput, type OracleParams, runOracle } from './oracle.ts';
import { createRng } from './rng.ts';

/**
 * An order of the line indices 0..n-1 that keeps each partition's own order: repeatedly a random
 * partition that still has lines gives its next 1..maxRun lines. Deterministic per seed.
 */
export function interleave(partitions: readonly number[], seed: number, maxRun = 200): number[] {
  if (!Number.isInteger(maxRun) || maxRun < 1) throw new RangeError(`maxRun must be an integer >= 1, got ${maxRun}`);
  const queues = new Map<number, number[]>();
  partitions.forEach((p, i) => queues.set(p, [...(queues.get(p) ?? []), i]));
  const rng = createRng(seed);
  const order: number[] = [];
  const heads = new Map([...queues.keys()].map((p) => [p, 0]));
  let open = [...queues.keys()].sort((a, b) => a - b);
  while (open.length > 0) {
    const p = rng.pick(open);
    const queue = queues.get(p) as number[];
    const from = heads.get(p) as number;
    const to = Math.min(queue.length, from + 1 + rng.int(maxRun));
    order.push(...queue.slice(from, to));
    heads.set(p, to);
    if (to === queue.length) open = open.filter((q) => q !== p);
  }
  return order;
}

/** The lines as the pipeline sees them: text, partition, and the record timestamp when the clock rule applies. */
export interface PartitionedLines {
  texts: readonly string[];
  partitions: readonly number[];
  recordTimestamps?: readonly number[];
}

/**
 * The oracle over the lines read in `order` (from interleave()), with a watermark per partition.
 * Line numbers in the output are positions in that order. The broken-clock rule applies when
 * `input` has record timestamps (in input order), with `allowedSkewMs` or the default skew.
 */
export function runInterleaved(input: PartitionedLines, order: readonly number[], params: Omit<OracleParams, 'partitions' | 'clock'> & { allowedSkewMs?: number } = {}): OracleOutput {
  const pick = <T>(xs: readonly T[]): T[] => order.map((i) => xs[i] as T);
  const { allowedSkewMs, ...rest } = params;
  const clock = input.recordTimestamps ? { recordTimestamps: pick(input.recordTimestamps), ...(allowedSkewMs === undefined ? {} : { allowedSkewMs }) } : undefined;
  return runOracle(pick(input.texts), { ...rest, ...(clock ? { clock } : {}), partitions: pick(input.partitions) });
}
