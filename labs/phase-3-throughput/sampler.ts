/**
 * One sample a second while a configuration runs: input offsets and consumer lag from Kafka, CPU
 * per process from /proc, the machine's busy share, and (every few seconds) Flink's backpressure
 * per vertex and the TaskManager heap. A step reads the samples of its measuring phase.
 *
 * Every figure comes from outside the job (Kafka, /proc) or from Flink's REST API; none from the
 * lab's own bookkeeping, except the generator's status, which is its own counter.
 */
import type { Admin } from 'kafkajs';
import { busyShare, machineTicks, type MachineTicks, processCpuSeconds } from '../../src/bench/proc.ts';
import { type BackpressureLevel, FlinkMetricsClient, type VertexBackpressure } from '../../src/stack/flink/rest-client.ts';
import { endOffsetSum, groupLag } from '../../src/stack/kafka/client.ts';
import type { StackBackend } from '../../src/stack/backend.ts';

export interface Sample {
  t: number;
  /** Σ end offsets of the input topic (events + duplicates written so far). */
  inputOffsets: number;
  lag: number;
  /** Cumulative CPU seconds per process name. */
  cpu: Record<string, number>;
  machine: MachineTicks;
  heapUsedMb?: number;
  heapMaxMb?: number;
  /** Per vertex name, when asked this second. */
  backpressure?: Record<string, VertexBackpressure>;
}

export interface SamplerTarget {
  stack: StackBackend;
  admin: Admin;
  flinkRest: string;
  inputTopic: string;
  group: string;
  jobId: string;
  generatorPid?: number;
  /** Where the job's source started, per partition: the lag before its first offset commit. */
  startOffsets: ReadonlyMap<number, number>;
}

const TRACKED = ['kafka', 'flink-taskmanager', 'flink-jobmanager', 'clickhouse', 'sql-gateway'] as const;

/** Cumulative CPU seconds of the stack's services (as the backend measures them), the generator and this lab. */
export async function cpuNow(stack: StackBackend, generatorPid?: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const usage = await Promise.all(TRACKED.map(async (name) => [name, await stack.usage(name)] as const));
  for (const [name, u] of usage) if (u) out[name] = u.cpuSeconds;
  const g = generatorPid ? processCpuSeconds(generatorPid) : undefined;
  if (g !== undefined) out.generator = g;
  const own = process.cpuUsage();
  out.lab = (own.user + own.system) / 1e6;
  return out;
}

export class Sampler {
  readonly samples: Sample[] = [];
  private timer?: NodeJS.Timeout;
  private busy = false;
  private vertices?: { id: string; name: string }[];
  private tmId?: string;
  private tick = 0;
  /** Set when the job left RUNNING: the step stops with this reason. */
  failure?: string;
  private readonly flink: FlinkMetricsClient;

  constructor(private readonly x: SamplerTarget) {
    this.flink = new FlinkMetricsClient(x.flinkRest);
  }

