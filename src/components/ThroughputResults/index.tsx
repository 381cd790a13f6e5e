import type { ReactNode } from 'react';
import recorded from '@site/static/results/phase-3-throughput.json';
import type { SetupRecord, Spread, StepRecord, ThroughputRecord } from '@site/src/bench/throughput-record';
import PlotFigure, { type Plot } from './PlotFigure';

/**
 * The throughput lab's recorded run (static/results/phase-3-throughput.json, written by
 * `npm run lab phase-3-throughput -- --record`): every figure on the page comes from that file.
 * Tables render on the server (in the static HTML and the search index); charts in the browser.
 */
const data = recorded as unknown as ThroughputRecord;

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number) => `${Math.round(x * 100)} %`;
const WATERMARK_MS = 5_000;

/** Which part of the page to render: the lesson places them between its sections. */
export type Part = 'summary' | 'generator' | 'tuning' | 'steps' | 'latency-chart' | 'cpu' | 'correctness';

export default function ThroughputResults({ part }: { part: Part }): ReactNode {
  switch (part) {
    case 'summary':
      return <Summary />;
    case 'generator':
      return <Generator />;
    case 'tuning':
      return <Tuning />;
    case 'steps':
      return <Steps />;
    case 'latency-chart':
      return <PlotFigure make={latencyChart} caption="Result latency (first visible in ClickHouse - window end) against the input rate achieved, per configuration. Rules: the 5 s watermark delay, and the goal (watermark + 1.5 s)." />;
    case 'cpu':
      return <Cpu />;
    case 'correctness':
      return <Correctness />;
  }
}

function Provenance(): ReactNode {
  const m = data.machine;
  const v = data.versions;
  const la = m.load_average;
  return (
    <p>
      Recorded {data.recordedAt.slice(0, 16).replace('T', ' ')} UTC with <code>{data.command}</code> ({data.form} form, {data.runs === 1 ? 'one run' : `${data.runs} runs: each figure is the median, with the range`}) on {m.cores} cores, {m.memoryGiB} GiB, {m.cpuModel}; Node {m.node}, Java {m.java}; Kafka {v.kafka}, Flink {v['flink-jobmanager']}, ClickHouse {v.clickhouse}. The machine was {pct(m.baseline_busy)} busy before the run started
      {la.start.length ? `; load average ${la.start.join(', ')} (1, 5, 15 min) at the start, ${la.end.join(', ')} at the end` : ''}.{data.note ? ` ${data.note}` : ''}
    </p>
  );
}

/** "75,000" for one run; "75,000 (range 70,000-80,000, 3 runs)" for several. */
function spreadCell(s: Spread | undefined, unit = ''): string {
  if (!s || s.runs.length === 0) return 'not measured';
  const u = unit ? ` ${unit}` : '';
  return s.runs.length === 1 ? `${n(s.median)}${u} (one run)` : `${n(s.median)}${u} (range ${n(s.min)}-${n(s.max)}, ${s.runs.length} runs)`;
}

const SETUP_IDS = ['exactly-once', 'relaxed'] as const;
const SETUP_NAMES: Record<(typeof SETUP_IDS)[number], string> = { 'exactly-once': 'exactly-once (phase 1\u2019s full semantics)', relaxed: 'without delivery guarantees (tuned)' };

/** The file's setup for a configuration name (the ladders and drains name their configuration). */
function setupOfConfig(config: string): SetupRecord | undefined {
  return data.setups.find((s) => s.config === config) ?? data.setups.find((s) => s.id === data.tuning.find((t) => t.name === config)?.setup);
}

