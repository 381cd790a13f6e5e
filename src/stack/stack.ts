import { abortPromise as abortRace } from './abort.ts';
import { StackError } from './errors.ts';
import type { StackListener } from './events.ts';
import { silent } from './events.ts';
import { acquireLock } from './lock.ts';
import { preflight } from './preflight.ts';
import { isAlive, killNow, residentBytes, stopPid, tailFile } from './process.ts';
import { inReverseDependencyOrder, withDependencies } from './dependencies.ts';
import { SERVICES, serviceSpec } from './registry.ts';
import type { DownResult, ServiceInfo, StatusRow, UpOptions, UpOutcome, UpResult } from './backend.ts';
import { DEFAULT_SERVICE_NAMES, REALISTIC_EXTRA_NAMES, type HealthReport, type ServiceName, type ServiceRecord, type ServiceSpec, type StartContext } from './service.ts';
import { forgetService, readState, recordService } from './state.ts';
import { writeScrapeTargets } from './prometheus/targets.ts';

/** Prometheus finds the services' metrics ports in a file rewritten as they start and stop (ADR 0070). */
function syncScrapeTargets(): void {
  try {
    writeScrapeTargets(readState());
  } catch {
    /* a missing target list costs metrics, never the stack: the next start or stop rewrites it */
  }
}

/** What any backend shows of a local service record. */
export function serviceInfo(rec: ServiceRecord): ServiceInfo {
  return { name: rec.name, url: rec.url, version: rec.version, where: `pid ${rec.pid}` };
}

/**
 * Brings the services asked for (default: the default stack, DEFAULT_SERVICE_NAMES) to healthy. Running healthy services are kept;
 * dead or sick ones are restarted along with what depends on them. On any failure (or abort) it
 * stops what it started and rejects: nothing is left half-started.
 */
export async function up(opts: UpOptions = {}): Promise<UpResult> {
  const emit = opts.listener ?? silent;
  const t0 = Date.now();
  const release = acquireLock();
  const spawnedNow = new Map<ServiceName, number>();
  const startedNow: ServiceName[] = [];
  const starting = new Map<ServiceName, Promise<ServiceRecord>>();
  // Resolves when dependents may start: at ctx.reachable() if the service calls it, else at health.
  const reachable = new Map<ServiceName, Promise<unknown>>();
  let failing = false;
  try {
    // No list means the default stack: the realistic shape's extras start only when named (ADR 0091).
    const { keep, restart, previousPorts } = await triage(withDependencies(SERVICES, opts.services ?? DEFAULT_SERVICE_NAMES), emit, t0);
    const toStart = SERVICES.filter((s) => restart.has(s.name));
    await preflight(toStart);
    throwIfAborted(opts.signal);

    await prepareAll(toStart, emit, t0, opts.signal);

    const ctx: StartContext = {
      taken: new Set(Object.values(keep).flatMap((r) => Object.values(r.ports))),
      previousPorts,
      running: { ...keep },
      notice: (message) => emit({ kind: 'notice', message }),
      spawned: () => {},
      reachable: () => {},
    };
    const results: UpResult['services'] = Object.values(keep).map((record) => ({ ...serviceInfo(record), outcome: 'kept', ms: 0 }));
    const startOne = (spec: ServiceSpec): Promise<ServiceRecord> => {
      const existing = starting.get(spec.name);
      if (existing) return existing;
      let markReachable: () => void = () => {};
      const early = new Promise<void>((resolve) => {
        markReachable = resolve;
      });
      const promise = (async () => {
        await Promise.all(spec.dependsOn.filter((d) => restart.has(d)).map((d) => (startOne(serviceSpec(d)), reachable.get(d))));
        throwIfAborted(opts.signal);
        if (failing) throw new StackError(`${spec.name} not started: another service failed.`);
        const s0 = Date.now();
        emit({ kind: 'phase', service: spec.name, phase: 'starting', elapsedMs: s0 - t0 });
        const record = await spec.start({
          ...ctx,
          spawned: (pid) => spawnedNow.set(spec.name, pid),
          reachable: (rec) => {
            ctx.running[spec.name] = rec;
            emit({ kind: 'phase', service: spec.name, phase: 'reachable', elapsedMs: Date.now() - t0, detail: `dependents may start (${((Date.now() - s0) / 1000).toFixed(1)} s)` });
            markReachable();
          },
        });
        markReachable();
        ctx.running[spec.name] = record;
        recordService(record);
        syncScrapeTargets();
        startedNow.push(spec.name);
        results.push({ ...serviceInfo(record), outcome: restart.get(spec.name) ?? 'started', ms: Date.now() - s0 });
        emit({ kind: 'phase', service: spec.name, phase: 'healthy', elapsedMs: Date.now() - t0, detail: `${record.url} in ${((Date.now() - s0) / 1000).toFixed(1)} s`, url: record.url });
        return record;
      })();
      starting.set(spec.name, promise);
      // A failed start must release its dependents too (they then see `failing` and stop).
      const ready = Promise.race([early, promise]);
      // Only dependents await `ready`: a service nothing depends on would leave its failure
      // unhandled there (and Node would exit mid-cleanup). The error itself surfaces through `promise`.
      ready.catch(() => {});
      reachable.set(spec.name, ready);
      return promise;
    };
    const abort = abortPromise(opts.signal);
    await Promise.race([Promise.all(toStart.map(startOne)), abort.promise]).finally(abort.dispose);
    return { services: results, startedNow, totalMs: Date.now() - t0 };
  } catch (err) {
    // Stop everything this call spawned, dependents first, whether or not it became healthy.
    // Killing first makes in-flight health waits fail fast; a start that slipped through
    // meanwhile is stopped in the second pass.
    failing = true;
    const stopSpawned = async () => {
      const names = [...spawnedNow.keys()];
      await stopNames(SERVICES.filter((s) => names.includes(s.name)).reverse(), emit, t0, spawnedNow);
      names.forEach((n) => spawnedNow.delete(n));
    };
    await stopSpawned();
    await Promise.allSettled(starting.values());
    await stopSpawned();
    throw err;
  } finally {
    release();
  }
}

