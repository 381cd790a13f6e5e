/**
 * Phase 5, observability: the streaming CTR pipeline under steady traffic, watched by the stack's
 * Prometheus, while the lab causes two faults (a burst of malformed lines, then a stop in
 * production) and checks from Prometheus' HTTP API that the alert meant for each fault fired
 * and resolved once the fault was fixed. At the end it drains the job and checks the outputs
 * against the oracle (phase 1's checks), the metrics against the oracle's counts (lines read,
 * DLQ per reason, duplicates, late), and that every dashboard panel (src/observability/panels.ts)
 * returns series for this run. `--record` keeps the run's series and alert changes for the lesson.
 *
 * The short form (CI) causes no fault: the waits are the alert rules' own windows, not the
 * data's size, and in `npm test` the live alert tests (test/observability) cause these faults and
 * two more on the same stack. The short form still checks every metric and panel against the
 * oracle; the fault checks report "skipped" with the reason.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { runOracle, type OracleOutput } from '../../src/ctr/oracle.ts';
import { compareCount, compareTally, tally } from '../../src/lab/compare.ts';
import { type CheckResult, defineLab, type LabContext } from '../../src/lab/contract.ts';
import type { PipelineOutputs } from '../../src/pipeline/collect.ts';
import { PIPELINE_CHECKS, pipelineChecks, pipelineCounts } from '../../src/pipeline/checks.ts';
import type { PipelineNames } from '../../src/pipeline/names.ts';
import { type AlertChange, alertChanges, isFiring } from '../../src/observability/alerts-api.ts';
import { allPanels, type Panel, renderQuery } from '../../src/observability/panels.ts';
import { prometheusVersion, queryInstant, queryRange, type Series } from '../../src/observability/query-api.ts';
import type { FaultRecord, ObservabilityRecord } from '../../src/results/observability.ts';
import type { InputLine } from '../../src/ctr/line.ts';
import { labLines } from '../../src/lab/dataset.ts';
import { PIPELINE_SQL } from '../../src/pipeline/render.ts';
import { kafkaClient } from '../../src/stack/kafka/client.ts';
import { PrometheusClient } from '../../src/stack/prometheus/client.ts';
import { SCRAPE_INTERVAL_S } from '../../src/stack/prometheus/config.ts';
import { EXPORTER } from '../../src/observability/metrics.ts';
import { dlqByReasonQuery, type Fault, FAULTS, METRIC_CHECKS, RESULTS_CHECK } from './observe.ts';
import { CHECKPOINT_INTERVAL, drainAndCollect, jobNameOf, labNames, startPipeline, waitInputRead } from './pipeline.ts';
import { buildRecord } from './record.ts';
import { Traffic } from './traffic.ts';

/** Lines per second of wall time: a realistic trickle the 2-core machine keeps up with easily. */
const RATE = 100;
/** Steady traffic before the first fault: the rate windows ([1m]) fill, every panel has a line. */
const WARMUP_S = 45;
const SHORT_WARMUP_S = 10;
/** The alerts' rate windows must see the burst for a while before it can cross the threshold. */
const BURST_MIN_S = 10;
const STEP_S = 5;
/** Full form: steady traffic after each alert resolved, so the record shows the recovery. */
const AFTER_FIX_S = 20;

export interface State {
  short: boolean;
  /** --events FILE: the learner's lines, replayed instead of generated traffic, without faults. */
  replay?: InputLine[];
  v: PipelineNames;
  jobName: string;
  jobId?: string;
  traffic?: Traffic;
  startedAt?: number;
  endedAt?: number;
  faults: FaultRecord[];
  metrics?: Record<string, number>;
  dlqReasons?: Record<string, number>;
  oracle?: OracleOutput;
  out?: PipelineOutputs;
  series?: Record<string, Series[]>;
  panelErrors?: Record<string, string>;
  prometheus?: ObservabilityRecord['prometheus'];
  alertChanges?: AlertChange[];
  window?: { start: number; end: number };
}

