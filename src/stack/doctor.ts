import { statfs } from 'node:fs/promises';
import { findClickhouse, whichExecutable } from './clickhouse/binary.ts';
import { DEFAULT_PORTS as CLICKHOUSE_PORTS } from './clickhouse/service.ts';
import { DEFAULT_PORTS as FLINK_PORTS } from './flink/service.ts';
import { DEFAULT_PORTS as KAFKA_PORTS } from './kafka/service.ts';
import { DEFAULT_PORTS as PROMETHEUS_PORTS, PROMETHEUS_INSTALL_HINT, binaryVersion, prometheusBinary } from './prometheus/service.ts';
import { BASE_IMAGE, docker, ENGINE_HINT, engineInfo, imageExists } from './docker/engine.ts';
import { describeError } from './errors.ts';
import { javaMajor, MIN_JAVA } from './java.ts';
import { repoRoot } from './paths.ts';
import { choosePort } from './ports.ts';
import { pinnedPyflinkVersion, venvDir, venvProblem } from './pyflink/venv.ts';
import { airflowHome, airflowProblem, airflowVenvDir, pinnedAirflowVersion } from './airflow/venv.ts';
import { availableMemoryMb, memoryNeededMb } from './preflight.ts';
import { PROFILES } from './profiles.ts';
import { SERVICES } from './registry.ts';
import type { ServiceName } from './service.ts';
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
  prometheus: PROMETHEUS_PORTS.http,
};
const MIN_DISK_MB = 3 * 1024;

/**
 * What each backend needs from this machine, by check name. The docker backend resolves the
 * jars with this machine's Maven when there is one, else with Maven in a container.
 */
const NEEDS: Record<'local' | 'docker', readonly string[]> = {
  local: ['node', 'java', 'maven', 'clickhouse', 'prometheus', 'memory', 'disk'],
  docker: ['node', 'docker engine', 'docker base image', 'memory', 'disk'],
};

const INSTALL: Record<'local' | 'docker', string> = {
  local: 'install what the failed lines say (Java 17, Maven, ClickHouse: `bash .ci/run --setup` on Debian)',
  docker: `${ENGINE_HINT.replace(/ and try again$/, '')}`,
};

export async function runDoctor(): Promise<DoctorCheck[]> {
  const checks = (
    await Promise.all([checkNode(), checkJava(), checkMaven(), checkClickhouse(), checkPrometheus(), checkDocker(), checkMemory(), checkDisk(), checkPorts(), checkChromium(), checkRunbookTools(), checkPyflink(), checkAirflow()])
  ).flat();
  return withBackends(checks);
}

/**
 * One line per backend: whether this machine can run it, and what to install for it. A check
 * only one backend needs blocks nothing while the other backend can run: it becomes a warning.
 */
