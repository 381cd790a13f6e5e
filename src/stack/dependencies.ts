import type { ServiceName } from './service.ts';

/**
 * The services asked for and everything they depend on, in the order of `all` (a valid start
 * order); all of them when none are named. Any backend's service list fits.
 */
export function withDependencies<T extends { name: ServiceName; dependsOn: readonly ServiceName[] }>(all: readonly T[], names?: readonly ServiceName[]): T[] {
  if (!names) return [...all];
  const byName = new Map(all.map((s) => [s.name, s]));
  const wanted = new Set<ServiceName>();
  const add = (n: ServiceName): void => {
    if (wanted.has(n)) return;
    const spec = byName.get(n);
    if (!spec) throw new Error(`unknown service ${n}`);
    wanted.add(n);
    spec.dependsOn.forEach(add);
  };
  names.forEach(add);
  return all.filter((s) => wanted.has(s.name));
}
