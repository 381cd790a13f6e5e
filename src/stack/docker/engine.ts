/**
 * The Docker engine as the container backend reaches it: through testcontainers' runtime
 * client (which finds the engine as every testcontainers user's would: DOCKER_HOST, the
 * testcontainers properties, else the local socket) and the dockerode instance behind it.
 *
 * Ryuk, testcontainers' reaper, is a container image pulled from Docker Hub; where no
 * registry answers it cannot start, and our containers must outlive the process that started
 * them anyway (`stack up` in one command, `stack down` in another). So the backend turns it
 * off unless the user chose, and removes its containers itself, by the ids it recorded.
 */
import type { ContainerRuntimeClient } from 'testcontainers';
import { StackError } from '../errors.ts';

export type Docker = ContainerRuntimeClient['container']['dockerode'];
export type DockerContainer = ReturnType<Docker['getContainer']>;

/** The base every project image is built on: pulled on a learner's machine, made with debootstrap where no registry answers (.ci/docker-engine). */
export const BASE_IMAGE = 'debian:12-slim';

export const ENGINE_HINT =
  'start Docker (Docker Desktop on macOS and Windows; on Linux `sudo dockerd &`, or `bash .ci/docker-engine` which also installs it) and try again';

let clientPromise: Promise<ContainerRuntimeClient> | undefined;

/** The runtime client, once per process; one sentence when no engine answers. */
export function engine(): Promise<ContainerRuntimeClient> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  // Imported on first use: a local-backend command never pays for testcontainers' import (0.4 s).
  clientPromise ??= import('testcontainers').then((t) => t.getContainerRuntimeClient()).catch((err: unknown) => {
    clientPromise = undefined;
    throw Object.assign(new StackError(`No Docker engine answers (${reason(err)}): ${ENGINE_HINT}.`), { cause: err });
  });
  return clientPromise;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function docker(): Promise<Docker> {
  return (await engine()).container.dockerode;
}

/** The HTTP status of a dockerode error (404: no such container), when it has one. */
export function statusCode(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's version and storage driver, or why there is none (doctor). */
export async function engineInfo(): Promise<{ ok: true; version: string; driver: string; arch: string } | { ok: false; why: string }> {
  try {
    const client = await engine();
    const info = client.info.containerRuntime;
    return { ok: true, version: String(info.serverVersion), driver: String((await client.container.dockerode.info()).Driver ?? ''), arch: String(info.architecture) };
  } catch (err) {
    // The install hint is the doctor's backend line; this line says what happened.
    return { ok: false, why: `no engine answers (${reason(err instanceof Error && err.cause !== undefined ? err.cause : err)})` };
  }
}

/** Whether an image is present in the engine (no pull). */
export async function imageExists(d: Docker, tag: string): Promise<boolean> {
  try {
    await d.getImage(tag).inspect();
    return true;
  } catch (err) {
    if (statusCode(err) === 404) return false;
    throw err;
  }
}
