/**
 * What every container of the stack has in common: a testcontainers GenericContainer on the
 * stack's own network under its alias, with ports published on 127.0.0.1 only, and a wait
 * strategy that is the service's real health check (never a sleep, never just "a port is open").
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GenericContainer, type WaitStrategy } from 'testcontainers';
import { StackError } from '../errors.ts';
import type { ServiceName } from '../service.ts';
import type { DockerContainer } from './engine.ts';

/** A stack container: the testcontainers builder with the two things it lacks, an alias-only network and loopback-only ports. */
export class StackContainer extends GenericContainer {
  /**
   * Joins only the stack's network, under `alias`. (testcontainers' withNetworkAliases() also
   * leaves the container on the default bridge; a network fault must really cut it off.)
   */
  onNetwork(network: string, alias: string): this {
    this.networkMode = network;
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: [alias] } } };
    return this;
  }

  /** Publishes a container port on 127.0.0.1:<host> (testcontainers binds every interface). */
  publishOnLoopback(container: number, host: number): this {
    this.withExposedPorts({ container, host });
    this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${container}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(host) }] };
    return this;
  }
}

/** Docker's multiplexed log stream (no TTY): frames of [stream, 0, 0, 0, size (4 bytes BE)] + payload. */
export function demuxLogs(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i];
    const size = buf.readUInt32BE(i + 4);
    if ((type !== 0 && type !== 1 && type !== 2) || buf[i + 1] !== 0 || buf[i + 2] !== 0 || buf[i + 3] !== 0) {
      // Not multiplexed (a TTY container): the bytes are the log.
      return buf.toString('utf8');
    }
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The last `lines` lines a container wrote (stdout and stderr, in order). */
export async function containerLogTail(container: DockerContainer, lines: number): Promise<string> {
  const raw = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
  return demuxLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))).trimEnd();
}

/** "exited with code 137 (killed: docker kill, or out of memory)". */
export function exitDescription(state: { ExitCode?: number; OOMKilled?: boolean; Status?: string }): string {
  const code = state.ExitCode ?? -1;
  const why = state.OOMKilled ? ' (out of memory)' : code === 137 ? ' (killed)' : code === 143 ? ' (terminated)' : '';
  return `${state.Status ?? 'exited'} with code ${code}${why}`;
}

/**
 * A named wait: polls `probe` (the service's health check, from this process through the
 * published ports) until it answers, failing at once with the log tail when the container
 * exits, or after the timeout. The probe's answer is kept in `value` (a version, a
 * TaskManager id) for the service's record.
 */
export class HealthWait<T> implements WaitStrategy {
  value: T | undefined;

  constructor(
    private readonly service: ServiceName,
    /** What we wait for, in words: it becomes the error message. */
    readonly what: string,
    private readonly probe: () => Promise<T | undefined | false>,
    private timeoutMs: number,
  ) {}

  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return true;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }

  async waitUntilReady(container: DockerContainer): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    let lastError = '';
    for (;;) {
      try {
        const value = await this.probe();
        if (value) {
          this.value = value;
          return;
        }
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      const state = (await container.inspect()).State;
      if (!state.Running) throw await this.failure(container, `${this.service} ${exitDescription(state)} before ${this.what}`, lastError);
      if (Date.now() >= deadline) throw await this.failure(container, `${this.service}: ${this.what} did not happen within ${Math.round(this.timeoutMs / 1000)} s`, lastError);
      await sleep(250);
    }
  }

  private async failure(container: DockerContainer, message: string, lastError: string): Promise<StackError> {
    // Read now: testcontainers removes a container whose wait failed.
    const logTail = await containerLogTail(container, 30).catch((err: unknown) => `(no log: ${err instanceof Error ? err.message : String(err)})`);
    const why = lastError ? ` (last probe error: ${lastError})` : '';
    return new StackError(`${message}${why}; see its log below (npm run stack -- logs ${this.service} --backend docker).`, { service: this.service, logTail });
  }
}
