/**
 * What an orchestrator asks of a running pipeline, in one JSON object (`pipeline.ts status`):
 * the run's jobs and their version labels; for the newest job, whether every task runs, its
 * completed checkpoints and what it was restored from; the input's consumer lag; the results'
 * freshness in event time (the job's watermark minus the newest window end in ClickHouse).
 * The Airflow DAGs of phase 4 decide on these numbers (labs/phase-4/dags).
 */
import type { Endpoints } from '../../stack/backend.ts';
import { clickhouseClient, query } from '../../stack/clickhouse/client.ts';
import { type FlinkRestClient, fullyRunning, parseJobDetails } from '../../stack/flink/rest-client.ts';
import { groupLag, kafkaClient } from '../../stack/kafka/client.ts';
import type { PipelineNames } from '../names.ts';
import { jobLabel, runJobs } from './jobs.ts';

export interface PipelineStatus {
  run: string;
  jobs: { jid: string; label: string; state: string; startTime: number }[];
  /** The newest job (whatever its state), or null when the run has none. */
  newest: null | {
    jid: string;
    label: string;
    state: string;
    /** RUNNING with every task RUNNING. */
    allTasksRunning: boolean;
    checkpointsCompleted: number;
    /** Where the job's state came from (a savepoint or checkpoint path), null for a fresh start. */
    restoredFrom: string | null;
    /** The root cause when the job FAILED. */
    failure: string | null;
  };
  /** Input records the job's consumer group has not committed (it commits at each checkpoint). */
  lag: number | null;
  /** The highest event-time watermark among the newest job's operators (ms), null before the first event. */
  watermark: number | null;
  clickhouse: { windows: number; newestWindowEnd: number | null };
  /** watermark - newest window end in ClickHouse: about one window (10 s) when results keep up. */
  freshnessMs: number | null;
}

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
/** Flink reports "no watermark yet" as Long.MIN_VALUE. */
const NO_WATERMARK = -9_223_372_036_854_775_000;

export async function pipelineStatus(ep: Pick<Endpoints, 'kafka' | 'clickhouseHttp'>, flink: FlinkRestClient, run: string, v: PipelineNames): Promise<PipelineStatus> {
  const jobs = await runJobs(flink, run);
  const top = jobs[0];
  let newest: PipelineStatus['newest'] = null;
  let watermark: number | null = null;
  if (top) {
    const body = await flink.get(`/jobs/${top.jid}`);
    const details = parseJobDetails(body);
    const cps = rec(rec(await flink.get(`/jobs/${top.jid}/checkpoints`).catch(() => ({}))));
    const restored = rec(rec(cps.latest).restored);
    const failure = top.state === 'FAILED' ? ((await flink.jobFailure(top.jid).catch(() => undefined)) ?? null) : null;
    newest = {
      jid: top.jid,
      label: jobLabel(top.name, run),
      state: top.state,
      allTasksRunning: fullyRunning(details),
      checkpointsCompleted: Number(rec(cps.counts).completed ?? 0),
      restoredFrom: typeof restored.external_path === 'string' ? restored.external_path : null,
      failure,
    };
    if (top.state === 'RUNNING') watermark = await highestWatermark(flink, top.jid, details.vertices.map((x) => x.id));
  }
  const kafka = kafkaClient(ep.kafka);
  const admin = kafka.admin();
  await admin.connect();
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    const lag = await groupLag(admin, v.consumer_group, v.input_topic).catch(() => null);
    // Before the first deploy there is no table: no windows (not an error: the deploy DAG asks first).
    const [exists] = await query<{ result: string | number }>(ch, `EXISTS TABLE ${v.results_table}`);
    const [row] = Number(exists?.result ?? 0) === 1 ? await query<{ windows: string; newest: string | null }>(ch, `SELECT count() AS windows, max(window_end) AS newest FROM ${v.results_table} FINAL`) : [];
    const windows = Number(row?.windows ?? 0);
    const newestWindowEnd = windows > 0 ? Number(row?.newest) : null;
    return {
      run,
      jobs: jobs.map((j) => ({ jid: j.jid, label: jobLabel(j.name, run), state: j.state, startTime: j['start-time'] })),
      newest,
      lag,
      watermark,
      clickhouse: { windows, newestWindowEnd },
      freshnessMs: watermark !== null && newestWindowEnd !== null ? watermark - newestWindowEnd : null,
    };
  } finally {
    await ch.close();
    await admin.disconnect();
  }
}

/** The highest current input watermark of any subtask of the job (GET /jobs/:id/vertices/:v/watermarks). */
async function highestWatermark(flink: FlinkRestClient, jid: string, vertices: readonly string[]): Promise<number | null> {
  let best: number | null = null;
  for (const vid of vertices) {
    const list = await flink.get(`/jobs/${jid}/vertices/${vid}/watermarks`).catch(() => []);
    for (const m of Array.isArray(list) ? list : []) {
      const value = Number(rec(m).value);
      if (Number.isFinite(value) && value > NO_WATERMARK && (best === null || value > best)) best = value;
    }
  }
  return best;
}
