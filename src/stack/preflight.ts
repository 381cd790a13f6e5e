import { readFile } from 'node:fs/promises';
import { findClickhouse } from './clickhouse/binary.ts';
import { StackError } from './errors.ts';
import { requireJava } from './java.ts';
import type { ServiceSpec } from './service.ts';

/** MiB the OS and the CLI itself need beside the services. */
const HEADROOM_MB = 512;

export async function availableMemoryMb(): Promise<number | undefined> {
  try {
    const info = await readFile('/proc/meminfo', 'utf8');
    const kb = /MemAvailable:\s+(\d+) kB/.exec(info)?.[1];
    return kb ? Math.floor(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** MiB the given services need, with the headroom: the figure doctor and preflight both print. */
export function memoryNeededMb(specs: readonly ServiceSpec[]): number {
  return specs.reduce((sum, s) => sum + s.memoryMb, 0) + HEADROOM_MB;
}

/** `freeMemory` tells the free memory in MiB (from /proc/meminfo unless a test gives another; undefined when unknown). */
export async function requireMemory(specs: readonly ServiceSpec[], freeMemory: () => Promise<number | undefined> = availableMemoryMb): Promise<void> {
  const needed = memoryNeededMb(specs);
  const available = await freeMemory();
  if (available !== undefined && specs.length > 0 && available < needed) {
    throw new StackError(`Only ${available} MiB of memory is free and the stack needs about ${needed} MiB: stop other programs (or a stack in another checkout) and try again.`);
  }
}

export async function requireClickhouse(): Promise<void> {
  await findClickhouse();
}

/** Every check `stack up` needs before it starts anything, so nothing is left half-started. */
export async function preflight(toStart: readonly ServiceSpec[]): Promise<void> {
  const names = new Set(toStart.map((s) => s.name));
  if ([...names].some((n) => n !== 'clickhouse')) await requireJava();
  if (names.has('clickhouse')) await requireClickhouse();
  await requireMemory(toStart);
}
