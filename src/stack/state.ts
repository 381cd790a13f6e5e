import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exists, stackPaths } from './paths.ts';
import type { ServiceName, ServiceRecord } from './service.ts';

/** .stack/state.json: what is running, where. Labs and learners read it to find ports. */
export interface StackState {
  backend: 'local';
  updatedAt: string;
  services: Partial<Record<ServiceName, ServiceRecord>>;
}

export function readState(): StackState {
  const file = stackPaths.state();
  if (!exists(file)) return emptyState();
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as StackState;
    return { ...emptyState(), ...parsed, services: parsed.services ?? {} };
  } catch {
    return emptyState();
  }
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
