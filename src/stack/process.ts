import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SpawnSpec {
  command: string;
  args: string[];
  logFile: string;
  cwd?: string;
  env?: Record<string, string>;
}

/**
 * Starts a long-running service in its own process group, stdout+stderr appended to
 * logFile. Detached so Ctrl-C on the CLI does not reach it directly: the CLI decides
 * what to stop, by pid.
 */
export function spawnService(spec: SpawnSpec): number {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const fd = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/**
 * A command run at a lower CPU priority (nice 10; `nice` execs it, so the pid is the command's and
 * every thread it starts inherits the priority). Prometheus and the pipeline exporter start beside
 * the JVMs, and on 2 cores their start-up (Node compiling TypeScript) would otherwise take CPU the
 * JVMs' own start needs (ADR 0070).
 */
export function niced(command: string, args: readonly string[]): { command: string; args: string[] } {
  return { command: 'nice', args: ['-n', '10', command, ...args] };
}

export function isAlive(pid: number | undefined): pid is number {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !isZombie(pid);
}

/** A child that exited but was not reaped still answers kill(0); /proc tells the truth. */
function isZombie(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

export type StopOutcome = 'not-running' | 'stopped' | 'killed';

/** SIGTERM, wait up to graceMs, then SIGKILL. Only ever by pid, never by name. */
export async function stopPid(pid: number | undefined, graceMs = 20_000): Promise<StopOutcome> {
  if (!isAlive(pid)) return 'not-running';
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'stopped';
    await sleep(100);
  }
  signal(pid, 'SIGKILL');
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  return 'killed';
}

export function killNow(pid: number | undefined): void {
  if (!isAlive(pid)) return;
  // Services start detached, so each leads its own process group: killing the group also ends
  // what the service started (a TaskManager's Python workers), as a host dying would.
  signal(-pid, 'SIGKILL');
  signal(pid, 'SIGKILL');
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone between the check and the signal: nothing to stop */
  }
}

/** Resident memory in bytes from /proc, or undefined when the process is gone. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function tailFile(file: string, lines = 30): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}
