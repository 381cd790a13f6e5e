import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the folder holding this project's package.json. */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where all stack state lives (jar cache, data, logs, pids). CTR_STACK_DIR lets tests
 * run an isolated stack without touching the learner's one.
 */
export function stackDir(): string {
  return resolve(process.env.CTR_STACK_DIR ?? join(repoRoot, '.stack'));
}

export const stackPaths = {
  state: () => join(stackDir(), 'state.json'),
  lock: () => join(stackDir(), 'stack.lock'),
  /** Shared across stack dirs on purpose: jars are immutable, downloads are slow. */
  jars: (name: string) => join(process.env.CTR_JAR_CACHE ?? join(repoRoot, '.stack', 'jars'), name),
  conf: (service: string) => join(stackDir(), 'conf', service),
  data: (service: string) => join(stackDir(), 'data', service),
  log: (service: string) => join(stackDir(), 'logs', `${service}.log`),
};

export function exists(path: string): boolean {
  return existsSync(path);
}
