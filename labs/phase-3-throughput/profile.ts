/**
 * A short CPU profile of the TaskManager with Java Flight Recorder (jcmd JFR.start; no change to
 * the shared Flink config, unlike Flink's own flame graphs): which task threads were on the CPU,
 * and which methods were on top of their stacks. The tuning sweep takes one per configuration.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackBackend } from '../../src/stack/backend.ts';
import { failureLines, sh } from '../../src/stack/shell.ts';

export interface ProfileSummary {
  samples: number;
  /** Share of samples per thread (task names shortened), highest first. */
  threads: { thread: string; share: number }[];
  /** Share of samples per method on top of the stack (Class.method), highest first. */
  top: { method: string; share: number }[];
}

/** Starts a recording of the TaskManager for `seconds`; returns a function that waits for it and summarizes it. */
export async function startProfile(stack: StackBackend, seconds: number, name: string): Promise<() => Promise<ProfileSummary>> {
  const dir = stack.sharedDir('profiles');
  const file = join(dir.host, name);
  rmSync(file, { force: true });
  await stack.jcmd('flink-taskmanager', ['JFR.start', `name=tp${Date.now()}`, 'settings=profile', `duration=${seconds}s`, `filename=${join(dir.internal, name)}`]);
  const done = Date.now() + seconds * 1000;
  return async () => {
    // JFR writes the file when the duration is over; a file seen earlier may still be half written.
    await sleep(Math.max(0, done - Date.now()) + 1_500);
    let size = -1;
    while (Date.now() < done + 15_000) {
      const now = existsSync(file) ? statSync(file).size : -1;
      if (now > 0 && now === size) break;
      size = now;
      await sleep(500);
    }
    const out = await sh`jfr print --events jdk.ExecutionSample ${file}`;
    rmSync(file, { force: true });
    if (!out.ok) throw new Error(`jfr print ${file} failed: ${failureLines(out).replaceAll('\n', ' | ')}`);
    return summarizeSamples(out.stdout);
  };
}

/** Parses `jfr print --events jdk.ExecutionSample` text. */
export function summarizeSamples(text: string): ProfileSummary {
  const threads = new Map<string, number>();
  const top = new Map<string, number>();
  let samples = 0;
  for (const block of text.split('jdk.ExecutionSample').slice(1)) {
    const frame = /^\s+([\w$.]+)\.([\w$<>]+)\(/m.exec(block.slice(block.indexOf('stackTrace')));
    const thread = /sampledThread = "([^"]+)"/.exec(block)?.[1];
    if (!frame || !thread) continue;
    samples++;
    const t = threadName(thread);
    threads.set(t, (threads.get(t) ?? 0) + 1);
    const m = `${frame[1]?.split('.').pop()}.${frame[2]}`;
    top.set(m, (top.get(m) ?? 0) + 1);
  }
  const rank = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, Math.round((v / Math.max(1, samples)) * 1000) / 1000] as const);
  return {
    samples,
    threads: rank(threads, 5).map(([thread, share]) => ({ thread, share })),
    top: rank(top, 8).map(([method, share]) => ({ method, share })),
  };
}

/** "Deduplicate[5] -> (Calc[6] -> x_late[7]: Writer ...) (1/1)#0" -> "Deduplicate -> Calc -> ..." without ids and run names. */
export function threadName(t: string): string {
  return t
    .replace(/\s*\(\d+\/\d+\)#\d+$/, '')
    .replace(/\[\d+\]/g, '')
    .replace(/\b\w+_(src|late|results|dlq|dup)\b/g, '$1')
    .replace(/[()]/g, '')
    .replace(/\d+/g, 'N')
    .slice(0, 80);
}
