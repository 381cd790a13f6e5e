import type { StackBackend } from '../stack/backend.ts';
import { StackError } from '../stack/errors.ts';

/**
 * Watches the stack's services while a lab runs: if one dies, `promise` rejects with the
 * service's log tail, so the lab fails at once instead of hanging on a dead endpoint. Services in
 * `excused` are down on purpose (a failure drill) and are not watched meanwhile.
 */
export function watchStack(backend: Pick<StackBackend, 'dead'>, intervalMs = 1_000, excused: ReadonlySet<string> = new Set()): { promise: Promise<never>; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const promise = new Promise<never>((_, reject) => {
    const tick = async () => {
      try {
        const dead = (await backend.dead()).find((d) => !excused.has(d.name));
        if (dead && !stopped) {
          stopped = true;
          reject(new StackError(`${dead.message.replace(/ died:/, ' died during the lab:')}`, { service: dead.name, logTail: dead.logTail }));
          return;
        }
      } catch {
        // A failed look (a state file being rewritten) is not a dead service: look again next tick.
      }
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    };
    timer = setTimeout(() => void tick(), intervalMs);
  });
  promise.catch(() => {});
  return {
    promise,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
