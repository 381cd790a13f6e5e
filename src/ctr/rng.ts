/**
 * A small seeded PRNG (mulberry32): the same seed gives the same sequence on every machine and
 * Node version, which Math.random does not. Not for cryptography.
 * The seed is taken modulo 2^32 (seeds 1 and 2^32 + 1 give the same sequence).
 */
export interface Rng {
  /** The next 32-bit unsigned integer. */
  next(): number;
  /** A float in [0, 1). */
  float(): number;
  /** An integer in [0, n), n a positive integer. */
  int(n: number): number;
  /** An element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** true with probability p (p <= 0: never, p >= 1: always). */
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const float = (): number => next() / 4294967296;
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int(n) needs a positive integer, got ${n}`);
    return Math.floor(float() * n);
  };
  return {
    next,
    float,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
      return items[int(items.length)] as T;
    },
    chance: (p: number): boolean => float() < p,
  };
}