function Summary(): ReactNode {
  const g = data.goal;
  const setups = SETUP_IDS.map((id) => data.setups.find((s) => s.id === id));
  const words: [string, (s: SetupRecord) => string][] = [
    ['configuration', (s) => s.config],
    ['delivery guarantee', (s) => s.delivery],
    ['checkpointing', (s) => s.checkpointing],
    ['input format and DLQ', (s) => s.input],
    ['dedup horizon', (s) => s.dedup],
    ['watermarks, parallelism', (s) => s.watermarks],
  ];
  const figures: [string, (s: SetupRecord) => string, string][] = [
    ['sustainable throughput, end to end', (s) => spreadCell(s.sustainable_events_per_s, 'events/s'), `>= ${n(g.events_per_s)} (stretch ${n(g.stretch_events_per_s)})`],
    ['result latency p99 at that rate, after window end', (s) => spreadCell(s.latency_p99_ms_after_window_end, 'ms'), `< ${n(WATERMARK_MS + g.p99_ms_beyond_watermark)} ms`],
    ['the same, beyond the 5 s watermark delay', (s) => spreadCell(s.latency_p99_ms_beyond_watermark, 'ms'), `< ${n(g.p99_ms_beyond_watermark)} ms`],
    ['drain rate (bounded read, as fast as it can)', (s) => spreadCell(s.drain_events_per_s, 'events/s'), '-'],
    ['R1 = sustainable / generator alone', (s) => s.r1.toFixed(2), '-'],
    ['R2 = sustainable / pass-through job', (s) => s.r2.toFixed(2), `>= ${g.r2_min}`],
    ['ClickHouse equal to the generator\u2019s counts', (s) => (s.correctness.rows ? `${s.correctness.equal ? 'yes' : 'NO'}: ${n(s.correctness.rows)} rows, ${n(s.correctness.events_compared)} events` : 'not compared'), 'yes'],
  ];
  return (
    <div data-figure="phase-3-throughput">
      <Provenance />
      <table>
        <thead>
          <tr>
            <th>figure</th>
            {SETUP_IDS.map((id, i) => {
              const s = setups[i];
              return (
                <th key={id} data-setup={s ? SETUP_NAMES[id] : 'missing'} data-setup-delivery={s?.delivery ?? ''}>
                  {SETUP_NAMES[id]}
                </th>
              );
            })}
            <th>goal</th>
          </tr>
        </thead>
        <tbody>
          {words.map(([name, f]) => (
            <tr key={name}>
              <td>{name}</td>
              {setups.map((s, i) => (
                <td key={SETUP_IDS[i]}>{s ? f(s) : <em>not recorded yet</em>}</td>
              ))}
              <td />
            </tr>
          ))}
          {figures.map(([name, f, goal]) => (
            <tr key={name}>
              <td>{name}</td>
              {setups.map((s, i) => (
                <td key={SETUP_IDS[i]}>{s ? <strong>{f(s)}</strong> : <em>not recorded yet</em>}</td>
              ))}
              <td>{goal}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {n(data.products)} products, so every 10 s window holds {n(data.products)} result rows. The relaxed setup is the fastest configuration of the tuning sweep below, <code>{data.final_config}</code>.
      </p>
    </div>
  );
}

/** The file-wide part of a setup above a table whose rows name their own setup or need none. */
function FileSetup({ what }: { what: string }): ReactNode {
  const m = data.machine;
  const text = `${what}; ${m.cores} cores, ${m.cpuModel}; ${data.runs === 1 ? 'one run' : `median of ${data.runs} runs`}`;
  return (
    <p data-setup={text} data-setup-delivery="">
      <small>Setup: {text}.</small>
    </p>
  );
}

function Generator(): ReactNode {
  const g = data.generator;
  const pt = data.pass_through;
  return (
    <div data-figure="phase-3-throughput">
      <FileSetup what="no CTR pipeline: the generator alone into Kafka (no Flink job), and a pass-through Flink job (parse every field, discard; no checkpoints, no sinks)" />
    <table>
      <thead>
        <tr>
          <th>what writes or reads</th>
          <th>events/s</th>
          <th>how</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>the lab&apos;s Java generator, alone</td>
          <td>{n(g.max_events_per_s)}</td>
          <td>
            unthrottled for {(g.ms / 1000).toFixed(0)} s, {n(g.events)} acknowledged events; CPU s per million events: {cpuText(g.cpu_s_per_million)}
          </td>
        </tr>
        {g.alternatives.map((a) => (
          <tr key={a.kind}>
            <td>{a.kind}</td>
            <td>{n(a.events_per_s)}</td>
            <td>{a.note}</td>
          </tr>
        ))}
        <tr>
          <td>pass-through Flink job (Kafka, JSON parse, discard)</td>
          <td>{pt.spread ? spreadCell(pt.spread) : n(pt.events_per_s)}</td>
          <td>
            bounded read of {n(pt.events)} events in {(pt.ms / 1000).toFixed(1)} s at parallelism {pt.parallelism}; CPU s per million events: {cpuText(pt.cpu_s_per_million)}
          </td>
        </tr>
      </tbody>
    </table>
    </div>
  );
}

function cpuText(c: Record<string, number>): string {
  return Object.entries(c)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function Tuning(): ReactNode {
  if (data.tuning.length === 0) return <p>This recording is a short-form run: it has no tuning sweep.</p>;
  return (
    <div data-figure="phase-3-throughput">
      <FileSetup what="each configuration drains the same slice of the input topic; the setup column says what each one guarantees" />
    <table>
      <thead>
        <tr>
          <th>configuration</th>
          <th>setup</th>
          <th>change</th>
          <th>drain events/s</th>
          <th>busiest vertex (busy ratio)</th>
          <th>CPU s per million events</th>
          <th>machine busy</th>
          <th>TaskManager profile (JFR): threads; methods on top of the stack</th>
        </tr>
      </thead>
      <tbody>
        {data.tuning.map((t) => (
          <tr key={t.name}>
            <td>
              <code>{t.name}</code>
            </td>
            <td data-setup={t.setup ?? 'relaxed'}>{t.setup === 'exactly-once' ? 'exactly-once, checkpoints every 5 s' : 'no delivery guarantee, no checkpoints'}</td>
            <td>{t.change}</td>
            <td>
              {t.spread ? spreadCell(t.spread) : n(t.drain_events_per_s)}
              {t.outcome === 'timeout' ? ' (timed out: an upper bound)' : ''}
            </td>
            <td>
              {t.busiest_vertex || '-'} ({t.busy_ratio})
            </td>
            <td>{cpuText(t.cpu_s_per_million)}</td>
            <td>{pct(t.machine_busy)}</td>
            <td>{t.profile ? profileText(t.profile) : '-'}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

function profileText(p: NonNullable<ThroughputRecord['tuning'][number]['profile']>): string {
  const threads = p.threads.slice(0, 3).map((t) => `${t.thread} ${pct(t.share)}`);
  const top = p.top.slice(0, 4).map((m) => `${m.method} ${pct(m.share)}`);
  return `${threads.join('; ')}. Top: ${top.join(', ')} (${n(p.samples)} samples)`;
}

function busiest(s: StepRecord): string {
  const top = Object.entries(s.backpressure).sort((a, b) => b[1].busy_ratio_max - a[1].busy_ratio_max)[0];
  if (!top) return '-';
  const bp = Object.entries(s.backpressure).filter(([, b]) => b.level !== 'ok');
  return `${top[0]} busy ${top[1].busy_ratio_max}${bp.length ? `; backpressure ${bp.map(([k, b]) => `${b.level} on ${k}`).join(', ')}` : ''}`;
}

function setupCell(config: string): string {
  const s = setupOfConfig(config);
  return s ? (s.id === 'exactly-once' ? 'exactly-once' : 'no delivery guarantee') : 'no delivery guarantee (an earlier baseline ladder)';
}

function Steps(): ReactNode {
  return (
    <div data-figure="phase-3-throughput">
      <FileSetup what="open-loop rate steps; the setup column names each ladder's guarantees (the summary above has the details)" />
    <table>
      <thead>
        <tr>
          <th>configuration</th>
          <th>setup</th>
          <th>run</th>
          <th>target /s</th>
          <th>status</th>
          <th>input /s</th>
          <th>output /s</th>
          <th>lag at end (trend /s)</th>
          <th>latency p50 / p95 / p99 ms after window end</th>
          <th>Flink emit p99 ms</th>
          <th>machine busy</th>
          <th>busiest vertex</th>
        </tr>
      </thead>
      <tbody>
        {data.steps.map((s) => (
          <tr key={`${s.config}-${s.run ?? 1}-${s.target_events_per_s}`}>
            <td>
              <code>{s.config}</code>
            </td>
            <td data-setup={setupCell(s.config)}>{setupCell(s.config)}</td>
            <td>{s.run ?? 1}</td>
            <td>{n(s.target_events_per_s)}</td>
            <td>
              {s.status}
              {s.reason ? `: ${s.reason}` : ''}
            </td>
            <td>{n(s.input_events_per_s)}</td>
            <td>{n(s.output_events_per_s)}</td>
            <td>
              {n(s.lag.end)} ({n(s.lag.slope_events_per_s)})
            </td>
            <td>
              {n(s.latency_ms_after_window_end.p50)} / {n(s.latency_ms_after_window_end.p95)} / {n(s.latency_ms_after_window_end.p99)} (n = {n(s.latency_ms_after_window_end.n)})
            </td>
            <td>{s.emit_latency_ms_after_window_end ? n(s.emit_latency_ms_after_window_end.p99) : '-'}</td>
            <td>{pct(s.machine_busy)}</td>
            <td>{busiest(s)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

function latencyChart(P: Plot): Element {
  const points = data.steps
    .filter((s) => s.latency_ms_after_window_end.n > 0)
    .flatMap((s) => (['p50', 'p95', 'p99'] as const).map((q) => ({ config: s.config, input: s.input_events_per_s, ms: s.latency_ms_after_window_end[q], percentile: q })));
  return P.plot({
    width: 720,
    height: 320,
    marginLeft: 60,
    x: { type: 'log', label: 'input events/s', grid: true },
    y: { label: 'ms after window end', grid: true, zero: true },
    color: { legend: true },
    fx: { label: null },
    marks: [
      P.ruleY([WATERMARK_MS, WATERMARK_MS + data.goal.p99_ms_beyond_watermark], { strokeDasharray: '4,3' }),
      P.line(points, { x: 'input', y: 'ms', stroke: 'percentile', fx: 'config' }),
      P.dot(points, { x: 'input', y: 'ms', stroke: 'percentile', fx: 'config', tip: true }),
    ],
  });
}

/** Below this rate fixed costs (polling, heartbeats) dominate CPU per event and dwarf the rest of the chart; the table keeps every step. */
const CPU_CHART_MIN_RATE = 10_000;

function cpuChart(P: Plot): Element {
  const steps = data.steps.filter((s) => s.target_events_per_s >= CPU_CHART_MIN_RATE);
  const rows = steps.flatMap((s) => Object.entries(s.cpu_s_per_million).map(([process, v]) => ({ step: `${s.config} ${n(s.target_events_per_s)}`, process, v })));
  return P.plot({
    width: 720,
    height: 320,
    marginBottom: 90,
    marginLeft: 60,
    x: { label: null, tickRotate: -35, domain: steps.map((s) => `${s.config} ${n(s.target_events_per_s)}`) },
    y: { label: 'CPU s per million input events', grid: true },
    color: { legend: true },
    marks: [P.barY(rows, { x: 'step', y: 'v', fill: 'process', tip: true }), P.ruleY([0])],
  });
}

function Cpu(): ReactNode {
  // Array.from, not [...set]: the site's Babel build spreads loosely and would keep the Set whole.
  const procs = Array.from(new Set(data.steps.flatMap((s) => Object.keys(s.cpu_s_per_million))));
  return (
    <div data-figure="phase-3-throughput">
      <FileSetup what="CPU of each process over each step's measuring phase; the steps table names each step's setup" />
      <PlotFigure make={cpuChart} caption={`CPU seconds per million input events, per process, for the steps of ${n(CPU_CHART_MIN_RATE)} events/s and more (from /proc/<pid>/stat over the measuring phase; every step is in the table).`} />
      <table>
        <thead>
          <tr>
            <th>step</th>
            {procs.map((p) => (
              <th key={p}>{p}</th>
            ))}
            <th>TaskManager heap max MB</th>
          </tr>
        </thead>
        <tbody>
          {data.steps.map((s) => (
            <tr key={`${s.config}-${s.run ?? 1}-${s.target_events_per_s}`}>
              <td>
                <code>{s.config}</code> {n(s.target_events_per_s)}/s{data.runs > 1 ? `, run ${s.run ?? 1}` : ''}
              </td>
              {procs.map((p) => (
                <td key={p}>{s.cpu_s_per_million[p] ?? '-'}</td>
              ))}
              <td>{n(s.tm_heap_used_max_mb)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Correctness(): ReactNode {
  const c = data.correctness;
  const compared = data.setups.filter((s) => s.correctness.rows > 0).map((s) => s.id);
  return (
    <p data-figure="phase-3-throughput" data-setup={`compared in: ${compared.join(', ') || 'no setup'}`} data-setup-delivery={compared.join(' and ')}>
      Exactness, over the sustainable windows of {compared.length ? compared.join(' and ') : 'no'} setup{compared.length === 1 ? '' : 's'}: {n(c.rows)} (product, window) rows over {c.windows} windows, {n(c.events_compared)} events, compared with the generator&apos;s own counts: <strong>{c.equal ? 'all equal' : 'NOT equal'}</strong>. The generator injected {n(c.duplicates_injected)} duplicates (dropped by the pipeline); the late-events topics held {n(c.late)} events.
    </p>
  );
}
