/**
 * One call for "run these statements through the SQL Gateway and keep the job": a fresh session
 * per job, so no setting of an earlier job leaks into this one; the session is closed afterwards
 * (the job runs on without it).
 */
import type { Endpoints } from '../stack/backend.ts';
import { SqlGatewayClient } from '../stack/flink/gateway-client.ts';
import { afterWarmup } from '../stack/flink/warmup-gate.ts';
import type { ResourceTracker } from '../stack/resources.ts';

/** Where a submission's time went: the note under a lab's submit step. */
export interface SubmitProfile {
  /** Waiting for the gateway's warm-up still in flight (ADR 0033): 0 once it is warm. */
  warmupWaitMs: number;
  /** Every statement before the job's (settings, tables, views): a round trip each. */
  setupStatements: number;
  setupMs: number;
  /** The statement that submits the job: planning, code generation and the JobManager's acceptance. */
  jobStatementMs: number;
}

export const emptySubmitProfile = (): SubmitProfile => ({ warmupWaitMs: 0, setupStatements: 0, setupMs: 0, jobStatementMs: 0 });

/**
 * Runs every statement in order in a new session named `session` and returns the id of the job
 * the last job-starting statement submitted (the statement set); the job is tracked at once.
 * `profile`, if given, is filled with where the time went.
 */
export async function runStatements(ep: Pick<Endpoints, 'sqlGateway'>, statements: readonly (string | { sql: string })[], o: { session: string; track?: ResourceTracker; profile?: SubmitProfile }): Promise<string> {
  const session = await new SqlGatewayClient(ep.sqlGateway).openSession({}, o.session);
  const p = o.profile ?? emptySubmitProfile();
  let jobId: string | undefined;
  try {
    let t = Date.now();
    await afterWarmup(session.client.baseUrl);
    p.warmupWaitMs = Date.now() - t;
    for (const s of statements) {
      t = Date.now();
      const r = await session.execute(typeof s === 'string' ? s : s.sql);
      if (r.jobId) {
        p.jobStatementMs += Date.now() - t;
        jobId = r.jobId;
        o.track?.job(jobId);
      } else {
        p.setupStatements++;
        p.setupMs += Date.now() - t;
      }
    }
  } finally {
    // A failed close must not hide the statement's own error; the gateway expires idle sessions.
    await session.close().catch(() => {});
  }
  if (!jobId) throw new Error(`${o.session}: the statements submitted no Flink job`);
  return jobId;
}

/** "waited 0.0 s for the gateway's warm-up; 9 statements before the job 1.1 s; the job's statement (plan, submit) 2.3 s" */
export function formatSubmitProfile(p: SubmitProfile): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return `waited ${s(p.warmupWaitMs)} for the gateway's warm-up; ${p.setupStatements} statements before the job ${s(p.setupMs)}; the job's statement (plan, submit) ${s(p.jobStatementMs)}`;
}