/** An instant query's value summed over its series (0 when it has none: a counter not yet exported). */
const sumOf = async (url: string, query: string) => (await queryInstant(url, query)).reduce((n, r) => n + r.value, 0);
/**
 * Reads until `ready` holds and two reads a scrape interval apart agree (60 s at most): the
 * counters have reached Prometheus and stopped moving. Returns the last read.
 */
async function settle(read: () => Promise<Record<string, number>>, ready: (m: Record<string, number>) => boolean, o: { stable: boolean } = { stable: true }): Promise<Record<string, number>> {
  const deadline = Date.now() + 60_000;
  let last = await read();
  // A target value that is itself final (what a topic or a table holds) needs no second read.
  if (!o.stable && ready(last)) return last;
  for (;;) {
    await sleep(o.stable ? SCRAPE_INTERVAL_S * 1000 + 500 : 1_000);
    const now = await read();
    if ((ready(now) && (!o.stable || JSON.stringify(now) === JSON.stringify(last))) || Date.now() > deadline) return now;
    last = now;
  }
}

const promUrl = (ctx: Pick<LabContext, 'endpoints'>) => ctx.endpoints.prometheus;
const faultsOf = (short: boolean) => (short ? [] : FAULTS);
const firedName = (f: Fault) => `${f.title}: ${f.alert} fired`;
const resolvedName = (f: Fault) => `${f.title}: ${f.alert} resolved`;
const PANELS_CHECK = 'every dashboard panel returns series for this run';
const REASONS_CHECK = 'metric: DLQ per reason = oracle';

function faultStep(fault: Fault, index: number) {
  return {
    id: `fault-${index + 1}`,
    title: fault.title,
    explain: `${fault.explain} Alert: ${fault.alert}, expected to fire within ${fault.fireWithinS} s and to resolve within ${fault.resolveWithinS} s of the fix.`,
    async run(ctx: LabContext, s: State) {
      const skipped = s.replay ? '--events replays your file without faults (they need timed, generated traffic)' : !faultsOf(s.short).includes(fault) ? 'the short form causes no fault (in npm test, test/observability causes it and times its alert)' : undefined;
      if (skipped) {
        s.faults.push({ id: fault.id, title: fault.title, alert: fault.alert, startedAt: Date.now(), fireWithinS: fault.fireWithinS, resolveWithinS: fault.resolveWithinS, skipped });
        ctx.note(`skipped: ${skipped}`);
        return;
      }
      const traffic = s.traffic as Traffic;
      const url = promUrl(ctx);
      // This run's alert only (its `run` label): other runs on a shared stack have their own.
      const firing = () => isFiring(url, fault.alert, (l) => l.run === ctx.runId).catch(() => false);
      if (await firing()) throw new Error(`${fault.alert} is already firing before the fault: another run on this stack may be causing it; wait until it resolves (${url}/alerts)`);
      const rec: FaultRecord = { id: fault.id, title: fault.title, alert: fault.alert, startedAt: Date.now(), fireWithinS: fault.fireWithinS, resolveWithinS: fault.resolveWithinS };
      s.faults.push(rec);
      const seg = await traffic.run(fault.segment, { minSeconds: fault.segment === 'malformed-burst' ? BURST_MIN_S : 0, maxSeconds: fault.fireWithinS, until: firing }, ctx.signal);
      rec.fixedAt = seg.endedAt;
      if (seg.ended === 'condition') {
        rec.firedAt = seg.endedAt;
        rec.fireSeconds = Number(((seg.endedAt - rec.startedAt) / 1000).toFixed(1));
        ctx.note(`${fault.alert} firing after ${rec.fireSeconds.toFixed(0)} s (${seg.lines} lines during the fault); fixing it`);
      } else {
        ctx.note(`${fault.alert} did not fire within ${fault.fireWithinS} s; fixing the fault anyway`);
      }
      // The full form keeps the fix running a while after the resolution, so the charts show the pipeline healthy again.
      const fix = await traffic.run('steady', { maxSeconds: fault.resolveWithinS, until: async () => !(await firing()) }, ctx.signal);
      if (!s.short) await traffic.run('steady', { maxSeconds: AFTER_FIX_S }, ctx.signal);
      if (fix.ended === 'condition' && rec.firedAt !== undefined) {
        rec.resolvedAt = fix.endedAt;
        rec.resolveSeconds = Number(((fix.endedAt - (rec.fixedAt ?? fix.startedAt)) / 1000).toFixed(1));
        ctx.note(`${fault.alert} resolved ${rec.resolveSeconds.toFixed(0)} s after the fix`);
      } else if (rec.firedAt !== undefined) {
        ctx.note(`${fault.alert} still firing ${fault.resolveWithinS} s after the fix`);
      }
    },
  };
}

