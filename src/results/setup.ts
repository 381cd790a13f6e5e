/**
 * The setup behind a recorded figure: what the pipeline guaranteed when it was measured (delivery,
 * checkpointing, input format and DLQ, dedup horizon, load), on which machine, with which
 * versions, over how many runs. Every figure on the site is shown with one (<Fig>, the result
 * tables), so "75,000 events/s" can never stand next to "exactly-once" without saying it was not.
 *
 * Everything here is read from the results file: the throughput lab records each setup in words
 * (labs/phase-3-throughput/configs.ts setupText); for files that record less, the setup is what
 * the lab that wrote them always does, read from the fields the file has (named per file below).
 */
import type { Spread, ThroughputRecord } from '../bench/throughput-record.ts';

export interface FigureSetup {
  /** A few words, shown next to the number: "exactly-once, median of 3 runs". */
  short: string;
  /** The pipeline's guarantees, when a pipeline produced the figure ('' when none applies, e.g. a stack start). */
  delivery: string;
  checkpointing: string;
  input: string;
  dedup: string;
  /** The load, when the lab fixes it (the drills' 200 events/s). */
  load: string;
  machine: string;
  versions: string;
  /** "one run", "median of 3 runs, range 90,000-110,000". */
  runs: string;
}

type Json = Record<string, unknown>;

const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 3 });
const obj = (x: unknown): Json => (x !== null && typeof x === 'object' ? (x as Json) : {});

function machineText(data: Json): string {
  const m = obj(data.machine);
  const la = obj(m.load_average);
  const start = Array.isArray(la.start) ? `; load average ${(la.start as number[]).join(', ')} at the start${Array.isArray(la.end) && (la.end as number[]).length ? `, ${(la.end as number[]).join(', ')} at the end` : ''}` : '';
  const load1 = typeof m.loadAverage1m === 'number' ? `; load average (1 min) ${m.loadAverage1m}` : '';
  const busy = typeof m.baseline_busy === 'number' ? `; ${Math.round(m.baseline_busy * 100)} % busy before the run` : '';
  return `${m.cores ?? '?'} cores, ${m.memoryGiB ?? '?'} GiB, ${m.cpuModel ?? '?'}${data.backend ? `, ${String(data.backend)} backend` : ''}${start}${load1}${busy}`;
}

function versionsText(data: Json): string {
  const v = obj(data.versions) as Record<string, string>;
  const flink = v['flink-jobmanager'] ?? v['flink-taskmanager'];
  return [flink && `Flink ${flink}`, v.kafka && `Kafka ${v.kafka}`, v.clickhouse && `ClickHouse ${v.clickhouse}`].filter(Boolean).join(', ');
}

function spreadText(s: Spread, runs: number): string {
  if (runs <= 1 || s.runs.length <= 1) return 'one run: no spread measured';
  return `median of ${s.runs.length} runs, range ${n(s.min)}-${n(s.max)}`;
}

const runsText = (runs: number) => (runs <= 1 ? 'one run: no spread measured' : `median of ${runs} runs`);

const NONE = { delivery: '', checkpointing: '', input: '', dedup: '', load: '' };

/** The throughput lab's figures: a setup of the file's own `setups`, or what the other parts measured. */
function throughput(data: ThroughputRecord & Json, path: string, setupId?: string): FigureSetup {
  const base = { machine: machineText(data), versions: versionsText(data) };
  const runs = typeof data.runs === 'number' ? data.runs : 1;
  const id = setupId ?? /^setups\[id=([^\]]+)\]/.exec(path)?.[1];
  if (id) {
    const s = (data.setups ?? []).find((x) => x.id === id);
    if (!s) return { ...base, ...NONE, short: `${id}: setup not recorded`, runs: 'not recorded' };
    const field = /^setups\[id=[^\]]+\]\.([a-z0-9_]+)/.exec(path)?.[1];
    const spread = field ? (s as unknown as Record<string, unknown>)[field] : undefined;
    const r = spread && typeof spread === 'object' && 'runs' in spread ? spreadText(spread as Spread, runs) : runsText(runs);
    return { ...base, short: `${s.id === 'exactly-once' ? 'exactly-once' : 'without delivery guarantees'}, ${r}`, delivery: s.delivery, checkpointing: s.checkpointing, input: s.input, dedup: s.dedup, load: `open-loop rate steps; watermarks ${s.watermarks}`, runs: r };
  }
  if (path.startsWith('generator.')) return { ...base, ...NONE, short: `the generator alone into Kafka, no Flink job, one run`, runs: 'one run' };
  if (path.startsWith('pass_through.')) {
    const r = data.pass_through.spread ? spreadText(data.pass_through.spread, runs) : 'one run: no spread measured';
    return { ...base, ...NONE, delivery: 'none: nothing is written', checkpointing: 'off', input: 'JSON format, every field parsed, then discarded', short: `a pass-through job (parse and discard, no checkpoints), ${r}`, runs: r };
  }
  if (path.startsWith('correctness.')) {
    const ids = (data.setups ?? []).filter((s) => s.correctness.rows > 0).map((s) => s.id);
    return { ...base, ...NONE, delivery: ids.join(' and '), short: `ClickHouse against the generator's counts, ${ids.length ? ids.join(' and ') : 'no'} setup${ids.length === 1 ? '' : 's'}, ${runsText(runs)}`, runs: runsText(runs) };
  }
  if (path.startsWith('goal.')) return { ...base, ...NONE, short: 'the goal set when the lab was planned, not a measurement', runs: '-' };
  return { ...base, ...NONE, short: runsText(runs), runs: runsText(runs) };
}

