/**
 * One-shot commands through zx's `$` (it quotes every interpolated argument). Long-lived
 * processes whose pid the stack tracks keep node:child_process's spawn (process.ts).
 */
import { stripVTControlCharacters } from 'node:util';
// zx/core: the $ without zx's script globals and bundled helpers, half the import time.
import { $, type ProcessOutput, quote } from 'zx/core';

/**
 * `$` that neither echoes the command's output to the terminal (zx prints a command's stderr
 * unless it is quiet) nor throws: callers read exitCode, stdout and stderr and say what to do.
 * zx looks bash up on PATH when it is imported; when that PATH has no bash, /bin/bash.
 */
export const sh = typeof $.shell === 'string' ? $({ quiet: true, nothrow: true }) : $({ quiet: true, nothrow: true, shell: '/bin/bash', quote });

/** zx runs commands through bash, which exits 127 when the program is not on PATH (or the path does not exist). */
export function notFound(out: ProcessOutput): boolean {
  return out.exitCode === 127;
}

/** "exit code 1", "killed by SIGTERM" (a timeout ends a command with SIGTERM), or why it did not start. */
export function howItEnded(out: ProcessOutput): string {
  if (out.exitCode !== null) return `exit code ${out.exitCode}`;
  return out.signal ? `killed by ${out.signal}` : `did not start: ${out.cause?.message ?? 'no reason given'}`;
}

/**
 * What a failed command said that matters: its output lines mentioning an error (at most `max`),
 * else its last `max` lines, then how it ended. Colour codes (Maven prints some) are dropped.
 */
export function failureLines(out: ProcessOutput, max = 20): string {
  const lines = stripVTControlCharacters(out.stdall).split('\n').filter((l) => l.trim() !== '');
  const errors = lines.filter((l) => /error/i.test(l));
  return [...(errors.length > 0 ? errors.slice(0, max) : lines.slice(-max)), `(${howItEnded(out)})`].join('\n');
}
