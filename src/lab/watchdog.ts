import { StackError } from '../stack/errors.ts';
import { isAlive, tailFile } from '../stack/process.ts';
import { readState } from '../stack/state.ts';

/**
 * Watches the stack's processes while a lab runs: if one dies, `promise` rejects with the
 * service's log tail, so the lab fails at once instead of hanging on a dead endpoint. Services in
 * `excused` are down on purpose (a failure drill) and are not watched meanwhile.
 */
export function watchStack(intervalMs = 1_000, excused: ReadonlySet<string> = new Set()): { promise: Promise<never>; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      for (const rec of Object.values(readState().services)) {
        if (!isAlive(rec.pid) && !excused.has(rec.name)) {
          clearInterval(timer);
          void tailFile(rec.logFile, 25).then((logTail) =>
            reject(new StackError(`${rec.name} (pid ${rec.pid}) died during the lab: see ${rec.logFile}; \`npm run stack up\` repairs it.`, { service: rec.name, logTail })),
          );
          return;
        }
      }
    }, intervalMs);
  });
  promise.catch(() => {});
  return { promise, stop: () => clearInterval(timer) };
}
