/**
 * The live alert tests' times (static/results/alerts.json, written by `npm run bench:alerts --
 * --record`: each fault caused on a running stack, its alert timed through Prometheus' HTTP API).
 * Rendered as recorded; a file not recorded yet says so.
 */
import type { ReactNode } from 'react';
import { resultsFile } from '@site/src/components/ResultFigures/results';
import type { AlertsRecord } from '../../results/alerts';

const secs = (x: number | null) => (x === null ? 'never' : `${x.toFixed(0)} s`);

export default function AlertTests(): ReactNode {
  const rec = resultsFile('alerts') as AlertsRecord | undefined;
  if (!rec) {
    return (
      <p data-alert-tests="missing">
        <em>Not recorded yet</em>: <code>npm run bench:alerts -- --record</code> writes <code>static/results/alerts.json</code>.
      </p>
    );
  }
  const m = rec.machine;
  return (
    <div data-alert-tests="">
      <table>
        <thead>
          <tr>
            <th>alert</th>
            <th>fault</th>
            <th>pending after</th>
            <th>firing after</th>
            <th>limit</th>
            <th>fix</th>
            <th>resolved after the fix</th>
            <th>limit</th>
            <th>passed</th>
          </tr>
        </thead>
        <tbody>
          {rec.drills.map((d) => (
            <tr key={d.id}>
              <td>
                <code>{d.alert}</code>
              </td>
              <td>{d.fault}</td>
              <td>{secs(d.pendingAfterSeconds)}</td>
              <td>{secs(d.firedAfterSeconds)}</td>
              <td>{d.fireLimitSeconds} s</td>
              <td>{d.fix}</td>
              <td>{secs(d.resolvedAfterSeconds)}</td>
              <td>{d.resolveLimitSeconds} s</td>
              <td>{d.passed ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Recorded {rec.recordedAt.slice(0, 10)} with <code>{rec.command}</code> on {m.cores} cores, {m.memoryGiB} GiB, {m.cpuModel}, Node {m.node} (1-minute load {m.loadAverage1m});{' '}
        {Object.entries(rec.versions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}
        ; scrape every {rec.prometheus.scrapeIntervalSeconds} s, rules evaluated every {rec.prometheus.evaluationIntervalSeconds} s; traffic {rec.stream.eventsPerSecond} events/s, checkpoints {rec.stream.checkpointInterval}.
      </p>
    </div>
  );
}
