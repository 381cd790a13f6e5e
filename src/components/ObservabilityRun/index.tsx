/**
 * The recorded observability run (static/results/phase-5-observability.json, written by
 * `npm run lab phase-5-observability -- --record`): each fault with its alert's times, the alert
 * state changes, the metrics beside the oracle's counts, and every dashboard panel's series over
 * the run, drawn by the live page's own components. Nothing typed: a run not recorded yet says so.
 */
import type { ReactNode } from 'react';
import { resultsFile } from '@site/src/components/ResultFigures/results';
import { DASHBOARD_ROWS } from '../../observability/panels';
import type { ObservabilityRecord } from '../../results/observability';
import type { Marker } from '../LiveDashboard/PanelChart';
import Rows from '../LiveDashboard/Rows';

const FILE = 'phase-5-observability';
const secs = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(0)} s`);
const clock = (rec: ObservabilityRecord, t: number) => `+${Math.round((t - rec.window.start) / 1000)} s`;

/** The run's setup, faults and counts as tables (`part="summary"`), or its charts (`part="charts"`). */
export default function ObservabilityRun({ part = 'summary' }: { part?: 'summary' | 'charts' }): ReactNode {
  const rec = resultsFile(FILE) as ObservabilityRecord | undefined;
  if (!rec) {
    return (
      <p data-observability-run="missing">
        <em>Not recorded yet</em>: <code>npm run lab phase-5-observability -- --record</code> writes it.
      </p>
    );
  }
  if (part === 'charts') {
    const markers: Marker[] = rec.faults.flatMap((f) => (f.skipped ? [] : [{ t: f.startedAt / 1000, label: `${f.id} starts` }, ...(f.fixedAt ? [{ t: f.fixedAt / 1000, label: 'fixed' }] : [])]));
    return (
      <div data-observability-run="charts">
        <Rows rows={DASHBOARD_ROWS} series={rec.series} markers={markers} />
      </div>
    );
  }
  const m = rec.machine;
  const versions = Object.entries(rec.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    <div data-observability-run="summary">
      <p>
        Recorded {rec.recordedAt.slice(0, 10)} with <code>{rec.command}</code> ({rec.form} form, {rec.passed ? 'every check passed' : 'some checks failed'}, {rec.durationSeconds} s) on the {rec.backend} backend: {m.cores} cores, {m.memoryGiB} GiB,{' '}
        {m.cpuModel}, Node {m.node}; {versions}; Prometheus {rec.prometheus.version} ({rec.prometheus.targetsUp} of {rec.prometheus.targets} targets up, {rec.prometheus.series.toLocaleString('en-US')} series). The pipeline: {rec.setup.linesPerSecond} lines/s,{' '}
        {rec.setup.delivery}, checkpoints {rec.setup.checkpointing}, parallelism {rec.setup.parallelism}. 1-minute load average {m.loadAverage1m} when it ended: the machine was shared, so the alert times include waiting for CPU.
      </p>
      <table data-observability-table="faults">
        <thead>
          <tr>
            <th>fault</th>
            <th>alert</th>
            <th>fired after</th>
            <th>bound</th>
            <th>resolved after the fix</th>
            <th>bound</th>
          </tr>
        </thead>
        <tbody>
          {rec.faults.map((f) => (
            <tr key={f.id}>
              <td>{f.title}</td>
              <td>
                <code>{f.alert}</code>
              </td>
              <td>{f.skipped ? `not run: ${f.skipped}` : secs(f.fireSeconds)}</td>
              <td>{f.fireWithinS} s</td>
              <td>{f.skipped ? '—' : secs(f.resolveSeconds)}</td>
              <td>{f.resolveWithinS} s</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Every alert state change Prometheus recorded during the run (the ALERTS series, at {rec.window.stepSeconds} s resolution; time since the start of the charts):</p>
      <table data-observability-table="alert-changes">
        <thead>
          <tr>
            <th>when</th>
            <th>alert</th>
            <th>state</th>
          </tr>
        </thead>
        <tbody>
          {rec.alertChanges.map((c) => (
            <tr key={`${c.t}-${c.alertname}`}>
              <td>{clock(rec, c.t * 1000)}</td>
              <td>
                <code>{c.alertname}</code>
              </td>
              <td>{c.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>The metrics against the oracle, which counted the same lines without Flink:</p>
      <table data-observability-table="counts">
        <thead>
          <tr>
            <th>count</th>
            <th>oracle</th>
            <th>Prometheus</th>
            <th>equal</th>
          </tr>
        </thead>
        <tbody>
          {rec.counts.map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td>{c.oracle}</td>
              <td>{c.prometheus}</td>
              <td>{c.ok ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
