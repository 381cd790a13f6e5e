/**
 * Zipf-like popularity: the item of rank k (1-based) is drawn with probability proportional to
 * 1 / k^exponent. Exponent 0 is uniform; around 1 is the classic long tail of product views (a few
 * products take most of the traffic).
 */
import type { Rng } from './rng.ts';

export interface Zipf {
  /** Probability of each rank, in rank order (sums to 1). */
  readonly shares: readonly number[];
  /** A 0-based index drawn from the distribution (one rng.float() per draw). */
  draw(rng: Rng): number;
}

export function zipf(count: number, exponent: number): Zipf {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`zipf: count must be an integer >= 1, got ${count}`);
  if (!(exponent >= 0) || !Number.isFinite(exponent)) throw new RangeError(`zipf: exponent must be a finite number >= 0, got ${exponent}`);
  const weights = Array.from({ length: count }, (_, i) => 1 / (i + 1) ** exponent);
  const total = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => w / total);
  const cumulative: number[] = [];
  let sum = 0;
  for (const s of shares) cumulative.push((sum += s));
  return {
    shares,
    draw(rng) {
      const u = rng.float() * sum;
      // The first rank whose cumulative share exceeds u (binary search).
      let lo = 0;
      let hi = count - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cumulative[mid] as number) > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}
