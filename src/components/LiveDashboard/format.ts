import type { Unit } from '../../observability/panels';

/** A value as its panel's unit reads: "1,234/s", "12.3 s", "4.1 MiB", "2.5%". */
export function formatValue(v: number, unit: Unit): string {
  if (!Number.isFinite(v)) return String(v);
  const n = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d });
  switch (unit) {
    case 'ops':
      return `${n(v)}/s`;
    case 's':
      return `${n(v)} s`;
    case 'ms':
      return `${n(v, 0)} ms`;
    case 'bytes':
      return v >= 1024 * 1024 ? `${n(v / 1024 / 1024)} MiB` : v >= 1024 ? `${n(v / 1024)} KiB` : `${n(v, 0)} B`;
    case 'percentunit':
      return `${n(v * 100, 2)}%`;
    default:
      return n(v, 2);
  }
}
