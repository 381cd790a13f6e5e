/**
 * The container backend (`--backend docker`, ADR 0024 and the ADR on project-built images):
 * the five services as containers of images the project builds, started with testcontainers
 * on a user-defined network of the stack's own (aliases kafka, clickhouse, jobmanager,
 * taskmanager, sql-gateway), with ports published on 127.0.0.1 for Node clients. Containers
 * are recorded by id in <stack dir>/docker-state.json and stopped by id, so any process can
 * stop what another started; nothing depends on Ryuk.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendFaults, DownResult, Endpoints, StackBackend, StatusRow, UpOptions, UpOutcome, UpResult } from '../backend.ts';
import { inReverseDependencyOrder, withDependencies } from '../dependencies.ts';
import { localOnlyRefusal } from '../profiles.ts';
import { lazyEndpoints } from '../endpoints.ts';
import { abortPromise } from '../abort.ts';
import { StackError } from '../errors.ts';
import { silent, type StackListener } from '../events.ts';
import { acquireLock } from '../lock.ts';
import { stackDir } from '../paths.ts';
import { requireMemory } from '../preflight.ts';
import { serviceSpec } from '../registry.ts';
import type { HealthReport, ServiceName, ServiceRecord } from '../service.ts';
import { containerLogTail, demuxLogs, exitDescription } from './logs.ts';
import { type Docker, type DockerContainer, docker, statusCode } from './engine.ts';
import { ensureImages, type ProjectImage } from './images.ts';
import { ALIAS, CPATH, INTERNAL_KAFKA } from './render.ts';
import { CONTAINERS, type ContainerSpec, containerSpec, type DockerStartContext, startContainer } from './services.ts';
import { type ContainerRecord, type DockerState, readDockerState, stackId, updateDockerState } from './state.ts';

const BACKEND = '--backend docker';
const UP_HINT = `npm run stack -- up ${BACKEND}`;

export interface DockerBackendOptions {
  /** Run this image for ClickHouse instead of the project's (e.g. an official clickhouse/clickhouse-server tag). */
  clickhouseImage?: string;
}

type ContainerState = { exists: false } | { exists: true; running: boolean; paused: boolean; exit: string; networks: string[] };

async function inspect(d: Docker, id: string): Promise<ContainerState> {
  try {
    const info = await d.getContainer(id).inspect();
    const s = info.State;
    return { exists: true, running: s.Running && !s.Paused, paused: s.Paused, exit: exitDescription(s), networks: Object.keys(info.NetworkSettings.Networks ?? {}) };
  } catch (err) {
    if (statusCode(err) === 404) return { exists: false };
    throw err;
  }
}

/** A container record as the local services' health checks read it: the same checks on both backends. */
function asServiceRecord(rec: ContainerRecord): ServiceRecord {
  return { name: rec.name, pid: 0, ports: rec.ports, url: rec.url, logFile: '', version: rec.version, instanceId: rec.instanceId, startedAt: rec.startedAt };
}

