import type { ReactNode } from 'react';
import { SetupNote } from '@site/src/components/FigureSetup';
import { resultsFile } from '@site/src/components/ResultFigures/results';
import type { Phase5Record } from '@site/src/results/phase-5';
import { setupOf } from '@site/src/results/setup';

/** The alerts that fired, and those that were only pending, during a drill. */
function alertSummary(changes: Phase5Record['drills'][number]['alerts']): string {
  const fired = Array.from(new Set(changes.filter((a) => a.state === 'firing').map((a) => a.alertname)));
  const pending = Array.from(new Set(changes.filter((a) => a.state === 'pending').map((a) => a.alertname))).filter((n) => !fired.includes(n));
  if (fired.length === 0 && pending.length === 0) return 'none fired or pending';
  return [fired.length ? `fired: ${fired.join(', ')}` : '', pending.length ? `pending only: ${pending.join(', ')}` : ''].filter(Boolean).join('; ');
}

/**
 * The phase-5 lab's recorded run (static/results/phase-5.json, `npm run lab phase-5 -- --record`):
 * each run's counts and checks, the drills with what Prometheus showed meanwhile, and the broken
 * clock's two runs side by side. Nothing typed by hand; a run not recorded yet says so.
 */
export default function Phase5Run(): ReactNode {
  const rec = resultsFile('phase-5') as Phase5Record | undefined;
  if (!rec) return <p data-results-missing="true"><em>static/results/phase-5.json is not recorded yet: run <code>npm run lab phase-5 -- --record</code>.</em></p>;
  const m = rec.machine;
  return (
    <div data-phase5-run={rec.form}>
      <p>
        Recorded {rec.recordedAt.slice(0, 10)} with <code>{rec.command}</code> ({rec.form} form, {rec.passed ? 'every check passed' : <strong>some checks failed</strong>}, {rec.durationSeconds} s) on {m.cores} cores, {m.memoryGiB} GiB, {m.cpuModel}; load average (1 min) {m.loadAverage1m}
        {m.loadAverage1m > m.cores ? ' (a shared, busy machine)' : ''}. Versions: {Object.entries(rec.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.
      </p>
      <SetupNote setup={setupOf('phase-5', rec, 'runs')} title="Setup of every figure below" />
      <table>
        <thead>
          <tr>
            <th>run</th>
            <th>lines</th>
            <th>event time</th>
            <th>pace</th>
            <th>future_ts rule</th>
            <th>ClickHouse rows</th>
            <th>Iceberg rows</th>
            <th>DLQ (future_ts)</th>
            <th>duplicates</th>
            <th>late</th>
            <th>checks</th>
          </tr>
        </thead>
        <tbody>
          {rec.runs.map((r) => (
            <tr key={r.id}>
              <td>{r.title}</td>
              <td>{r.lines.toLocaleString('en-US')}</td>
              <td>{r.eventTimeSeconds} s</td>
              <td>{r.speedup}x, replayed in {r.replaySeconds} s</td>
              <td>{r.rule ? 'on' : 'off'}</td>
              <td>{r.counts.clickhouseRows}</td>
              <td>{r.counts.icebergRows}</td>
              <td>{r.counts.dlq} ({r.counts.futureTs})</td>
              <td>{r.counts.duplicates}</td>
              <td>{r.counts.late.toLocaleString('en-US')}</td>
              <td>{r.checks.filter((c) => c.ok && !c.skipped).length} of {r.checks.length} pass{r.checks.some((c) => c.skipped) ? `, ${r.checks.filter((c) => c.skipped).length} skipped` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>The drills, and what Prometheus showed meanwhile</h4>
      <table>
        <thead>
          <tr>
            <th>drill</th>
            <th>service</th>
            <th>fault to back in service</th>
            <th>job restarts</th>
            <th>in-sync copies during / after</th>
            <th>TaskManagers registered (min-max)</th>
            <th>alerts of the run</th>
          </tr>
        </thead>
        <tbody>
          {rec.drills.map((d) => (
            <tr key={d.kind}>
              <td>{d.kind === 'broker' ? 'stop one broker of three' : 'kill -9 the TaskManager running the job'}</td>
              <td>{d.service}</td>
              <td>{d.seconds} s{d.recoveredSeconds === undefined ? '' : ` (every task running again after ${d.recoveredSeconds} s)`}</td>
              <td>{d.restarts}</td>
              <td>{d.isrDuring === undefined ? '-' : `${d.isrDuring} / ${d.isrAfter}`}</td>
              <td>{d.taskManagers ? `${d.taskManagers.min}-${d.taskManagers.max}` : 'not scraped'}</td>
              <td>{alertSummary(d.alerts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>The broken clock: the same burst of {rec.clock.burstEvents} events a year ahead, with the rule on and off</h4>
      <table>
        <thead>
          <tr>
            <th>future_ts rule</th>
            <th>to the DLQ as future_ts</th>
            <th>late events in all</th>
            <th>events arriving 20 s or more after the burst that were late</th>
            <th>windows after the burst in ClickHouse</th>
          </tr>
        </thead>
        <tbody>
          {(['ruleOn', 'ruleOff'] as const).map((k) => {
            const c = rec.clock[k];
            return (
              <tr key={k}>
                <td>{k === 'ruleOn' ? 'on' : 'off'}</td>
                <td>{c ? c.futureTs : 'not run'}</td>
                <td>{c ? c.late.toLocaleString('en-US') : '-'}</td>
                <td>{c ? `${c.lateAfter.toLocaleString('en-US')} of ${c.after.toLocaleString('en-US')}` : '-'}</td>
                <td>{c ? c.windowsAfter : '-'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
