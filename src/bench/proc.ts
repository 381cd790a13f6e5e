/**
 * CPU time from /proc (Linux): per process (utime + stime of /proc/<pid>/stat) and for the whole
 * machine (/proc/stat's cpu line). Benchmarks turn differences of these into "CPU seconds per
 * million events" per process and the machine's busy share. Parsing is pure, for tests.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

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

/** CPU seconds a process has used so far; undefined when it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8')) / ticksPerSecond();
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

/** Every process's parent and CPU ticks (utime + stime), read from /proc now. */
export function processTable(): Map<number, { ppid: number; ticks: number; startedAt: number }> {
  const out = new Map<number, { ppid: number; ticks: number; startedAt: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const line = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = line.slice(line.lastIndexOf(') ') + 2).split(' ');
      // starttime (field 22): with the pid, it names one process even after the pid is reused.
      out.set(Number(name), { ppid: Number(rest[1]), ticks: parseProcStat(line), startedAt: Number(rest[19]) });
    } catch {
      // gone between the listing and the read
    }
  }
  return out;
}

/** The pids below `root` in a process table (children, grandchildren, ...). */
export function descendantsOf(table: ReadonlyMap<number, { ppid: number }>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const out: number[] = [];
  const todo = [...(children.get(root) ?? [])];
  while (todo.length > 0) {
    const pid = todo.pop() as number;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * CPU of the processes a service starts below itself (a TaskManager's Python workers), sampled
 * every `everyMs`: each pid once seen is followed until it ends, even if it is re-parented, and
 * its last sample counts. A worker's last fraction of a sample interval is missed.
 */
export function sampleDescendantsCpu(root: number, everyMs = 250): { stop: () => number } {
  const seen = new Map<number, number>();
  const sample = () => {
    const table = processTable();
    for (const pid of descendantsOf(table, root)) seen.set(pid, Math.max(seen.get(pid) ?? 0, table.get(pid)?.ticks ?? 0));
    for (const pid of seen.keys()) {
      const t = table.get(pid);
      if (t) seen.set(pid, Math.max(seen.get(pid) ?? 0, t.ticks));
    }
  };
  sample();
  const baseline = new Map(seen);
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      let ticks = 0;
      for (const [pid, t] of seen) ticks += t - (baseline.get(pid) ?? 0);
      return ticks / ticksPerSecond();
    },
  };
}

/** The processes below `root` now, each named by pid and start time (a reused pid is another process). */
export function snapshotDescendants(root: number): { pid: number; startedAt: number }[] {
  const table = processTable();
  return descendantsOf(table, root).map((pid) => ({ pid, startedAt: table.get(pid)?.startedAt ?? -1 }));
}

/** Which processes of a snapshot still run (same pid, same start time). */
export function stillRunning(snapshot: readonly { pid: number; startedAt: number }[]): number[] {
  const table = processTable();
  return snapshot.filter((p) => table.get(p.pid)?.startedAt === p.startedAt).map((p) => p.pid);
}
