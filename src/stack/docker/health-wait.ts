/**
 * The readiness wait every stack container uses: the service's real health check, never a sleep.
 * It implements testcontainers' WaitStrategy by shape only (a type import), so the services'
 * definitions load without testcontainers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WaitStrategy } from 'testcontainers';
import { StackError } from '../errors.ts';
import type { ServiceName } from '../service.ts';
import type { DockerContainer } from './engine.ts';
import { containerLogTail, exitDescription } from './logs.ts';

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
