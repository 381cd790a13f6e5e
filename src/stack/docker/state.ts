/**
 * <stack dir>/docker-state.json: the containers the docker backend started, by id, and the
 * network they share, so `stack down` (or a lab's cleanup) in another process stops exactly
 * those. The local backend's state.json is separate: both backends can run side by side.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from '../errors.ts';
import { exists, stackDir } from '../paths.ts';
import type { ServiceName } from '../service.ts';

export interface ContainerRecord {
  name: ServiceName;
  containerId: string;
  containerName: string;
  image: string;
  /** Host ports published on 127.0.0.1, by role (e.g. { broker: 9092 }). */
  ports: Record<string, number>;
  /** What a Node client on the host connects to (host:port for Kafka, http://... otherwise). */
  url: string;
  version?: string;
  /** A Flink TaskManager's resource id. */
  instanceId?: string;
  startedAt: string;
}

export interface DockerState {
  backend: 'docker';
  updatedAt: string;
  network?: { id: string; name: string };
  services: Partial<Record<ServiceName, ContainerRecord>>;
}

export const stateFile = (): string => join(stackDir(), 'docker-state.json');

/** A short id of the stack dir: container and network names carry it, so two checkouts never collide. */
export function stackId(dir: string = stackDir()): string {
  return createHash('sha256').update(dir).digest('hex').slice(0, 6);
}

export function readDockerState(): DockerState {
  const file = stateFile();
  if (!exists(file)) return emptyState();
  let parsed: DockerState;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as DockerState;
  } catch (err) {
    throw new StackError(
      `The docker backend's state file ${file} is corrupt (${err instanceof Error ? err.message : String(err)}): remove its containers with \`docker rm -f $(docker ps -aq --filter label=ctr-labs.stack=${stackId()})\`, delete the file, and run \`npm run stack -- up --backend docker\` again.`,
    );
  }
  return { ...emptyState(), ...parsed, services: parsed.services ?? {} };
}

export function writeDockerState(state: DockerState): void {
  const file = stateFile();
  if (Object.keys(state.services).length === 0 && !state.network) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(stackDir(), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, null, 2)}\n`);
  renameSync(tmp, file);
}

export function updateDockerState(change: (state: DockerState) => void): DockerState {
  const state = readDockerState();
  change(state);
  writeDockerState(state);
  return state;
}

function emptyState(): DockerState {
  return { backend: 'docker', updatedAt: new Date().toISOString(), services: {} };
}
