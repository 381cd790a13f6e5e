import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './errors.ts';
import { isAlive, tailFile } from './process.ts';

export interface WaitOptions {
  /** What we wait for, in words: it becomes the error message. */
  what: string;
  service: string;
  timeoutMs: number;
  intervalMs?: number;
  /** When the process dies while we wait, fail at once instead of waiting out the timeout. */
  pid?: number;
  logFile?: string;
}

/**
 * Polls `probe` until it returns a truthy value (returned) or the timeout passes.
 * A probe that throws counts as "not yet"; its last error goes into the failure message.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (opts.pid !== undefined && !isAlive(opts.pid)) {
      throw await failure(`${opts.service} exited before ${opts.what}`, opts, lastError);
    }
    if (Date.now() >= deadline) {
      throw await failure(`${opts.service}: ${opts.what} did not happen within ${Math.round(opts.timeoutMs / 1000)} s`, opts, lastError);
    }
    await sleep(opts.intervalMs ?? 250);
  }
}

async function failure(message: string, opts: WaitOptions, lastError: string): Promise<StackError> {
  const logTail = opts.logFile ? await tailFile(opts.logFile, 30) : undefined;
  const why = lastError ? ` (last probe error: ${lastError})` : '';
  return new StackError(`${message}${why}; see ${opts.logFile ?? 'its log'}.`, { service: opts.service, logTail });
}

/** GET a URL with a timeout; returns the response or throws. */
export async function httpGet(url: string, timeoutMs = 2_000): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
}
