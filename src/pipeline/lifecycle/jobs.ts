/**
 * A hand-run pipeline's jobs, found by name: Flink names a job after its pipeline
 * (`ctr-phase-3 <run> [<label>]`), so the run id and the version label are words of the name.
 */
import type { FlinkRestClient, JobState } from '../../stack/flink/rest-client.ts';

export interface RunJob {
  jid: string;
  name: string;
  state: JobState;
  'start-time': number;
}

/** The run's jobs, in any state, newest first. */
export async function runJobs(flink: Pick<FlinkRestClient, 'get'>, run: string): Promise<RunJob[]> {
  const { jobs } = (await flink.get('/jobs/overview')) as { jobs: RunJob[] };
  return jobs.filter((j) => j.name.split(' ').includes(run)).sort((a, b) => b['start-time'] - a['start-time']);
}

/** The version label a job was submitted with (`--label v2`), the word after the run id; '' without one. */
export function jobLabel(name: string, run: string): string {
  const words = name.split(' ');
  const at = words.indexOf(run);
  return at >= 0 ? (words[at + 1] ?? '') : '';
}

/** The pipeline name of a run's job: the run id, then the label when there is one. */
export function labelledPipelineName(base: string, label: string | undefined): string {
  return label ? `${base} ${label}` : base;
}
