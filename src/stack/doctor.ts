import { statfs } from 'node:fs/promises';
import { findClickhouse, whichExecutable } from './clickhouse/binary.ts';
import { DEFAULT_PORTS as CLICKHOUSE_PORTS } from './clickhouse/service.ts';
import { DEFAULT_PORTS as FLINK_PORTS } from './flink/service.ts';
import { DEFAULT_PORTS as KAFKA_PORTS } from './kafka/service.ts';
import { describeError } from './errors.ts';
import { javaMajor, MIN_JAVA } from './java.ts';
import { repoRoot } from './paths.ts';
import { choosePort } from './ports.ts';
import { availableMemoryMb, memoryNeededMb } from './preflight.ts';
import { SERVICES } from './registry.ts';
import { howItEnded, notFound, sh } from './shell.ts';

export interface DoctorCheck {
  name: string;
  /** 'fail' blocks the stack; 'warn' only limits something (e.g. browser tests). */
  verdict: 'ok' | 'warn' | 'fail';
  detail: string;
}

/** The ports a learner connects to, as the services themselves default them. */
const DEFAULT_PORTS: Record<string, number> = {
  kafka: KAFKA_PORTS.broker,
  'flink rest': FLINK_PORTS.rest,
  'sql gateway': FLINK_PORTS.gateway,
  'clickhouse http': CLICKHOUSE_PORTS.http,
};
const MIN_DISK_MB = 3 * 1024;

export async function runDoctor(): Promise<DoctorCheck[]> {
  const checks = await Promise.all([checkNode(), checkJava(), checkMaven(), checkClickhouse(), checkMemory(), checkDisk(), checkPorts(), checkChromium(), checkRunbookTools()]);
  return checks.flat();
}

async function checkNode(): Promise<DoctorCheck> {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 22
    ? { name: 'node', verdict: 'ok', detail: `v${process.versions.node}` }
    : { name: 'node', verdict: 'fail', detail: `v${process.versions.node} is too old: install Node 22 or newer.` };
}

async function checkJava(): Promise<DoctorCheck> {
  const major = await javaMajor();
  if (major === undefined) return { name: 'java', verdict: 'fail', detail: `not found: install Java ${MIN_JAVA} (apt-get install openjdk-17-jre-headless).` };
  if (major < MIN_JAVA) return { name: 'java', verdict: 'fail', detail: `Java ${major} is too old: install Java ${MIN_JAVA} or newer.` };
  return { name: 'java', verdict: 'ok', detail: `Java ${major}` };
}

async function checkMaven(): Promise<DoctorCheck> {
  const out = await sh`mvn -v`.timeout(20_000);
  if (notFound(out)) return { name: 'maven', verdict: 'fail', detail: 'not found: install it (apt-get install maven); it resolves the Kafka and Flink jars.' };
  if (!out.ok) return { name: 'maven', verdict: 'fail', detail: `mvn -v failed (${howItEnded(out)}): ${out.stdall.trim().split('\n')[0] ?? ''}` };
  return { name: 'maven', verdict: 'ok', detail: `Maven ${/Apache Maven ([\d.]+)/.exec(out.stdout)?.[1] ?? 'found'}` };
}

async function checkClickhouse(): Promise<DoctorCheck> {
  try {
    const bin = await findClickhouse();
    return { name: 'clickhouse', verdict: 'ok', detail: [bin.command, ...bin.serverArgs].join(' ') };
  } catch (err) {
    return { name: 'clickhouse', verdict: 'fail', detail: describeError(err) };
  }
}

async function checkMemory(): Promise<DoctorCheck> {
  const needed = memoryNeededMb(SERVICES);
  const available = await availableMemoryMb();
  if (available === undefined) return { name: 'memory', verdict: 'warn', detail: 'could not read /proc/meminfo' };
  return available >= needed
    ? { name: 'memory', verdict: 'ok', detail: `${available} MiB free, stack needs about ${needed} MiB` }
    : { name: 'memory', verdict: 'fail', detail: `${available} MiB free but the stack needs about ${needed} MiB: stop other programs.` };
}

async function checkDisk(): Promise<DoctorCheck> {
  const fs = await statfs(repoRoot);
  const freeMb = Math.floor((fs.bavail * fs.bsize) / 1024 / 1024);
  return freeMb >= MIN_DISK_MB
    ? { name: 'disk', verdict: 'ok', detail: `${freeMb} MiB free` }
    : { name: 'disk', verdict: 'fail', detail: `${freeMb} MiB free: the jars and data need about ${MIN_DISK_MB} MiB; free some disk space.` };
}

async function checkPorts(): Promise<DoctorCheck[]> {
  return Promise.all(
    Object.entries(DEFAULT_PORTS).map(async ([what, port]): Promise<DoctorCheck> => {
      const choice = await choosePort(port);
      return choice.moved
        ? { name: `port ${port}`, verdict: 'warn', detail: `busy: ${what} will take a free port (recorded in .stack/state.json)` }
        : { name: `port ${port}`, verdict: 'ok', detail: `free for ${what}` };
    }),
  );
}

async function checkChromium(): Promise<DoctorCheck> {
  const path = whichExecutable('chromium');
  return path
    ? { name: 'chromium', verdict: 'ok', detail: `${path} (browser tests)` }
    : { name: 'chromium', verdict: 'warn', detail: 'not found: only the browser tests need it (apt-get install chromium).' };
}

/** The runbooks' commands are curl and jq against the stack's REST ports (ADR 0022). */
async function checkRunbookTools(): Promise<DoctorCheck[]> {
  return ['curl', 'jq'].map((tool): DoctorCheck => {
    const path = whichExecutable(tool);
    return path
      ? { name: tool, verdict: 'ok', detail: `${path} (runbooks)` }
      : { name: tool, verdict: 'warn', detail: `not found: the runbooks and their tests need it (apt-get install ${tool}).` };
  });
}
