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
 * for settleMs while the cluster (re-read each poll) still has fewer slots than the job needs:
 * nothing can schedule them then but a new TaskManager, and the wait would otherwise be the
 * scheduler's slot.request.timeout (5 min; a session cluster reads it from the cluster's config,
 * so a per-job value is ignored, ADR 0034). Either way the job needs more slots (its highest
 * vertex parallelism, since vertices share slots) than the cluster has. waitMs bounds the watch.
 */
export async function diagnoseSlots(rest: FlinkRestClient, jobId: string, opts: { waitMs: number; settleMs: number }): Promise<SlotDiagnosis> {
  const deadline = Date.now() + opts.waitMs;
  let { slotsTotal } = await rest.overview();
  let detail = (await rest.get(`/jobs/${jobId}`)) as JobDetail;
  let shortSince: number | undefined;
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
    shortSince = waiting > 0 && needed > slotsTotal ? (shortSince ?? Date.now()) : undefined;
    if (shortSince !== undefined && Date.now() - shortSince >= opts.settleMs) {
      return { short: true, needed, total: slotsTotal, message: `${waiting} task(s) wait in SCHEDULED: the job needs ${needed} slots, the cluster has ${slotsTotal}` };
    }
    if (Date.now() >= deadline) {
      return waiting > 0 && needed > slotsTotal
        ? { short: true, needed, total: slotsTotal, message: `${waiting} task(s) wait in SCHEDULED: the job needs ${needed} slots, the cluster has ${slotsTotal}` }
        : { short: false, needed, total: slotsTotal, message: `job ${detail.state} after ${Math.round(opts.waitMs / 1000)} s, ${waiting} task(s) waiting` };
    }
    await sleep(500);
    slotsTotal = (await rest.overview()).slotsTotal;
    detail = (await rest.get(`/jobs/${jobId}`)) as JobDetail;
  }
}