/** Decides per service: keep (alive and healthy) or (re)start; a restart drags its dependents along. */
async function triage(
  specs: readonly ServiceSpec[],
  emit: StackListener,
  t0: number,
): Promise<{ keep: Partial<Record<ServiceName, ServiceRecord>>; restart: Map<ServiceName, UpOutcome>; previousPorts: StartContext['previousPorts'] }> {
  const state = readState();
  const restart = new Map<ServiceName, UpOutcome>();
  const keep: Partial<Record<ServiceName, ServiceRecord>> = {};
  const previousPorts: StartContext['previousPorts'] = {};
  for (const spec of specs) {
    const rec = state.services[spec.name];
    const depRestarting = spec.dependsOn.some((d) => restart.has(d));
    if (rec && !depRestarting && isAlive(rec.pid) && (await safeHealth(spec, rec)).ok) {
      keep[spec.name] = rec;
      emit({ kind: 'phase', service: spec.name, phase: 'kept', elapsedMs: Date.now() - t0, detail: `already running at ${rec.url} (pid ${rec.pid})` });
      continue;
    }
    if (rec) {
      emit({ kind: 'phase', service: spec.name, phase: 'repairing', elapsedMs: Date.now() - t0, detail: isAlive(rec.pid) ? 'unhealthy: restarting it' : `pid ${rec.pid} is gone: restarting it` });
      await (spec.stop ?? defaultStop)(rec);
      forgetService(spec.name);
      previousPorts[spec.name] = rec.ports;
      restart.set(spec.name, 'repaired');
    } else {
      restart.set(spec.name, 'started');
    }
  }
  return { keep, restart, previousPorts };
}

async function prepareAll(specs: readonly ServiceSpec[], emit: StackListener, t0: number, signal?: AbortSignal): Promise<void> {
  const unique = [...new Set(specs.map((s) => s.prepare).filter((p): p is NonNullable<ServiceSpec['prepare']> => !!p))];
  if (unique.length === 0) return;
  emit({ kind: 'phase', service: 'jars', phase: 'preparing', elapsedMs: Date.now() - t0 });
  const p0 = Date.now();
  const abort = abortPromise(signal);
  const done = await Promise.race([Promise.all(unique.map((p) => p())), abort.promise]).finally(abort.dispose);
  const downloaded = done.some((d) => d.downloaded);
  emit({ kind: 'phase', service: 'jars', phase: 'prepared', elapsedMs: Date.now() - t0, detail: `${downloaded ? 'resolved from Maven Central' : 'cached'} in ${((Date.now() - p0) / 1000).toFixed(1)} s` });
}

