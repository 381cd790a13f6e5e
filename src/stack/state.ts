import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { StackError } from './errors.ts';
import { exists, stackPaths } from './paths.ts';
import { isAlive } from './process.ts';
import type { ServiceName, ServiceRecord } from './service.ts';

/** .stack/state.json: what is running, where. Labs and learners read it to find ports. */
export interface StackState {
  backend: 'local';
  updatedAt: string;
  services: Partial<Record<ServiceName, ServiceRecord>>;
}

/**
 * The recorded stack. A file that does not parse is not "nothing running": services it recorded
 * may still run, so this throws a sentence naming the pids still alive and what to do.
 */
export function readState(): StackState {
  const file = stackPaths.state();
  if (!exists(file)) return emptyState();
  const text = readFileSync(file, 'utf8');
  let parsed: StackState;
  try {
    parsed = JSON.parse(text) as StackState;
  } catch (err) {
    throw corrupt(file, text, err instanceof Error ? err.message : String(err));
  }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.services !== 'object' || parsed.services === null) {
    throw corrupt(file, text, 'no "services" object');
  }
  return { ...emptyState(), ...parsed };
}

function corrupt(file: string, text: string, why: string): StackError {
  // Whatever still looks like a pid in the broken text is a process the stack may have started.
  const alive = [...new Set([...text.matchAll(/"pid"\s*:\s*(\d+)/g)].map((m) => Number(m[1])))].filter((pid) => isAlive(pid));
  const running = alive.length > 0 ? `processes it recorded may still run (pids ${alive.join(', ')}): stop them with \`kill ${alive.join(' ')}\`, then delete it` : 'no process it recorded still runs: delete it';
  return new StackError(`The stack's state file ${file} is corrupt (${why}); ${running} and run \`npm run stack up\` again.`);
}

/** Written atomically: a reader never sees half a file. */
export function writeState(state: StackState): void {
  const file = stackPaths.state();
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, null, 2)}\n`);
  renameSync(tmp, file);
}

export function recordService(rec: ServiceRecord): void {
  const state = readState();
  state.services[rec.name] = rec;
  writeState(state);
}

export function forgetService(name: ServiceName): void {
  const state = readState();
  delete state.services[name];
  if (Object.keys(state.services).length === 0) rmSync(stackPaths.state(), { force: true });
  else writeState(state);
}

function emptyState(): StackState {
  return { backend: 'local', updatedAt: new Date().toISOString(), services: {} };
}