export default defineLab<State, ObservabilityRecord>({
  id: 'phase-5-observability',
  title: 'Observability: alerts that fire when their fault is caused, metrics that agree with the oracle',
  lesson: '/docs/phase-5-realistic-pipeline/observability',
  summary:
    'The streaming pipeline under steady traffic, watched by Prometheus; a burst of malformed lines and a stop in production, each of which must fire its alert and resolve it after the fix; then the outputs against the oracle, the metrics against the oracle\'s counts, and every dashboard panel against the run.',
  services: ['kafka', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager', 'sql-gateway', 'prometheus', 'pipeline-exporter'],
  checks: [
    ...PIPELINE_CHECKS,
    ...[...METRIC_CHECKS, RESULTS_CHECK].map((c) => ({ name: c.name, explain: c.explain })),
    { name: REASONS_CHECK, explain: 'The DLQ counter per reason label, for this run, equals the oracle\'s tally of reasons.' },
    ...FAULTS.flatMap((f) => [
      { name: firedName(f), explain: `Prometheus' /api/v1/alerts shows ${f.alert} firing within ${f.fireWithinS} s of the fault's start.The full form only: the short form reports it "skipped".` },
      { name: resolvedName(f), explain: `${f.alert} is no longer firing within ${f.resolveWithinS} s of the fix.` },
    ]),
    { name: PANELS_CHECK, explain: 'Each panel\'s query, narrowed to this run\'s job, parses and returns at least one series over the run (the same queries as the live page and the Grafana dashboard).' },
  ],
  // --sql DIR: copies of phase 1's files, which this lab renders as a streaming job (an exercise's overlay).
  sql: PIPELINE_SQL,
  init(ctx) {
    return { short: ctx.options.short, replay: ctx.options.eventsFile ? labLines(ctx.options, {}, 0) : undefined, v: labNames(ctx), jobName: jobNameOf(ctx.runId), faults: [] };
  },
  steps: [
    {
      id: 'prometheus',
      title: 'Check Prometheus and its scrape targets',
      explain: 'Prometheus answers its HTTP API and every scrape target (Flink\'s JobManager and TaskManager, Kafka, the pipeline exporter) is up.',
      async run(ctx, s) {
        const url = promUrl(ctx);
        const version = await prometheusVersion(url);
        if (!version) throw new Error(`no Prometheus answers at ${url}: npm run stack status shows it, npm run stack up starts it`);
        // The active targets (not the `up` series: after a restart, old targets' series linger for the 5-minute lookback).
        const client = new PrometheusClient(url);
        // A target may miss a scrape on a busy machine (seen in CI: the exporter while a broker of
        // the realistic shape restarted): down means down for 60 s, not one missed scrape.
        const downNow = async () => (await client.targets()).filter((t) => t.health !== 'up');
        const until = Date.now() + 60_000;
        while ((await downNow()).length > 0 && Date.now() < until) await sleep(2_000, undefined, { signal: ctx.signal });
        const targets = await client.targets();
        const down = targets.filter((t) => t.health !== 'up').map((t) => `${t.labels.job ?? '?'} (${t.lastError || t.health})`);
        const series = await client.seriesCount();
        s.prometheus = { version, targetsUp: targets.length - down.length, targets: targets.length, series };
        ctx.note(`Prometheus ${version} at ${url}: ${targets.length - down.length} of ${targets.length} targets up, ${series} series in its head block`);
        if (down.length > 0) throw new Error(`scrape targets down: ${down.join(', ')} (${url}/targets says why)`);
      },
    },
    {
      id: 'start',
      title: 'Start the streaming pipeline',
      explain: `Phase 1's SQL as a long-running job (checkpoints every ${CHECKPOINT_INTERVAL}, at-least-once sinks, one input partition), its topics and ClickHouse tables; the step ends when every task runs.`,
      async run(ctx, s) {
        s.jobId = await startPipeline(ctx, s.v);
        ctx.note(`job ${s.jobId} "${s.jobName}" running`);
      },
    },
    {
      id: 'steady',
      title: 'Steady traffic',
      explain: `${RATE} lines a second with phase 1's mix (2% malformed, 2% duplicates, 1% late), event time at the wall clock, until the rate windows are full. With --events FILE, your lines at the same rate instead (and no faults).`,
      async run(ctx, s) {
        s.traffic = new Traffic(kafkaClient(ctx.endpoints.kafka), s.v, RATE, ctx.options.seed);
        s.startedAt = Date.now();
        const seg = s.replay ? await s.traffic.replay(s.replay) : await s.traffic.run('steady', { maxSeconds: s.short ? SHORT_WARMUP_S : WARMUP_S }, ctx.signal);
        ctx.note(`${seg.lines} lines in ${((seg.endedAt - seg.startedAt) / 1000).toFixed(0)} s`);
      },
    },
    ...FAULTS.map(faultStep),
    {
      id: 'drain',
      title: 'Stop producing, read the metrics, drain the job',
      explain: 'Once the job has read every line, the lab reads the counters from Prometheus (after their next scrape), then stops the job with a drain (every open window fires) and collects what it wrote.',
      async run(ctx, s) {
        const traffic = s.traffic as Traffic;
        s.oracle = runOracle(traffic.lines);
        const lag = await waitInputRead(ctx, s.v);
        if (lag !== 0) ctx.note(`the job still lags ${lag} lines after 90 s`);
        // The counters reach Prometheus at the exporter's next collection and Prometheus' next
        // scrape. Wait until they settle (unchanged over a scrape interval) with the input
        // counter at the lines produced: settled, not equal to the oracle, so a wrong pipeline
        // is measured as quickly as a right one.
        const url = promUrl(ctx);
        const read = async () => Object.fromEntries(await Promise.all(METRIC_CHECKS.map(async (c) => [c.name, await sumOf(url, c.query(ctx.runId))] as const)));
        s.metrics = await settle(read, (m) => m[METRIC_CHECKS[0]?.name ?? ''] === traffic.lines.length);
        s.dlqReasons = Object.fromEntries((await queryInstant(url, dlqByReasonQuery(ctx.runId))).map((r) => [r.labels.reason ?? '?', r.value]));
        s.out = await drainAndCollect(ctx, s.v, s.jobId as string);
        // The last windows fired at the drain: the results counter must reach what the results topic holds.
        const emitted = s.out.emitted;
        const results = await settle(async () => ({ n: await sumOf(url, RESULTS_CHECK.query(ctx.runId)) }), (m) => m.n === emitted, { stable: false });
        s.metrics[RESULTS_CHECK.name] = results.n ?? 0;
        // The exporter reads ClickHouse on its own schedule: wait until its row count of this run's
        // results table has reached what the run wrote, so the ClickHouse panels have this run's series.
        const rows = s.out.rows.length;
        await settle(async () => ({ n: await sumOf(url, `sum(${EXPORTER.resultRows}{run="${ctx.runId}"})`) }), (m) => m.n === rows, { stable: false });
        s.endedAt = Date.now();
        const c = s.oracle.counts;
        ctx.note(`${traffic.lines.length} lines produced (oracle: ${c.valid} valid, ${c.dlq} DLQ, ${c.duplicates} duplicates, ${c.late} late, ${s.oracle.results.length} windows); ${s.out.rows.length} rows in ClickHouse`);
      },
    },
    {
      id: 'dashboard',
      title: 'Query every dashboard panel over the run',
      explain: 'Each panel of the dashboard (the live page\'s and Grafana\'s), narrowed to this run\'s job, as a range query over the run: the series the lesson draws.',
      async run(ctx, s) {
        const url = promUrl(ctx);
        const start = Math.floor(((s.startedAt ?? Date.now()) - 30_000) / 1000);
        const end = Math.ceil(Date.now() / 1000);
        s.series = {};
        s.panelErrors = {};
        const series = s.series;
        const errors = s.panelErrors;
        const query = async (p: Panel, until: number) => {
          try {
            series[p.id] = await queryRange(url, renderQuery(p.query, { run: ctx.runId }), { start, end: until, stepSeconds: STEP_S, legend: p.legend });
          } catch (err) {
            errors[p.id] = err instanceof Error ? err.message : String(err);
          }
        };
        for (const p of allPanels()) await query(p, end);
        // A short run (a replay) can end before its last gauges were scraped and its recording
        // rules evaluated: a panel still empty is asked again, up to two evaluation intervals later.
        const retryUntil = Date.now() + 2 * (SCRAPE_INTERVAL_S + 1) * 1000;
        let empty = allPanels().filter((p) => !series[p.id]?.length && !errors[p.id]);
        while (empty.length > 0 && Date.now() < retryUntil) {
          await sleep(2_000);
          for (const p of empty) await query(p, Math.ceil(Date.now() / 1000));
          empty = empty.filter((p) => !series[p.id]?.length && !errors[p.id]);
        }
        // Every alert of this run, not only the two the faults aim at: a burst or a stop may trip others too.
        s.alertChanges = await alertChanges(url, { start, end, stepSeconds: STEP_S, run: ctx.runId });
        s.window = { start: start * 1000, end: end * 1000 };
        const none = allPanels().filter((p) => !series[p.id]?.length).map((p) => p.id);
        ctx.note(`${allPanels().length - none.length} of ${allPanels().length} panels have series${none.length ? ` (none: ${none.join(', ')})` : ''}`);
      },
    },
  ],
  async evaluate(ctx, s) {
    if (!s.out || !s.oracle || !s.metrics) throw new Error('the drain step did not run');
    const oracle = s.oracle;
    const produced = s.traffic?.lines.length ?? 0;
    const checks: CheckResult[] = [...pipelineChecks(oracle, s.out)];
    for (const c of [...METRIC_CHECKS, RESULTS_CHECK]) checks.push(compareCount(c.name, c.expected(oracle, produced), s.metrics[c.name] ?? Number.NaN));
    checks.push(compareTally(REASONS_CHECK, tally(oracle.dlq, (d) => d.reason), s.dlqReasons ?? {}));
    for (const f of FAULTS) {
      const r = s.faults.find((x) => x.id === f.id);
      if (r?.skipped) {
        checks.push({ name: firedName(f), expected: `firing within ${f.fireWithinS} s`, actual: `not run: ${r.skipped}`, ok: true, skipped: true });
        checks.push({ name: resolvedName(f), expected: `resolved within ${f.resolveWithinS} s`, actual: `not run: ${r.skipped}`, ok: true, skipped: true });
        continue;
      }
      checks.push({ name: firedName(f), expected: `firing within ${f.fireWithinS} s of the fault`, actual: r?.fireSeconds === undefined ? 'never fired' : `firing after ${r.fireSeconds.toFixed(0)} s`, ok: r?.fireSeconds !== undefined });
      checks.push({ name: resolvedName(f), expected: `resolved within ${f.resolveWithinS} s of the fix`, actual: r?.resolveSeconds === undefined ? (r?.firedAt ? 'still firing' : 'never fired') : `resolved after ${r.resolveSeconds.toFixed(0)} s`, ok: r?.resolveSeconds !== undefined });
    }
    const empty = allPanels().filter((p) => !s.series?.[p.id]?.length);
    checks.push({
      name: PANELS_CHECK,
      expected: `${allPanels().length} panels with series`,
      actual: `${allPanels().length - empty.length} with series`,
      ok: empty.length === 0,
      ...(empty.length ? { details: empty.map((p) => `${p.id}: ${s.panelErrors?.[p.id] ?? 'no series'} (${renderQuery(p.query, { run: ctx.runId })})`) } : {}),
    });
    return checks;
  },
  report(s) {
    return { counts: pipelineCounts(s.traffic?.lines.length ?? 0, s.out), results: s.out?.rows ?? [] };
  },
  record: (s, report) => buildRecord(s, report, { rate: RATE, stepSeconds: STEP_S }),
});