/**
 * A failure drill's fault: SIGKILL one service by its recorded pid and wait until it is gone.
 * The record stays, so the next up() reports the service as 'repaired' and starts it again on
 * the same ports (and restarts only the services that depend on it).
 */
export async function killService(name: ServiceName): Promise<{ pid: number; at: number }> {
  const rec = readState().services[name];
  if (!rec || !isAlive(rec.pid)) throw new StackError(`${name} is not running, so there is nothing to kill: start the stack with \`npm run stack up\`.`);
  killNow(rec.pid);
  const at = Date.now();
  for (let i = 0; i < 50 && isAlive(rec.pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(rec.pid)) throw new StackError(`${name} (pid ${rec.pid}) survived SIGKILL for 5 s: check it with \`ps -p ${rec.pid}\`.`);
  return { pid: rec.pid, at };
}

/** Stops every recorded service, dependents first. Nothing running is not an error. */
export async function down(opts: { listener?: StackListener; only?: readonly ServiceName[] } = {}): Promise<DownResult> {
  const emit = opts.listener ?? silent;
  const t0 = Date.now();
  const release = acquireLock();
  try {
    const state = readState();
    const specs = SERVICES.filter((s) => state.services[s.name] && (!opts.only || opts.only.includes(s.name))).reverse();
    return { stopped: await stopNames(specs, emit, t0) };
  } finally {
    release();
  }
}

async function stopNames(specs: readonly ServiceSpec[], emit: StackListener, t0: number, extraPids?: Map<ServiceName, number>): Promise<DownResult['stopped']> {
  // Dependents first, everything else side by side (state writes are synchronous, so they never interleave).
  return inReverseDependencyOrder(specs, async (spec) => {
    const rec = readState().services[spec.name];
    const pid = rec?.pid ?? extraPids?.get(spec.name);
    emit({ kind: 'phase', service: spec.name, phase: 'stopping', elapsedMs: Date.now() - t0 });
    const outcome = rec ? (await (spec.stop ?? defaultStop)(rec), 'stopped') : await stopPid(pid);
    forgetService(spec.name);
    syncScrapeTargets();
    emit({ kind: 'phase', service: spec.name, phase: 'stopped', elapsedMs: Date.now() - t0, detail: pid ? `pid ${pid}` : undefined });
    return { name: spec.name, outcome };
  });
}

export async function status(): Promise<StatusRow[]> {
  const state = readState();
  // The realistic shape's extras are listed only when recorded: the default stack's table stays as it was.
  const shown = SERVICES.filter((spec) => !REALISTIC_EXTRA_NAMES.includes(spec.name) || state.services[spec.name]);
  return Promise.all(
    shown.map(async (spec): Promise<StatusRow> => {
      const record = state.services[spec.name];
      if (!record) return { name: spec.name, state: 'not started' };
      const info = serviceInfo(record);
      if (!isAlive(record.pid)) return { name: spec.name, state: 'dead', info, logTail: await tailFile(record.logFile, 15) };
      const health = await safeHealth(spec, record);
      const rssBytes = await residentBytes(record.pid);
      return { name: spec.name, state: health.ok ? 'running' : 'unhealthy', info, health, rssBytes, logTail: health.ok ? undefined : await tailFile(record.logFile, 15) };
    }),
  );
}

async function safeHealth(spec: ServiceSpec, rec: ServiceRecord): Promise<HealthReport> {
  try {
    return await spec.health(rec);
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

async function defaultStop(rec: ServiceRecord): Promise<void> {
  await stopPid(rec.pid);
}

const interrupted = () => new StackError('Interrupted: stopped what this command had started.');

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw interrupted();
}

function abortPromise(signal?: AbortSignal) {
  return abortRace(signal, interrupted);
}
