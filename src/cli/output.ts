import type { StackEvent } from '../stack/events.ts';

const captures = new Set<string[]>();

/** All CLI output goes through here, so formats stay in one place (and `--record` can keep a run's terminal output). */
export function line(text = ''): void {
  process.stdout.write(`${text}\n`);
  for (const c of captures) c.push(...text.split('\n'));
}

/** Runs fn and returns, besides its result, every line it printed through line(). */
export async function captureLines<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  captures.add(lines);
  try {
    return { result: await fn(), lines };
  } finally {
    captures.delete(lines);
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "[  12.3s] kafka              healthy  127.0.0.1:9092 in 4.1 s" */
export function formatStackEvent(event: StackEvent): string {
  if (event.kind === 'notice') return `           note: ${event.message}`;
  const at = `[${(event.elapsedMs / 1000).toFixed(1).padStart(6)}s]`;
  return `${at} ${event.service.padEnd(18)} ${event.phase.padEnd(9)} ${event.detail ?? ''}`.trimEnd();
}

export function printStackEvent(event: StackEvent): void {
  line(formatStackEvent(event));
}

export { UsageError } from '../stack/errors.ts';
