/**
 * One call for "run these statements through the SQL Gateway and keep the job": a fresh session
 * per job, so no setting of an earlier job leaks into this one; the session is closed afterwards
 * (the job runs on without it).
 */
import type { Endpoints } from '../stack/backend.ts';
import { SqlGatewayClient } from '../stack/flink/gateway-client.ts';
import type { ResourceTracker } from '../stack/resources.ts';

/**
 * Runs every statement in order in a new session named `session` and returns the id of the job
 * the last job-starting statement submitted (the statement set); the job is tracked at once.
 */
export async function runStatements(ep: Pick<Endpoints, 'sqlGateway'>, statements: readonly (string | { sql: string })[], o: { session: string; track?: ResourceTracker }): Promise<string> {
  const session = await new SqlGatewayClient(ep.sqlGateway).openSession({}, o.session);
  let jobId: string | undefined;
  try {
    for (const s of statements) {
      const r = await session.execute(typeof s === 'string' ? s : s.sql);
      if (r.jobId) {
        jobId = r.jobId;
        o.track?.job(jobId);
      }
    }
  } finally {
    // A failed close must not hide the statement's own error; the gateway expires idle sessions.
    await session.close().catch(() => {});
  }
  if (!jobId) throw new Error(`${o.session}: the statements submitted no Flink job`);
  return jobId;
}
