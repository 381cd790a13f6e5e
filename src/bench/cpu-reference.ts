/**
 * A fixed CPU workload, timed, so that records from different days (or machines sold under the
 * same name) can be compared: on 2026-11-28 the same code gave 25 % higher figures for everything
 * than the day before, and nothing in the records said why. Single-threaded, allocation-heavy
 * JavaScript (sorting and JSON, like the labs' own harness work), the median of several rounds so a
 * moment of load does not decide it. Lower is faster; only figures with the same Node version compare
 * (ADR 0117).
 */
import { median } from './stats.ts';

export interface CpuReference {
  /** Median wall time of one round, in milliseconds. */
  medianMs: number;
  rounds: number;
  what: string;
}

const WORKLOAD = 'sort 200,000 pseudo-random numbers, then JSON round-trip 20,000 objects';

/** One round of the workload; returns a checksum so the engine cannot drop the work. */
export function cpuReferenceRound(): number {
  // A fixed linear congruential sequence: the same input on every machine.
  let x = 42;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648);
  const numbers = Float64Array.from({ length: 200_000 }, next).sort();
  const objects = Array.from({ length: 20_000 }, (_, i) => ({ id: `e-${i}`, product: `p-${next() % 50}`, clicked: next() % 7 === 0, ts: next() }));
  const back = JSON.parse(JSON.stringify(objects)) as typeof objects;
  return (numbers[100_000] ?? 0) + back.filter((o) => o.clicked).length;
}

export function cpuReference(rounds = 7): CpuReference {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    cpuReferenceRound();
    times.push(performance.now() - t);
  }
  return { medianMs: Math.round(median(times)), rounds, what: `${WORKLOAD} (one thread, median of ${rounds} rounds)` };
}
