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

/**
 * Runs `stop` for every service in `specs` at once, except that a service waits until each of its
 * dependents in `specs` has stopped (the gateway and the TaskManager before the JobManager; Kafka,
 * ClickHouse and the JobManager's chain side by side). One after the other, a stack's stop took
 * the sum of its services' stops (issue 13). Every stop runs even when another fails; the first
 * failure is thrown once all have settled. Results come back in the order of `specs`.
 */
export async function inReverseDependencyOrder<T extends { name: ServiceName; dependsOn: readonly ServiceName[] }, R>(specs: readonly T[], stop: (spec: T) => Promise<R>): Promise<R[]> {
  const done = new Map<ServiceName, Promise<R>>();
  const stopOf = (spec: T): Promise<R> => {
    const started = done.get(spec.name);
    if (started) return started;
    const dependents = specs.filter((s) => s.dependsOn.includes(spec.name));
    const p = Promise.allSettled(dependents.map(stopOf)).then(() => stop(spec));
    done.set(spec.name, p);
    return p;
  };
  const all = specs.map(stopOf);
  const settled = await Promise.allSettled(all);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}
