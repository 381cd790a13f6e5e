import type { StackEvent } from '../stack/events.ts';

/** All CLI output goes through here, so formats stay in one place. */
export function line(text = ''): void {
  process.stdout.write(`${text}\n`);
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
