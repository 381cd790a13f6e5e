/**
 * What a run creates on a shared stack (topics, ClickHouse tables and views, Flink jobs), so that
 * one place removes it afterwards: the lab runner for labs (ctx.track), the pipeline CLI's
 * `remove`, the runbook tests. Removal says what failed instead of hiding it.
 */
import { rmSync } from 'node:fs';
import type { Endpoints } from './backend.ts';
import { clickhouseClient, dropTables } from './clickhouse/client.ts';
import { FlinkRestClient, TERMINAL_JOB_STATES } from './flink/rest-client.ts';
import { deleteTopicsAt } from './kafka/client.ts';

export interface ResourceTracker {
  topic(name: string): void;
  /** A ClickHouse table or view; dropped in the reverse order of tracking (a view before the tables it reads). */
  table(name: string): void;
  /** A Flink job: cancelled (when still running) before anything it writes to is removed. */
  job(id: string): void;
  /** A folder a run's jobs write (an Iceberg namespace): removed after the jobs end. Optional: older trackers have none. */
  path?(dir: string): void;
}

export class TrackedResources implements ResourceTracker {
  readonly topics: string[] = [];
  readonly tables: string[] = [];
  readonly jobs: string[] = [];
  readonly paths: string[] = [];

  topic(name: string): void {
    if (!this.topics.includes(name)) this.topics.push(name);
  }

  table(name: string): void {
    if (!this.tables.includes(name)) this.tables.push(name);
  }

  job(id: string): void {
    if (!this.jobs.includes(id)) this.jobs.push(id);
  }

  path(dir: string): void {
    if (!this.paths.includes(dir)) this.paths.push(dir);
  }

  get empty(): boolean {
    return this.topics.length + this.tables.length + this.jobs.length + this.paths.length === 0;
  }

  /**
   * Jobs first (and waits until they end, so nothing writes to what is removed next), then the
   * folders, then the ClickHouse tables newest first, then the topics. Every part is tried; the errors come back,
   * one sentence each. `jobsEnded` is called once the jobs have ended (their TaskManager slots are
   * free), before the rest: dropping a Kafka engine table alone takes ClickHouse seconds (ADR 0104).
   */
  async remove(ep: Endpoints, timeoutMs = 60_000, jobsEnded?: () => void): Promise<string[]> {
    const errors: string[] = [];
    const attempt = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (err) {
        errors.push(`${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      }
    };
    if (this.jobs.length > 0) {
      const flink = new FlinkRestClient(ep.flinkRest);
      for (const id of this.jobs) {
        await attempt(`cancel Flink job ${id}`, async () => {
          await flink.cancelJob(id);
          await flink.waitForJob(id, { states: [...TERMINAL_JOB_STATES], timeoutMs });
        });
      }
    }
    jobsEnded?.();
    for (const dir of this.paths) await attempt(`remove ${dir}`, async () => rmSync(dir, { recursive: true, force: true }));
    if (this.tables.length > 0) {
      await attempt(`drop ClickHouse tables ${this.tables.join(', ')}`, async () => {
        const ch = clickhouseClient(ep.clickhouseHttp);
        try {
          await dropTables(ch, [...this.tables].reverse());
        } finally {
          await ch.close();
        }
      });
    }
    if (this.topics.length > 0) await attempt(`delete topics ${this.topics.join(', ')}`, () => deleteTopicsAt(ep.kafka, this.topics));
    return errors;
  }
}
