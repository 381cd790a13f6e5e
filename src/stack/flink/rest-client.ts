/**
 * The few JobManager REST calls the stack and the labs need: cluster overview, TaskManagers,
 * job state and failure cause. Parsing is pure and exported for tests.
 */
import { finishingVertices } from './finishing-tasks.ts';

export interface ClusterOverview {
  taskmanagers: number;
  slotsTotal: number;
  slotsAvailable: number;
  jobsRunning: number;
  version?: string;
}

export interface TaskManagerInfo {
  id: string;
  /** The TaskManager's RPC port, read from its pekko path. */
  rpcPort?: number;
  dataPort?: number;
  slotsNumber: number;
  freeSlots: number;
}

export type JobState =
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING';

export const TERMINAL_JOB_STATES: ReadonlySet<JobState> = new Set(['FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED']);

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));

export function parseOverview(body: unknown): ClusterOverview {
  const b = rec(body);
  if (!('taskmanagers' in b)) throw new Error(`not a Flink /overview answer: ${JSON.stringify(body).slice(0, 200)}`);
  return {
    taskmanagers: num(b.taskmanagers),
    slotsTotal: num(b['slots-total']),
    slotsAvailable: num(b['slots-available']),
    jobsRunning: num(b['jobs-running']),
    version: typeof b['flink-version'] === 'string' ? b['flink-version'] : undefined,
  };
}

export function parseTaskManager(v: unknown): TaskManagerInfo {
  const t = rec(v);
  const path = typeof t.path === 'string' ? t.path : '';
  const rpc = /@[^:/]+:(\d+)\//.exec(path)?.[1];
  return {
    id: String(t.id ?? ''),
    rpcPort: rpc ? Number(rpc) : undefined,
    dataPort: typeof t.dataPort === 'number' ? t.dataPort : undefined,
    slotsNumber: num(t.slotsNumber),
    freeSlots: num(t.freeSlots),
  };
}

export function parseTaskManagers(body: unknown): TaskManagerInfo[] {
  const list = rec(body).taskmanagers;
  return Array.isArray(list) ? list.map(parseTaskManager) : [];
}

/** The root exception of a failed job from /jobs/:id/exceptions, first line only. */
export function parseRootException(body: unknown): string | undefined {
  const b = rec(body);
  const text = typeof b['root-exception'] === 'string' ? b['root-exception'] : undefined;
  if (!text) return undefined;
  // The last "Caused by" is the real reason (e.g. a Kafka TimeoutException under JobExecutionException).
  const causes = text.split('\n').filter((l) => l.startsWith('Caused by: '));
  return (causes[causes.length - 1]?.slice('Caused by: '.length) ?? text.split('\n')[0] ?? '').trim();
}