async function health(rec: ContainerRecord): Promise<HealthReport> {
  try {
    return await serviceSpec(rec.name).health(asServiceRecord(rec));
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

function where(rec: ContainerRecord): string {
  return `container ${rec.containerName}`;
}

function recordOf(service: ServiceName): ContainerRecord {
  const rec = readDockerState().services[service];
  if (!rec) throw new StackError(`${service} is not running on the docker backend: start it with \`${UP_HINT}\`.`);
  return rec;
}

/** For a container or network that may already be gone (404) or stopped (409): anything else is rethrown. */
function unlessGone(err: unknown): void {
  const code = statusCode(err);
  if (code !== 404 && code !== 409) throw err;
}

const interrupted = () => new StackError('Interrupted: stopped what this command had started.');

export function dockerBackend(options: DockerBackendOptions = {}): StackBackend {
  const labels = () => ({ 'ctr-labs.stack': stackId(), 'ctr-labs.stack-dir': stackDir() });

  async function ensureNetwork(d: Docker, state: DockerState): Promise<{ id: string; name: string }> {
    if (state.network) {
      try {
        await d.getNetwork(state.network.id).inspect();
        return state.network;
      } catch (err) {
        if (statusCode(err) !== 404) throw err;
      }
    }
    const name = `ctr-${stackId()}`;
    const existing = await d.listNetworks({ filters: { name: [name], label: [`ctr-labs.stack=${stackId()}`] } });
    const found = existing.find((n) => n.Name === name);
    const network = found ? { id: found.Id, name } : { id: (await d.createNetwork({ Name: name, Driver: 'bridge', Labels: labels(), CheckDuplicate: true })).id, name };
    updateDockerState((s) => {
      s.network = network;
    });
    return network;
  }

  /** Containers labelled for this stack dir that no record names (a crash between create and record): removed before a start reuses their names. */
  async function removeOrphans(d: Docker): Promise<void> {
    const known = new Set(Object.values(readDockerState().services).map((r) => r.containerId));
    const mine = await d.listContainers({ all: true, filters: { label: [`ctr-labs.stack=${stackId()}`] } });
    for (const c of mine.filter((c) => !known.has(c.Id))) await d.getContainer(c.Id).remove({ force: true });
  }

  async function stopContainer(d: Docker, id: string, graceSeconds: number): Promise<string> {
    const c = d.getContainer(id);
    try {
      const s = (await c.inspect()).State;
      if (s.Paused) await c.unpause();
      if (s.Running) await c.stop({ t: graceSeconds });
      await c.remove({ force: true });
      return 'stopped';
    } catch (err) {
      if (statusCode(err) === 404) return 'already gone';
      throw err;
    }
  }

  async function triage(d: Docker, specs: readonly ContainerSpec[], emit: StackListener, t0: number) {
    const state = readDockerState();
    const keep: Partial<Record<ServiceName, ContainerRecord>> = {};
    const plan = new Map<ServiceName, { outcome: UpOutcome; restart?: ContainerRecord }>();
    const previousPorts: DockerStartContext['previousPorts'] = {};
    for (const spec of specs) {
      const rec = state.services[spec.name];
      const depRestarting = spec.dependsOn.some((dep) => plan.has(dep));
      const c = rec ? await inspect(d, rec.containerId) : undefined;
      if (rec && c?.exists && c.running && !depRestarting && (await health(rec)).ok) {
        keep[spec.name] = rec;
        emit({ kind: 'phase', service: spec.name, phase: 'kept', elapsedMs: Date.now() - t0, detail: `already running at ${rec.url} (${where(rec)})` });
        continue;
      }
      if (!rec) {
        plan.set(spec.name, { outcome: 'started' });
        continue;
      }
      const offNetwork = c?.exists && state.network && !c.networks.includes(state.network.name);
      const why = !c?.exists ? 'its container is gone' : c.paused ? 'paused' : !c.running ? `its container ${c.exit}` : offNetwork ? 'cut off from the stack network' : depRestarting ? 'a service it depends on restarts' : 'unhealthy';
      if (c?.exists) {
        // The same container again: same alias, same published ports, same file system (a
        // restarted broker keeps its log, as a restarted local broker keeps .stack/data/kafka).
        emit({ kind: 'phase', service: spec.name, phase: 'repairing', elapsedMs: Date.now() - t0, detail: `${why}: ${c.paused ? 'thawing' : offNetwork ? 'reconnecting' : 'restarting'} ${rec.containerName}` });
        plan.set(spec.name, { outcome: 'repaired', restart: rec });
      } else {
        emit({ kind: 'phase', service: spec.name, phase: 'repairing', elapsedMs: Date.now() - t0, detail: `${why}: creating it again on the same ports` });
        previousPorts[spec.name] = rec.ports;
        updateDockerState((s) => {
          delete s.services[spec.name];
        });
        plan.set(spec.name, { outcome: 'repaired' });
      }
    }
    return { keep, plan, previousPorts };
  }

  /** Puts a container back on the stack's network under its alias (after a network fault). */
  async function attach(d: Docker, rec: ContainerRecord, network: string): Promise<boolean> {
    const info = await d.getContainer(rec.containerId).inspect();
    if (info.NetworkSettings.Networks[network]) return false;
    await d.getNetwork(network).connect({ Container: rec.containerId, EndpointConfig: { Aliases: [ALIAS[rec.name]] } });
    return true;
  }

  function networkName(): string {
    const network = readDockerState().network;
    if (!network) throw new StackError(`The docker stack has no network recorded: start it with \`${UP_HINT}\`.`);
    return network.name;
  }

  async function running(service: ServiceName, fault: string): Promise<{ d: Docker; rec: ContainerRecord; container: DockerContainer }> {
    const rec = readDockerState().services[service];
    const d = await docker();
    const c = rec ? await inspect(d, rec.containerId) : undefined;
    if (!rec || !c?.exists || !(c.running || c.paused)) throw new StackError(`${service} is not running on the docker backend, so it cannot be ${fault}: start it with \`${UP_HINT}\`.`);
    return { d, rec, container: d.getContainer(rec.containerId) };
  }

  /**
   * Brings an existing container back: a frozen or cut-off one is thawed and put back on the
   * network first, and kept when that makes it healthy (what ends those faults in real life);
   * otherwise (stopped, killed, sick) it is started again, the same container, and waits for
   * the same readiness check as a new one.
   */
  async function restart(d: Docker, spec: ContainerSpec, rec: ContainerRecord, ctx: DockerStartContext): Promise<ContainerRecord> {
    const container: DockerContainer = d.getContainer(rec.containerId);
    const s = (await container.inspect()).State;
    if (s.Running) {
      if (s.Paused) await container.unpause();
      const reattached = await attach(d, rec, ctx.network);
      if (s.Paused || reattached) {
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline) {
          if ((await health(rec)).ok) return rec;
          await sleep(500);
        }
      }
      await container.stop({ t: spec.stopGraceSeconds });
    }
    await attach(d, rec, ctx.network);
    const wait = await spec.readiness(ctx, rec.url);
    await container.start();
    await wait.waitUntilReady(container);
    return { ...rec, ...wait.value, startedAt: new Date().toISOString() };
  }

  const faults: BackendFaults = {
    async pause(service) {
      const { rec, container } = await running(service, 'paused');
      await container.pause();
      return { at: Date.now(), where: where(rec) };
    },
    async unpause(service) {
      const { container } = await running(service, 'unpaused');
      await container.unpause();
      return { at: Date.now() };
    },
    async disconnect(service) {
      const { d, rec } = await running(service, 'cut off');
      await d.getNetwork(networkName()).disconnect({ Container: rec.containerId, Force: true });
      return { at: Date.now(), where: `${where(rec)}, off network ${networkName()}` };
    },
    async reconnect(service) {
      const { d, rec } = await running(service, 'reconnected');
      await attach(d, rec, networkName());
      return { at: Date.now() };
    },
  };

  const backend: StackBackend = {
    name: 'docker',
    faults,

    async up(opts: UpOptions = {}): Promise<UpResult> {
      const emit = opts.listener ?? silent;
      const t0 = Date.now();
      const release = acquireLock();
      const createdNow = new Map<ServiceName, string>();
      const restartedNow: ServiceName[] = [];
      const startedNow: ServiceName[] = [];
      const starting = new Map<ServiceName, Promise<ContainerRecord>>();
      let failing = false;
      let d: Docker | undefined;
      try {
        const refusal = localOnlyRefusal(opts.services, 'docker');
        if (refusal) throw new StackError(refusal);
        d = await docker();
        const dk = d;
        const specs = withDependencies(CONTAINERS, opts.services);
        const { keep, plan, previousPorts } = await triage(dk, specs, emit, t0);
        const toStart = specs.filter((s) => plan.has(s.name));
        await requireMemory(toStart.map((s) => serviceSpec(s.name)));
        if (opts.signal?.aborted) throw interrupted();

        const abort = abortPromise(opts.signal, interrupted);
        const prepare = async () => {
          const needed = [...new Set(toStart.filter((s) => !plan.get(s.name)?.restart && !(s.name === 'clickhouse' && options.clickhouseImage)).map((s) => s.image))] as ProjectImage[];
          const p0 = Date.now();
          let built = 0;
          const images = await ensureImages(dk, needed, (name, tag) => {
            built++;
            emit({ kind: 'phase', service: 'images', phase: 'preparing', elapsedMs: Date.now() - t0, detail: `building ${tag} (${name})` });
          });
          if (needed.length > 0) emit({ kind: 'phase', service: 'images', phase: 'prepared', elapsedMs: Date.now() - t0, detail: `${built > 0 ? `${built} built` : 'all cached'} in ${((Date.now() - p0) / 1000).toFixed(1)} s` });
          if (toStart.length > 0) await removeOrphans(dk);
          return images;
        };
        const images = await Promise.race([prepare(), abort.promise]).finally(abort.dispose);
        const network = toStart.length > 0 ? await ensureNetwork(dk, readDockerState()) : undefined;

        const ctx: DockerStartContext = {
          network: network?.name ?? '',
          stackId: stackId(),
          sharedHostDir: join(stackDir(), 'shared'),
          images: Object.fromEntries(Object.entries(images).filter(([, v]) => v)),
          clickhouseImage: options.clickhouseImage,
          running: { ...keep },
          taken: new Set(Object.values(keep).flatMap((r) => Object.values(r.ports))),
          previousPorts,
          notice: (message) => emit({ kind: 'notice', message }),
          labels: labels(),
        };
        const results: UpResult['services'] = Object.values(keep).map((r) => ({ name: r.name, url: r.url, version: r.version, where: where(r), outcome: 'kept' as const, ms: 0 }));
        const startOne = (spec: ContainerSpec): Promise<ContainerRecord> => {
          const existing = starting.get(spec.name);
          if (existing) return existing;
          const promise = (async () => {
            await Promise.all(spec.dependsOn.filter((dep) => plan.has(dep)).map((dep) => startOne(containerSpec(dep))));
            if (opts.signal?.aborted) throw interrupted();
            if (failing) throw new StackError(`${spec.name} not started: another service failed.`);
            const s0 = Date.now();
            emit({ kind: 'phase', service: spec.name, phase: 'starting', elapsedMs: s0 - t0 });
            const step = plan.get(spec.name);
            let record: ContainerRecord;
            if (step?.restart) {
              restartedNow.push(spec.name);
              record = await restart(dk, spec, step.restart, ctx);
            } else {
              record = await startContainer(spec, ctx, (id) => createdNow.set(spec.name, id));
            }
            ctx.running[spec.name] = record;
            updateDockerState((s) => {
              s.services[spec.name] = record;
            });
            startedNow.push(spec.name);
            results.push({ name: record.name, url: record.url, version: record.version, where: where(record), outcome: step?.outcome ?? 'started', ms: Date.now() - s0 });
            emit({ kind: 'phase', service: spec.name, phase: 'healthy', elapsedMs: Date.now() - t0, detail: `${record.url} in ${((Date.now() - s0) / 1000).toFixed(1)} s`, url: record.url });
            return record;
          })();
          starting.set(spec.name, promise);
          return promise;
        };
        const race = abortPromise(opts.signal, interrupted);
        await Promise.race([Promise.all(toStart.map(startOne)), race.promise]).finally(race.dispose);
        return { services: results, startedNow, totalMs: Date.now() - t0 };
      } catch (err) {
        failing = true;
        if (d) {
          const dk = d;
          // Whatever this call created goes (dependents first); what it restarted stays recorded, stopped, for the next up.
          const stopAll = async () => {
            for (const spec of [...CONTAINERS].reverse()) {
              const id = createdNow.get(spec.name);
              if (id) {
                emit({ kind: 'phase', service: spec.name, phase: 'stopping', elapsedMs: Date.now() - t0 });
                await stopContainer(dk, id, 0);
                createdNow.delete(spec.name);
                updateDockerState((s) => {
                  if (s.services[spec.name]?.containerId === id) delete s.services[spec.name];
                });
                emit({ kind: 'phase', service: spec.name, phase: 'stopped', elapsedMs: Date.now() - t0 });
              }
              const rec = restartedNow.includes(spec.name) ? readDockerState().services[spec.name] : undefined;
              if (rec) await dk.getContainer(rec.containerId).kill().catch(unlessGone);
            }
          };
          await stopAll();
          await Promise.allSettled(starting.values());
          await stopAll();
        }
        throw err;
      } finally {
        release();
      }
    },

    async down(opts: { only?: readonly ServiceName[]; listener?: StackListener } = {}): Promise<DownResult> {
      const emit = opts.listener ?? silent;
      const t0 = Date.now();
      const release = acquireLock();
      try {
        const state = readDockerState();
        const names = CONTAINERS.filter((s) => state.services[s.name] && (!opts.only || opts.only.includes(s.name))).reverse();
        if (names.length === 0 && (opts.only || !state.network)) return { stopped: [] };
        const d = await docker();
        // Dependents first, everything else side by side, as on the local backend.
        const stopped: DownResult['stopped'] = await inReverseDependencyOrder(names, async (spec) => {
          const rec = state.services[spec.name] as ContainerRecord;
          emit({ kind: 'phase', service: spec.name, phase: 'stopping', elapsedMs: Date.now() - t0 });
          const outcome = await stopContainer(d, rec.containerId, spec.stopGraceSeconds);
          updateDockerState((s) => {
            delete s.services[spec.name];
          });
          emit({ kind: 'phase', service: spec.name, phase: 'stopped', elapsedMs: Date.now() - t0, detail: where(rec) });
          return { name: spec.name, outcome };
        });
        const left = readDockerState();
        if (Object.keys(left.services).length === 0) {
          await removeOrphans(d);
          if (left.network) {
            await d.getNetwork(left.network.id).remove().catch(unlessGone);
          }
          updateDockerState((s) => {
            delete s.network;
          });
        }
        return { stopped };
      } finally {
        release();
      }
    },

    async status(): Promise<StatusRow[]> {
      const state = readDockerState();
      const recorded = Object.values(state.services);
      const d = recorded.length > 0 ? await docker() : undefined;
      return Promise.all(
        CONTAINERS.map(async (spec): Promise<StatusRow> => {
          const rec = state.services[spec.name];
          if (!rec || !d) return { name: spec.name, state: 'not started' };
          const info = { name: rec.name, url: rec.url, version: rec.version, where: where(rec) };
          const c = await inspect(d, rec.containerId);
          if (!c.exists) return { name: spec.name, state: 'dead', info, logTail: `(container ${rec.containerName} is gone)` };
          const tail = () => containerLogTail(d.getContainer(rec.containerId), 15);
          if (!c.running) return { name: spec.name, state: c.paused ? 'unhealthy' : 'dead', info, health: c.paused ? { ok: false, detail: 'paused' } : undefined, logTail: await tail() };
          const [h, u] = await Promise.all([health(rec), backend.usage(spec.name)]);
          return { name: spec.name, state: h.ok ? 'running' : 'unhealthy', info, health: h, rssBytes: u?.rssBytes, logTail: h.ok ? undefined : await tail() };
        }),
      );
    },

    endpoints(): Endpoints {
      return lazyEndpoints(
        (service) => recordOf(service).url,
        () => {
          recordOf('kafka');
          return INTERNAL_KAFKA;
        },
      );
    },

    async dead() {
      const recs = Object.values(readDockerState().services);
      if (recs.length === 0) return [];
      const d = await docker();
      const gone: { name: ServiceName; message: string; logTail: string }[] = [];
      for (const rec of recs) {
        const c = await inspect(d, rec.containerId);
        if (c.exists && (c.running || c.paused)) continue;
        const state = c.exists ? c.exit : 'was removed';
        gone.push({
          name: rec.name,
          message: `${rec.name} (container ${rec.containerName}) ${state}: \`npm run stack -- logs ${rec.name} ${BACKEND}\` shows why; \`${UP_HINT}\` repairs it.`,
          logTail: c.exists ? await containerLogTail(d.getContainer(rec.containerId), 25) : '',
        });
      }
      return gone;
    },

    async kill(service) {
      const rec = readDockerState().services[service];
      const d = await docker();
      const c = rec ? await inspect(d, rec.containerId) : undefined;
      if (!rec || !c?.exists || !c.running) throw new StackError(`${service} is not running on the docker backend, so there is nothing to kill: start it with \`${UP_HINT}\`.`);
      const container = d.getContainer(rec.containerId);
      await container.kill();
      const at = Date.now();
      for (let i = 0; i < 50 && (await container.inspect()).State.Running; i++) await new Promise((r) => setTimeout(r, 100));
      if ((await container.inspect()).State.Running) throw new StackError(`${service} (${where(rec)}) survived docker kill for 5 s: check it with \`docker inspect ${rec.containerName}\`.`);
      return { at, where: where(rec) };
    },

    async logs(service, lines = 80) {
      const rec = readDockerState().services[service];
      if (!rec) throw new StackError(`${service} is not running on the docker backend (no record in ${join(stackDir(), 'docker-state.json')}): start it with \`${UP_HINT}\`.`);
      const d = await docker();
      try {
        return await containerLogTail(d.getContainer(rec.containerId), lines);
      } catch (err) {
        if (statusCode(err) === 404) throw new StackError(`${service}'s container ${rec.containerName} is gone, and its log with it: \`${UP_HINT}\` starts a new one.`);
        throw err;
      }
    },

    async usage(service) {
      const rec = readDockerState().services[service];
      if (!rec) return undefined;
      const d = await docker();
      const c = await inspect(d, rec.containerId);
      if (!c.exists || !c.running) return undefined;
      const stats = (await d.getContainer(rec.containerId).stats({ stream: false, 'one-shot': true } as { stream: false })) as unknown as DockerStats;
      return containerUsage(stats);
    },

    async jcmd(service, args) {
      const rec = recordOf(service);
      const d = await docker();
      const exec = await d.getContainer(rec.containerId).exec({ Cmd: ['jcmd', '1', ...args], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', resolve);
        stream.on('error', reject);
      });
      const out = demuxLogs(Buffer.concat(chunks));
      const code = (await exec.inspect()).ExitCode;
      if (code !== 0) throw new StackError(`jcmd 1 ${args[0] ?? ''} in ${where(rec)} failed (exit ${code}): ${out.trim().split('\n').slice(-5).join(' | ')}`);
      return out;
    },

    sharedDir(name) {
      // One host folder, bind-mounted at /stack-shared in every Flink container.
      const host = join(stackDir(), 'shared', name);
      mkdirSync(host, { recursive: true });
      return { internal: `${CPATH.shared}/${name}`, host };
    },
  };
  return backend;
}

export interface DockerStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

/**
 * CPU seconds from the engine's cumulative counter (nanoseconds), and memory as `docker stats`
 * shows it: usage minus the page cache it can drop (inactive_file on cgroup v2, cache on v1).
 */
export function containerUsage(stats: DockerStats): { cpuSeconds: number; rssBytes?: number } | undefined {
  const ns = stats.cpu_stats?.cpu_usage?.total_usage;
  if (ns === undefined) return undefined;
  const usage = stats.memory_stats?.usage;
  const s = stats.memory_stats?.stats ?? {};
  const cache = s.inactive_file ?? s.total_inactive_file ?? s.cache ?? 0;
  return { cpuSeconds: ns / 1e9, rssBytes: usage === undefined ? undefined : Math.max(0, usage - cache) };
}
