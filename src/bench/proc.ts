/**
 * CPU time from /proc (Linux): per process (utime + stime of /proc/<pid>/stat) and for the whole
 * machine (/proc/stat's cpu line). Benchmarks turn differences of these into "CPU seconds per
 * million events" per process and the machine's busy share. Parsing is pure, for tests.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clkTck: number | undefined;

/** Clock ticks per second of /proc's figures (100 on every mainstream Linux; asked once). */
export function ticksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/**
 * utime + stime in ticks from one /proc/<pid>/stat line. The command name (field 2) may hold
 * spaces and parentheses, so fields are counted after the LAST ") ": utime and stime are
 * fields 14 and 15 of the line, i.e. indexes 11 and 12 after the name.
 */
export function parseProcStat(line: string): number {
  const rest = line.slice(line.lastIndexOf(') ') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

/**
 * utime + stime + cutime + cstime: the process and its children that have exited and been waited
 * for (fields 16 and 17). A TaskManager's Python workers count here once they end with their task.
 */
export function parseProcStatWithChildren(line: string): number {
  const rest = line.slice(line.lastIndexOf(') ') + 2).split(' ');
  return parseProcStat(line) + Number(rest[13]) + Number(rest[14]);
}

/**
 * CPU seconds a process has used so far, with its exited children (what a container's cgroup
 * counts on the docker backend too); undefined when it is gone.
 */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    return parseProcStatWithChildren(readFileSync(`/proc/${pid}/stat`, 'utf8')) / ticksPerSecond();
  } catch {
    return undefined;
  }
}

export interface MachineTicks {
  /** All ticks of all cores (user, nice, system, idle, iowait, irq, softirq, steal). */
  total: number;
  /** idle + iowait. */
  idle: number;
}

/** The aggregate "cpu " line of /proc/stat. */
export function parseMachineStat(text: string): MachineTicks {
  const line = text.split('\n').find((l) => l.startsWith('cpu ')) ?? '';
  const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return { total, idle: (f[3] ?? 0) + (f[4] ?? 0) };
}

export function machineTicks(): MachineTicks {
  return parseMachineStat(readFileSync('/proc/stat', 'utf8'));
}

/** Share of all cores busy between two readings (0..1). */
export function busyShare(a: MachineTicks, b: MachineTicks): number {
  const total = b.total - a.total;
  return total <= 0 ? 0 : 1 - (b.idle - a.idle) / total;
}