export class FlinkRestClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async get(path: string): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    return res.json();
  }

  async overview(): Promise<ClusterOverview> {
    return parseOverview(await this.get('/overview'));
  }

  async taskManagers(): Promise<TaskManagerInfo[]> {
    return parseTaskManagers(await this.get('/taskmanagers'));
  }

  async jobState(jobId: string): Promise<JobState> {
    return String(rec(await this.get(`/jobs/${jobId}`)).state) as JobState;
  }

  async jobFailure(jobId: string): Promise<string | undefined> {
    return parseRootException(await this.get(`/jobs/${jobId}/exceptions`));
  }

  /** Polls until the job is in one of `states` (default: any terminal state); returns that state. */
  async waitForJob(jobId: string, opts: { states?: readonly JobState[]; timeoutMs?: number; intervalMs?: number } = {}): Promise<JobState> {
    const want = new Set<JobState>(opts.states ?? [...TERMINAL_JOB_STATES]);
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    for (;;) {
      const state = await this.jobState(jobId);
      if (want.has(state)) return state;
      if (TERMINAL_JOB_STATES.has(state)) {
        const why = state === 'FAILED' ? await this.jobFailure(jobId).catch(() => undefined) : undefined;
        throw new Error(`Flink job ${jobId} ended ${state}${why ? `: ${why}` : ''}`);
      }
      if (Date.now() >= deadline) throw new Error(`Flink job ${jobId} still ${state} after ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s`);
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
    }
  }

  async jobDetails(jobId: string): Promise<JobDetails> {
    return parseJobDetails(await this.get(`/jobs/${jobId}`));
  }

  /** A FINISHED job's processing span (processingSpanMs): undefined when a subtask never ran or finished. */
  async processingSpanMs(jobId: string): Promise<number | undefined> {
    const d = await this.jobDetails(jobId);
    return processingSpanMs(await Promise.all(d.vertices.map((v) => this.get(`/jobs/${jobId}/vertices/${v.id}/subtasktimes`))));
  }

  /** Where a finished job's wall time went (jobPhases): scheduling, deploying its tasks, processing. */
  /** Waits until the job is FINISHED (throws as waitForJob does), then its phases: undefined when the API cannot tell. */
  async phasesWhenFinished(jobId: string, timeoutMs: number): Promise<JobPhases | undefined> {
    await this.waitForJob(jobId, { states: ['FINISHED'], timeoutMs });
    return this.jobPhases(jobId).catch(() => undefined);
  }

  async jobPhases(jobId: string): Promise<JobPhases | undefined> {
    const body = await this.get(`/jobs/${jobId}`);
    const d = parseJobDetails(body);
    return jobPhases(body, await Promise.all(d.vertices.map((v) => this.get(`/jobs/${jobId}/vertices/${v.id}/subtasktimes`))));
  }

  /** The job's exception history, one line each: time, exception, task, root cause ("(exceptions unavailable: ...)" if the API fails). */
  async exceptionLines(jobId: string): Promise<string[]> {
    try {
      return parseExceptionLines(await this.get(`/jobs/${jobId}/exceptions`));
    } catch (err) {
      return [`(exceptions unavailable: ${(err as Error).message})`];
    }
  }

  /**
   * Stop-with-savepoint, polled until the savepoint is written; returns its path. drain=true emits
   * MAX_WATERMARK first, so every open event-time window fires before the job stops.
   *
   * A savepoint triggered while a task is finishing (a bounded source that just read its last
   * offset) can be declined; the job keeps running, so the stop is triggered again, up to
   * STOP_ATTEMPTS times, while the job is RUNNING. Any other failure throws at once (ADR 0116).
   * A drained stop that fails fails the job's tasks and restarts the job, so before each attempt it
   * waits until no task is about to finish (finishingVertices, ADR 0118).
   */
  async stopWithSavepoint(jobId: string, opts: { drain: boolean; targetDirectory: string; timeoutMs?: number; retryDelayMs?: number }): Promise<string> {
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    for (let attempt = 1; ; attempt++) {
      await this.untilNoTaskFinishing(jobId, Math.min(deadline, Date.now() + SETTLE_MAX_MS));
      const outcome = await this.stopOnce(jobId, opts, deadline);
      if (outcome.kind === 'written') return outcome.location;
      const again = outcome.kind === 'declined' && attempt < STOP_ATTEMPTS && Date.now() < deadline && (await this.jobState(jobId)) === 'RUNNING';
      if (!again) throw new Error(`stop-with-savepoint failed${attempt > 1 ? ` (attempt ${attempt})` : ''}: ${outcome.message}`);
      await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? STOP_RETRY_MS));
    }
  }

  /** Polls until no vertex of the job is about to finish, or `until`: then the stop goes ahead, and a decline is retried as before. */
  private async untilNoTaskFinishing(jobId: string, until: number): Promise<void> {
    while (finishingVertices(await this.jobDetails(jobId)).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
  }

  private async stopOnce(jobId: string, opts: { drain: boolean; targetDirectory: string }, deadline: number): Promise<Exclude<SavepointOutcome, { kind: 'pending' }>> {
    const res = await fetch(`${this.baseUrl}/jobs/${jobId}/stop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ drain: opts.drain, targetDirectory: opts.targetDirectory }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`stop ${jobId}: HTTP ${res.status} ${await res.text()}`);
    const trigger = String(rec(await res.json())['request-id']);
    for (;;) {
      const outcome = parseSavepointStatus(await this.get(`/jobs/${jobId}/savepoints/${trigger}`));
      if (outcome.kind !== 'pending') return outcome;
      if (Date.now() > deadline) throw new Error('stop-with-savepoint did not complete in time');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async cancelJob(jobId: string): Promise<void> {
    const res = await fetch(`${this.baseUrl}/jobs/${jobId}?mode=cancel`, { method: 'PATCH', signal: AbortSignal.timeout(this.timeoutMs) });
    // 404: no such job; 409: already finished or failed. Neither needs cancelling.
    if (!res.ok && res.status !== 404 && res.status !== 409) throw new Error(`cancel ${jobId}: HTTP ${res.status}`);
  }
}

// ---------------------------------------------------------------- savepoints

/** How many times stopWithSavepoint triggers a stop that was declined while the job ran on. */
export const STOP_ATTEMPTS = 5;
const STOP_RETRY_MS = 1_000;
/** The longest a stop waits for finishing tasks: a task that takes longer is not merely closing. */
const SETTLE_MAX_MS = 30_000;
const SETTLE_POLL_MS = 100;

export type SavepointOutcome =
  | { kind: 'pending' }
  | { kind: 'written'; location: string }
  /** Declined for a passing reason (a task finishing or not yet running): the job runs on. */
  | { kind: 'declined'; message: string }
  | { kind: 'failed'; message: string };

/**
 * CheckpointFailureReason messages (Flink 1.20) that describe a moment, not a fault: the same
 * savepoint a second later succeeds.
 */
const PASSING_DECLINES = [
  /Checkpoint was declined \(task is closing\)/,
  /Checkpoint was declined \(tasks not ready\)/,
  /Not all required tasks are currently running/,
  // The task finished on its TaskManager before the JobManager heard of it.
  /received a checkpoint request for unknown task/,
  // Watermark alignment's last events to a source's finishing subtasks were still in flight: the
  // trigger fails before any barrier, so no task is touched (seen grading phase 5).
  /some OperatorEvents before this checkpoint barrier were not received/,
];

/** GET /jobs/:id/savepoints/:trigger, classified; the message is the first three lines of the trace. */
export function parseSavepointStatus(body: unknown): SavepointOutcome {
  const b = rec(body);
  if (rec(b.status).id !== 'COMPLETED') return { kind: 'pending' };
  const op = rec(b.operation);
  if (typeof op.location === 'string') return { kind: 'written', location: op.location };
  const trace = String(rec(op['failure-cause'])['stack-trace'] ?? '(no failure cause)');
  const message = trace.split('\n').slice(0, 3).join(' | ');
  return PASSING_DECLINES.some((re) => re.test(trace)) ? { kind: 'declined', message } : { kind: 'failed', message };
}

// ---------------------------------------------------------------- job vertices, backpressure, TaskManager metrics

export interface JobVertex {
  id: string;
  name: string;
  parallelism: number;
  status: string;
  /** Wall time the vertex ran (ms); for a finished bounded job, from its first to its last record. */
  durationMs: number;
  /** Records the vertex read from / wrote to other vertices (0 for a source's input). */
  readRecords: number;
  writeRecords: number;
  /** Subtasks of the vertex that have FINISHED. */
  finishedSubtasks: number;
  /** The vertices it reads from (the job plan's edges), with how records are shipped (HASH, FORWARD...). */
  inputs: { id: string; shipStrategy: string }[];
}

export interface JobDetails {
  id: string;
  state: JobState;
  durationMs: number;
  vertices: JobVertex[];
}

/** GET /jobs/:id, reduced to what benchmarks read. */
export function parseJobDetails(body: unknown): JobDetails {
  const b = rec(body);
  const vertices = Array.isArray(b.vertices) ? b.vertices : [];
  const nodes = rec(b.plan).nodes;
  const inputsOf = new Map((Array.isArray(nodes) ? nodes : []).map((n) => {
    const inputs = rec(n).inputs;
    return [String(rec(n).id), (Array.isArray(inputs) ? inputs : []).map((i) => ({ id: String(rec(i).id), shipStrategy: String(rec(i).ship_strategy ?? '') }))];
  }));
  return {
    id: String(b.jid ?? ''),
    state: String(b.state ?? '') as JobState,
    durationMs: num(b.duration),
    vertices: vertices.map((v) => {
      const x = rec(v);
      const m = rec(x.metrics);
      return {
        id: String(x.id ?? ''),
        name: String(x.name ?? ''),
        parallelism: num(x.parallelism),
        status: String(x.status ?? ''),
        durationMs: num(x.duration),
        readRecords: num(m['read-records']),
        writeRecords: num(m['write-records']),
        finishedSubtasks: num(rec(x.tasks).FINISHED),
        inputs: inputsOf.get(String(x.id ?? '')) ?? [],
      };
    }),
  };
}

/**
 * GET /jobs/:id/vertices/:vid/subtasktimes for every vertex -> how long the job processed: from the
 * moment its last subtask turned RUNNING (every operator open, the Python worker up) to the moment
 * its last subtask FINISHED. A bounded job's rate over this span leaves out scheduling and start-up,
 * which a job's duration includes.
 */
export function processingSpanMs(subtaskTimes: readonly unknown[]): number | undefined {
  const stamps = subtaskTimes.flatMap((body) => {
    const subtasks = rec(body).subtasks;
    return (Array.isArray(subtasks) ? subtasks : []).map((x) => rec(rec(x).timestamps));
  });
  if (stamps.length === 0 || stamps.some((t) => !num(t.RUNNING) || !num(t.FINISHED))) return undefined;
  const allRunning = Math.max(...stamps.map((t) => num(t.RUNNING)));
  const lastFinished = Math.max(...stamps.map((t) => num(t.FINISHED)));
  return lastFinished > allRunning ? lastFinished - allRunning : undefined;
}

export interface JobPhases {
  /** INITIALIZING -> RUNNING: the JobManager builds the execution graph and asks for slots. */
  schedulingMs: number;
  /** Job RUNNING -> its last subtask RUNNING: tasks deployed to the TaskManager, operators opened. */
  deployingMs: number;
  /** Last subtask RUNNING -> job FINISHED: reading, computing, writing, and the end of input. */
  processingMs: number;
}

/**
 * A finished job's wall time in three phases, from GET /jobs/:id (its state timestamps) and each
 * vertex's subtasktimes: what a lab's "the job" step is made of. Undefined unless it FINISHED.
 */
export function jobPhases(job: unknown, subtaskTimes: readonly unknown[]): JobPhases | undefined {
  const t = rec(rec(job).timestamps);
  const [initializing, running, finished] = [num(t.INITIALIZING) || num(t.CREATED), num(t.RUNNING), num(t.FINISHED)];
  const subtaskRunning = subtaskTimes.flatMap((body) => {
    const subtasks = rec(body).subtasks;
    return (Array.isArray(subtasks) ? subtasks : []).map((x) => num(rec(rec(x).timestamps).RUNNING));
  });
  if (!initializing || !running || !finished || subtaskRunning.length === 0 || subtaskRunning.some((x) => !x)) return undefined;
  const allRunning = Math.max(...subtaskRunning);
  return { schedulingMs: running - initializing, deployingMs: Math.max(0, allRunning - running), processingMs: Math.max(0, finished - allRunning) };
}

/** "scheduled 0.4 s, deployed 1.2 s, processed 3.1 s": a job's phases for a step's note. */
export function formatJobPhases(p: JobPhases): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return `scheduled ${s(p.schedulingMs)}, tasks deployed and opened ${s(p.deployingMs)}, processed ${s(p.processingMs)}`;
}

/** RUNNING with every vertex RUNNING: the job really processes (job state alone says RUNNING while tasks wait for slots). */
export function fullyRunning(d: Pick<JobDetails, 'state' | 'vertices'>): boolean {
  return d.state === 'RUNNING' && d.vertices.length > 0 && d.vertices.every((x) => x.status === 'RUNNING');
}

/** GET /jobs/:id/exceptions -> one line per history entry: time, exception @ task: the root cause. */
export function parseExceptionLines(body: unknown): string[] {
  const entries = rec(rec(body).exceptionHistory).entries;
  return (Array.isArray(entries) ? entries.map(rec) : []).map((e) => {
    const trace = String(e.stacktrace ?? '');
    const causes = trace.split('\n').filter((l) => l.startsWith('Caused by: '));
    const root = (causes[causes.length - 1] ?? trace.split('\n')[0] ?? '').slice(0, 240);
    return `${new Date(num(e.timestamp)).toISOString().slice(11, 23)} ${String(e.exceptionName ?? '')} @ ${String(e.taskName ?? '-')}: ${root}`;
  });
}

export type BackpressureLevel = 'ok' | 'low' | 'high';

export interface VertexBackpressure {
  level: BackpressureLevel;
  /** Highest share of time any subtask was back-pressured, busy, idle (0..1). */
  ratio: number;
  busyRatio: number;
  idleRatio: number;
  /** When the figures were taken (epoch ms): the REST API serves metrics up to ~10 s old. */
  at: number;
}

/**
 * GET /jobs/:id/vertices/:vid/backpressure. Since Flink 1.13 the answer comes from the tasks'
 * backPressuredTimeMsPerSecond / busyTimeMsPerSecond metrics, so asking is cheap. "deprecated"
 * (no sample yet) reads as level ok with zero ratios.
 */
export function parseBackpressure(body: unknown): VertexBackpressure {
  const b = rec(body);
  const subtasks = Array.isArray(b.subtasks) ? b.subtasks.map(rec) : [];
  const max = (k: string) => subtasks.reduce((m, s) => Math.max(m, num(s[k])), 0);
  const level = String(b.backpressureLevel ?? 'ok');
  return {
    level: level === 'high' || level === 'low' ? level : 'ok',
    ratio: max('ratio'),
    busyRatio: max('busyRatio'),
    idleRatio: max('idleRatio'),
    at: num(b['end-timestamp']),
  };
}

/** GET /taskmanagers/:id/metrics?get=a,b: [{id, value}] -> { a: number, b: number }. */
export function parseMetricValues(body: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (Array.isArray(body)) for (const m of body.map(rec)) out[String(m.id)] = num(m.value);
  return out;
}

export class FlinkMetricsClient extends FlinkRestClient {
  async vertexBackpressure(jobId: string, vertexId: string): Promise<VertexBackpressure> {
    return parseBackpressure(await this.get(`/jobs/${jobId}/vertices/${vertexId}/backpressure`));
  }

  async taskManagerMetrics(tmId: string, ids: readonly string[]): Promise<Record<string, number>> {
    return parseMetricValues(await this.get(`/taskmanagers/${encodeURIComponent(tmId)}/metrics?get=${ids.join(',')}`));
  }
}