/** The recovery drills: phase 1's pipeline as a streaming job, exactly-once, except the control drill (no checkpoints). */
function recovery(data: Json, path: string, setupId?: string): FigureSetup {
  const stream = obj(data.stream);
  const control = setupId === 'control' || /drills\[id=control\]/.test(path);
  const load = `${stream.events_per_second ?? '?'} events/s over ${stream.partitions ?? '?'} partitions`;
  const common = {
    input: "raw lines validated in SQL; invalid lines go to the DLQ with their reason",
    dedup: 'every event_id for the whole run (no TTL)',
    load,
    machine: machineText(data),
    versions: versionsText(data),
    runs: 'one run per drill',
  };
  return control
    ? { ...common, short: `no checkpoints, at-least-once sinks (the control), ${load}, one run`, delivery: 'at-least-once Kafka sinks', checkpointing: 'off' }
    : {
        ...common,
        short: `exactly-once, checkpoints every ${stream.checkpoint_interval ?? '?'}, ${load}, one run`,
        delivery: 'exactly-once: transactional Kafka sinks committed on checkpoints, read read_committed',
        checkpointing: `every ${stream.checkpoint_interval ?? '?'}, exactly-once mode, ${stream.state_backend ?? '?'}`,
      };
}

/** Figures with no pipeline guarantee in them: the stack's start time, the runbook fault tests. */
function stackOnly(data: Json, what: string): FigureSetup {
  const runs = Array.isArray(data.runs) ? data.runs.length : 1;
  const r = runs > 1 ? `median of ${runs} starts` : 'one run';
  return { ...NONE, short: `${what}, ${data.backend ? `${String(data.backend)} backend, ` : ''}${r}`, machine: machineText(data), versions: versionsText(data), runs: r };
}

/** The setup of the figure at `path` in results file `file` (its parsed JSON), or undefined when the file is not recorded. */
export function setupOf(file: string, data: unknown, path: string, setupId?: string): FigureSetup | undefined {
  if (data === undefined || data === null || typeof data !== 'object') return undefined;
  const d = data as Json;
  if (file === 'phase-3-throughput') return throughput(d as ThroughputRecord & Json, path, setupId);
  if (file.startsWith('phase-3-recovery')) return recovery(d, path, setupId);
  if (file === 'runbooks') return stackOnly(d, 'runbook faults caused on a live stack, no load');
  if (file.startsWith('stack-start')) return stackOnly(d, 'stack start, no job');
  if (file === 'phase-5') {
    // The realistic pipeline: its delivery, checkpointing and shape are in the file's setup.
    const setup = (d.setup ?? {}) as Json;
    const base = stackOnly(d, `realistic pipeline, ${String(d.form)} form, ${String(setup.partitions)} partitions x RF ${String(setup.replicationFactor)}, parallelism ${String(setup.parallelism)}`);
    // `runs` in this file are the lab's four kinds of run, each recorded once, not repetitions.
    return { ...base, short: base.short.replace(/median of \d+ starts/, 'one recorded run'), runs: 'one recorded run of each', delivery: String(setup.delivery ?? ''), checkpointing: String(setup.checkpointing ?? '') };
  }
  if (file === 'phase-5-observability') {
    // The observability lab's stream: its delivery and checkpointing are in the file's setup.
    const setup = (d.setup ?? {}) as Json;
    return { ...stackOnly(d, `observability lab, ${String(d.form)} form, live traffic at ${String(setup.linesPerSecond)} lines/s`), delivery: String(setup.delivery ?? ''), checkpointing: String(setup.checkpointing ?? '') };
  }
  return stackOnly(d, file);
}

/** The setup as one line (the chip's tooltip, and the setup table's rows). */
export function setupLines(s: FigureSetup): [string, string][] {
  return (
    [
      ['delivery', s.delivery],
      ['checkpointing', s.checkpointing],
      ['input', s.input],
      ['dedup', s.dedup],
      ['load', s.load],
      ['machine', s.machine],
      ['versions', s.versions],
      ['runs', s.runs],
    ] as [string, string][]
  ).filter(([, v]) => v !== '');
}