export function withBackends(checks: readonly DoctorCheck[]): DoctorCheck[] {
  const failing = (backend: 'local' | 'docker') => checks.filter((c) => c.verdict === 'fail' && NEEDS[backend].includes(c.name)).map((c) => c.name);
  const ready = { local: failing('local').length === 0, docker: failing('docker').length === 0 };
  const anyReady = ready.local || ready.docker;
  const adjusted = checks.map((c): DoctorCheck => {
    if (c.verdict !== 'fail' || !anyReady) return c;
    const blocks = (['local', 'docker'] as const).filter((b) => ready[b] === false && NEEDS[b].includes(c.name) && !NEEDS[b === 'local' ? 'docker' : 'local'].includes(c.name));
    return blocks.length > 0 && blocks.length < 2 ? { ...c, verdict: 'warn', detail: `${c.detail} (only the ${blocks[0]} backend needs it)` } : c;
  });
  const row = (b: 'local' | 'docker'): DoctorCheck =>
    ready[b]
      ? { name: `backend ${b}`, verdict: 'ok', detail: b === 'local' ? 'can run here: `npm run stack up`' : 'can run here: `npm run stack -- up --backend docker` (builds its images once)' }
      : { name: `backend ${b}`, verdict: anyReady ? 'warn' : 'fail', detail: `cannot run here (${failing(b).join(', ')}): ${INSTALL[b]}` };
  return [...adjusted, row('local'), row('docker')];
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

/** Prometheus and promtool (Debian's package brings both): the stack's metrics and the alert tests (ADR 0070). */
async function checkPrometheus(): Promise<DoctorCheck[]> {
  let bin: string;
  try {
    bin = prometheusBinary();
  } catch (err) {
    return [{ name: 'prometheus', verdict: 'fail', detail: describeError(err) }];
  }
  const version = await binaryVersion(bin);
  const promtool = whichExecutable('promtool');
  return [
    { name: 'prometheus', verdict: 'ok', detail: `${bin} ${version ?? ''}`.trim() },
    promtool
      ? { name: 'promtool', verdict: 'ok', detail: `${promtool} (alert rule tests)` }
      : { name: 'promtool', verdict: 'warn', detail: `not found: only the alert rule tests need it; ${PROMETHEUS_INSTALL_HINT}.` },
  ];
}

/** The container backend: an engine that answers, and the base image (or a registry to pull it from). */
async function checkDocker(): Promise<DoctorCheck[]> {
  const info = await engineInfo();
  if (!info.ok) {
    return [
      { name: 'docker engine', verdict: 'fail', detail: info.why },
      { name: 'docker base image', verdict: 'warn', detail: `not checked: no engine` },
    ];
  }
  const engine: DoctorCheck = { name: 'docker engine', verdict: 'ok', detail: `Docker ${info.version} (${info.driver}, ${info.arch}); only amd64 is tested here` };
  const base = (await imageExists(await docker(), BASE_IMAGE))
    ? { verdict: 'ok' as const, detail: `${BASE_IMAGE} present` }
    : { verdict: 'warn' as const, detail: `${BASE_IMAGE} absent: the first build pulls it; where no registry answers, make it with \`bash .ci/docker-engine\`` };
  return [engine, { name: 'docker base image', ...base }];
}

async function checkMemory(): Promise<DoctorCheck> {
  return memoryVerdict(await availableMemoryMb(), memoryNeededMb(specsOf(PROFILES.default)), memoryNeededMb(specsOf(PROFILES.realistic)));
}

const specsOf = (names: readonly ServiceName[]) => SERVICES.filter((s) => names.includes(s.name));

/**
 * The default stack must fit; the realistic profile (phase 5: two more brokers, a second
 * TaskManager, ADR 0091) only warns when it does not, since only that lab needs it.
 */
export function memoryVerdict(available: number | undefined, defaultMb: number, realisticMb: number): DoctorCheck {
  if (available === undefined) return { name: 'memory', verdict: 'warn', detail: 'could not read /proc/meminfo' };
  if (available < defaultMb) return { name: 'memory', verdict: 'fail', detail: `${available} MiB free but the stack needs about ${defaultMb} MiB (the realistic profile ${realisticMb} MiB): stop other programs.` };
  if (available < realisticMb) return { name: 'memory', verdict: 'warn', detail: `${available} MiB free: enough for the stack (about ${defaultMb} MiB), not for --profile realistic (about ${realisticMb} MiB, the phase-5 lab): stop other programs before that lab.` };
  return { name: 'memory', verdict: 'ok', detail: `${available} MiB free, stack needs about ${defaultMb} MiB, --profile realistic about ${realisticMb} MiB` };
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

/** Python 3.8-3.11 and PyFlink's venv: only the phase-2 PyFlink lab and its pytest need them (ADR 0065). */
async function checkPyflink(): Promise<DoctorCheck[]> {
  const out = await sh`python3 -c ${'import sys; print("%d.%d" % sys.version_info[:2])'}`;
  const version = out.exitCode === 0 ? out.stdout.trim() : undefined;
  const minor = version ? Number(version.split('.')[1]) : undefined;
  const python: DoctorCheck =
    version === undefined
      ? { name: 'python', verdict: 'warn', detail: 'python3 not found: the PyFlink lab needs Python 3.8 to 3.11 (apt-get install python3 python3-venv).' }
      : version.startsWith('3.') && minor !== undefined && minor >= 8 && minor <= 11
        ? { name: 'python', verdict: 'ok', detail: `python3 ${version} (PyFlink lab)` }
        : { name: 'python', verdict: 'warn', detail: `python3 ${version}: apache-flink ${pinnedPyflinkVersion() ?? ''} needs 3.8 to 3.11; set PYTHON=/path/to/python3.11 for npm run pyflink:setup.` };
  const problem = venvProblem();
  const venv: DoctorCheck = problem ? { name: 'pyflink venv', verdict: 'warn', detail: problem } : { name: 'pyflink venv', verdict: 'ok', detail: `apache-flink ${pinnedPyflinkVersion()} in ${venvDir()} (PyFlink lab)` };
  return [python, venv];
}

/** Airflow's venv and SQLite metadata database: only the phase-4 lab and the DAG tests need them (ADR 0085). */
async function checkAirflow(): Promise<DoctorCheck[]> {
  const problem = airflowProblem();
  return [problem ? { name: 'airflow venv', verdict: 'warn', detail: problem } : { name: 'airflow venv', verdict: 'ok', detail: `apache-airflow ${pinnedAirflowVersion()} in ${airflowVenvDir()}, metadata in ${airflowHome()}/airflow.db (phase-4 lab, npm run test:dags)` }];
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
