/**
 * Job states and checkpoint progress from the Flink REST API (ADR 0073). Flink's reporter drops a
 * job's metrics when the job ends, so a FAILED job and a CANCELED one look the same there; the
 * REST API keeps both, and which one matters for an alert. Of the jobs sharing a name, only the
 * newest counts: a resubmitted job replaces the one that failed.
 */
import type { FlinkRestClient } from '../../stack/flink/rest-client.ts';

export interface JobSnapshot {
  jobName: string;
  jobId: string;
  state: string;
  /** Checkpointing on: its interval, and the latest completed checkpoint (the job's start before the first). */
  checkpoint?: { intervalS: number; lastCompletedS: number };
}

interface OverviewJob {
  jid: string;
  name: string;
  state: string;
  'start-time': number;
}

/** The newest job of each name. */
export function newestByName(jobs: readonly OverviewJob[]): OverviewJob[] {
  const newest = new Map<string, OverviewJob>();
  for (const j of jobs) {
    const seen = newest.get(j.name);
    if (!seen || j['start-time'] > seen['start-time']) newest.set(j.name, j);
  }
  return [...newest.values()];
}

const intervals = new Map<string, number | null>();

async function checkpointOf(api: FlinkRestClient, job: OverviewJob): Promise<JobSnapshot['checkpoint']> {
  let interval = intervals.get(job.jid);
  if (interval === undefined) {
    // 404 "Checkpointing is not enabled": remembered as null, asked once per job.
    const config = (await api.get(`/jobs/${job.jid}/checkpoints/config`).catch(() => undefined)) as { interval?: number } | undefined;
    interval = config?.interval && config.interval > 0 && config.interval < Number.MAX_SAFE_INTEGER / 2 ? config.interval : null;
    intervals.set(job.jid, interval);
  }
  if (interval === null) return undefined;
  const stats = (await api.get(`/jobs/${job.jid}/checkpoints`)) as { latest?: { completed?: { latest_ack_timestamp?: number } | null } };
  const ack = stats.latest?.completed?.latest_ack_timestamp;
  return { intervalS: interval / 1000, lastCompletedS: (ack && ack > 0 ? ack : job['start-time']) / 1000 };
}

export async function jobSnapshots(api: FlinkRestClient): Promise<JobSnapshot[]> {
  const { jobs } = (await api.get('/jobs/overview')) as { jobs: OverviewJob[] };
  return Promise.all(
    newestByName(jobs).map(async (j) => ({
      jobName: j.name,
      jobId: j.jid,
      state: j.state,
      checkpoint: j.state === 'RUNNING' ? await checkpointOf(api, j).catch(() => undefined) : undefined,
    })),
  );
}