  start(): void {
    this.timer = setInterval(() => void this.sample(), 1_000);
    void this.sample();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Samples taken at or after `fromMs` (and before `toMs`). */
  between(fromMs: number, toMs = Number.POSITIVE_INFINITY): Sample[] {
    return this.samples.filter((s) => s.t >= fromMs && s.t < toMs);
  }

  get last(): Sample | undefined {
    return this.samples[this.samples.length - 1];
  }

  private async sample(): Promise<void> {
    // A slow REST answer must not pile samples up: skip a second instead.
    if (this.busy) return;
    this.busy = true;
    try {
      const t = Date.now();
      const [inputOffsets, lag] = await Promise.all([endOffsetSum(this.x.admin, this.x.inputTopic), groupLag(this.x.admin, this.x.group, this.x.inputTopic, this.x.startOffsets)]);
      const s: Sample = { t, inputOffsets, lag, cpu: await cpuNow(this.x.stack, this.x.generatorPid), machine: machineTicks() };
      if (this.tick++ % 3 === 0) await this.flinkFigures(s);
      this.samples.push(s);
    } catch (err) {
      // One missed sample is not a failure; the step sees the gap.
      if (err instanceof Error && /ended|FAILED/.test(err.message)) this.failure = err.message;
    } finally {
      this.busy = false;
    }
  }

  private async flinkFigures(s: Sample): Promise<void> {
    const job = await this.flink.jobDetails(this.x.jobId);
    if (job.state !== 'RUNNING') {
      const why = job.state === 'FAILED' ? await this.flink.jobFailure(this.x.jobId).catch(() => undefined) : undefined;
      this.failure = `Flink job ${job.state}${why ? `: ${why}` : ''}`;
      return;
    }
    this.vertices ??= job.vertices.map((v) => ({ id: v.id, name: shortName(v.name) }));
    const bp: Record<string, VertexBackpressure> = {};
    await Promise.all(
      this.vertices.map(async (v) => {
        bp[v.name] = await this.flink.vertexBackpressure(this.x.jobId, v.id);
      }),
    );
    s.backpressure = bp;
    this.tmId ??= (await this.flink.taskManagers())[0]?.id;
    if (this.tmId) {
      const m = await this.flink.taskManagerMetrics(this.tmId, ['Status.JVM.Memory.Heap.Used', 'Status.JVM.Memory.Heap.Max']);
      s.heapUsedMb = (m['Status.JVM.Memory.Heap.Used'] ?? 0) / 2 ** 20;
      s.heapMaxMb = (m['Status.JVM.Memory.Heap.Max'] ?? 0) / 2 ** 20;
    }
  }
}

/**
 * Flink's vertex names are whole plans ("Source: x_src[1] -> Calc[2] -> ..."); the operator kinds
 * in order are enough to tell the vertices apart on a page.
 */
export function shortName(name: string): string {
  const ops = name
    .split(/\s*->\s*/)
    .map((op) => op.replace(/^Source: /, 'Source:').replace(/\[\d+\].*$/, '').replace(/\(.*$/, '').replace(/^Source:.*$/, 'Source').trim())
    .filter((op) => op.length > 0);
  return ops.join(' → ').slice(0, 120);
}

const LEVELS: BackpressureLevel[] = ['ok', 'low', 'high'];

export interface StepBackpressure {
  level: BackpressureLevel;
  ratio_max: number;
  busy_ratio_max: number;
}

/**
 * The highest backpressure level, ratio and busy ratio each vertex showed over the samples,
 * counting only figures Flink took at or after `fromMs` (its REST answers can be ~10 s old).
 */
export function backpressureOver(samples: readonly Sample[], fromMs: number): Record<string, StepBackpressure> {
  const out: Record<string, StepBackpressure> = {};
  for (const s of samples) {
    for (const [name, b] of Object.entries(s.backpressure ?? {})) {
      if (b.at < fromMs) continue;
      const o = (out[name] ??= { level: 'ok', ratio_max: 0, busy_ratio_max: 0 });
      if (LEVELS.indexOf(b.level) > LEVELS.indexOf(o.level)) o.level = b.level;
      o.ratio_max = Math.max(o.ratio_max, round(b.ratio, 2));
      o.busy_ratio_max = Math.max(o.busy_ratio_max, round(b.busyRatio, 2));
    }
  }
  return out;
}

/** CPU seconds per million input events, per process, between two samples. */
export function cpuPerMillion(a: Sample, b: Sample): Record<string, number> {
  const events = b.inputOffsets - a.inputOffsets;
  const out: Record<string, number> = {};
  if (events <= 0) return out;
  for (const [name, v] of Object.entries(b.cpu)) {
    const before = a.cpu[name];
    if (before !== undefined) out[name] = round(((v - before) / events) * 1e6, 2);
  }
  return out;
}

export function machineBusy(a: Sample, b: Sample): number {
  return round(busyShare(a.machine, b.machine), 3);
}

export function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
