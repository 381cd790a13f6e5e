import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { StackError } from './errors.ts';
import { exists, stackPaths } from './paths.ts';
import { isAlive } from './process.ts';

/**
 * One stack command at a time per stack dir: two concurrent `stack up`s would start
 * everything twice. A lock left by a dead process is taken over.
 */
export function acquireLock(): () => void {
  const file = stackPaths.lock();
  mkdirSync(dirname(file), { recursive: true });
  if (exists(file)) {
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (holder !== process.pid && isAlive(holder)) {
      throw new StackError(`Another stack command is running (pid ${holder}): wait for it to finish, then try again.`);
    }
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}
