import { setTimeout as sleep } from 'node:timers/promises';
import type { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';

export interface SlotDiagnosis {
  short: boolean;
  needed: number;
  total: number;
  message: string;
}

interface JobDetail {
  state: string;
  vertices: { parallelism: number; tasks: Record<string, number> }[];
}

const NO_RESOURCE = /NoResourceAvailableException: ([^\n]*)/;

/**
 * Watches a just-submitted job. A slot shortage shows one of two ways: the scheduler gives up
 * and the job FAILS with NoResourceAvailableException (what Flink 1.20 does in a session
 * cluster once the resource wait times out), or its tasks still wait in SCHEDULED/CREATED
 * after waitMs. Either way the job needs more slots (its highest vertex parallelism, since
 * vertices share slots) than the cluster has.
 */
export async function diagnoseSlots(rest: FlinkRestClient, jobId: string, opts: { waitMs: number }): Promise<SlotDiagnosis> {
  const deadline = Date.now() + opts.waitMs;
  const { slotsTotal } = await rest.overview();
  let detail = (await rest.get(`/jobs/${jobId}`)) as JobDetail;
  for (;;) {
    const needed = Math.max(0, ...detail.vertices.map((v) => v.parallelism));
    if (detail.state === 'FAILED') {
      const trace = String(((await rest.get(`/jobs/${jobId}/exceptions`)) as { 'root-exception'?: string })['root-exception'] ?? '');
      const cause = NO_RESOURCE.exec(trace)?.[1];
      return cause
        ? { short: true, needed, total: slotsTotal, message: `job failed: NoResourceAvailableException: ${cause} (needs ${needed} slots, the cluster has ${slotsTotal})` }
        : { short: false, needed, total: slotsTotal, message: `job failed for another reason: ${trace.split('\n')[0]}` };
    }
    const waiting = detail.vertices.reduce((n, v) => n + (v.tasks.SCHEDULED ?? 0) + (v.tasks.CREATED ?? 0), 0);
    const allRunning = detail.vertices.every((v) => (v.tasks.RUNNING ?? 0) === v.parallelism);
    if (allRunning) return { short: false, needed, total: slotsTotal, message: `job running: needs ${needed} slot(s), the cluster has ${slotsTotal}` };
    if (Date.now() >= deadline) {
      return waiting > 0 && needed > slotsTotal
        ? { short: true, needed, total: slotsTotal, message: `${waiting} task(s) wait in SCHEDULED: the job needs ${needed} slots, the cluster has ${slotsTotal}` }
        : { short: false, needed, total: slotsTotal, message: `job ${detail.state} after ${Math.round(opts.waitMs / 1000)} s, ${waiting} task(s) waiting` };
    }
    await sleep(500);
    detail = (await rest.get(`/jobs/${jobId}`)) as JobDetail;
  }
}
