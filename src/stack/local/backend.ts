/**
 * The local-process backend: every service a JVM or a binary on this machine, started by
 * src/stack/stack.ts, recorded in .stack/state.json, stopped by pid. The only StackBackend that
 * knows about pids, /proc and .stack/ paths.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { processCpuSeconds } from '../../bench/proc.ts';
import type { Endpoints, StackBackend } from '../backend.ts';
import { lazyEndpoints } from '../endpoints.ts';
import { EXTRA_BROKERS } from '../kafka/extra-broker.ts';
import { StackError } from '../errors.ts';
import { stackDir } from '../paths.ts';
import { failureLines, sh } from '../shell.ts';
import { isAlive, residentBytes, tailFile } from '../process.ts';
import type { ServiceName, ServiceRecord } from '../service.ts';
import { down, killService, status, up } from '../stack.ts';
import { readState } from '../state.ts';

function recordOf(service: ServiceName): ServiceRecord {
  const rec = readState().services[service];
  if (!rec) throw new StackError(`${service} is not running: start the stack with \`npm run stack up\`.`);
  return rec;
}

export const localBackend: StackBackend = {
  name: 'local',
  up,
  down,
  status,
  endpoints(): Endpoints {
    // Local processes share 127.0.0.1: the pipeline's own traffic uses the clients' address.
    return lazyEndpoints(
      (service) => recordOf(service).url,
      () => recordOf('kafka').url,
      () => {
        // Node 1 first and required; the realistic shape's extras when recorded (ADR 0092).
        const services = readState().services;
        return [recordOf('kafka').url, ...EXTRA_BROKERS.flatMap((b) => services[b.name]?.url ?? [])];
      },
    );
  },
  async dead() {
    const gone = Object.values(readState().services).filter((rec) => !isAlive(rec.pid));
    return Promise.all(
      gone.map(async (rec) => ({
        name: rec.name,
        message: `${rec.name} (pid ${rec.pid}) died: see ${rec.logFile}; \`npm run stack up\` repairs it.`,
        logTail: await tailFile(rec.logFile, 25),
      })),
    );
  },
  async kill(service) {
    const { pid, at } = await killService(service);
    return { at, where: `pid ${pid}` };
  },
  async logs(service, lines = 80) {
    const rec = readState().services[service];
    if (!rec) throw new StackError(`${service} is not running (no record in .stack/state.json): start the stack with \`npm run stack up\`.`);
    return tailFile(rec.logFile, lines);
  },
  async usage(service) {
    const rec = readState().services[service];
    if (!rec || !isAlive(rec.pid)) return undefined;
    const cpuSeconds = processCpuSeconds(rec.pid);
    if (cpuSeconds === undefined) return undefined;
    return { cpuSeconds, rssBytes: await residentBytes(rec.pid) };
  },
  async jcmd(service, args) {
    const { pid } = recordOf(service);
    const out = await sh`jcmd ${pid} ${args}`;
    if (!out.ok) throw new StackError(`jcmd ${pid} (${service}) ${args[0] ?? ''} failed: ${failureLines(out).replaceAll('\n', ' | ')}`);
    return out.stdout;
  },
  sharedDir(name) {
    // Local processes share this machine's file system: one path serves both sides.
    const dir = join(stackDir(), 'shared', name);
    mkdirSync(dir, { recursive: true });
    return { internal: dir, host: dir };
  },
};
