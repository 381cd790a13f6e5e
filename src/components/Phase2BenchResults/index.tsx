import type { ReactNode } from 'react';
import type { Phase2BenchRecord } from '@site/src/bench/phase2-record';
import { resultsFile } from '@site/src/components/ResultFigures/results';

/**
 * The phase-2 benchmark's recorded run (static/results/phase-2-bench.json, written by
 * `npm run lab phase-2-bench -- --record`): the Kotlin job and phase 1's SQL at equal semantics.
 * Every figure comes from that file; without it the page says it is not recorded yet.
 */
const n = (x: number) => Math.round(x).toLocaleString('en-US');

export default function Phase2BenchResults(): ReactNode {
  const data = resultsFile('phase-2-bench') as Phase2BenchRecord | undefined;
  if (!data) return <p>Not recorded yet: run <code>npm run lab phase-2-bench -- --record</code>.</p>;
  const m = data.machine;
  const s = data.semantics;
  const ratio = data.median_events_per_s.sql > 0 ? data.median_events_per_s.kotlin / data.median_events_per_s.sql : 0;
  return (
    <div>
      <p>
        Recorded {data.recordedAt.slice(0, 16).replace('T', ' ')} UTC with <code>{data.command}</code> ({data.form} form) on {m.cores} cores, {m.memoryGiB} GiB, {m.cpuModel}; load average{' '}
        {m.loadAverage1m_before} before and {m.loadAverage1m_after} after the run (1 min){m.loadAverage1m_before > m.cores ? ': the machine was shared and busy, so these rates are low and noisy; the ratio between the two jobs, measured in alternating rounds, is the figure to read' : ''}.
        Versions: {Object.entries(data.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.
      </p>
      <p>
        Both jobs: parallelism {s.parallelism}, checkpoints every {s.checkpoint_interval_ms / 1000} s on {s.state_backend}, {s.delivery} Kafka sinks, {s.watermarks} watermarks, DLQ with a reason and dedup.
        Input: {n(data.input.lines)} lines ({n(data.input.dlq)} to the DLQ, {n(data.input.duplicates)} duplicates, {n(data.input.late)} late, {n(data.input.windows)} result rows).
      </p>
      <table>
        <thead>
          <tr>
            <th>job</th>
            <th>median drain rate (events/s)</th>
            <th>outputs equal the oracle</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Kotlin DataStream</td>
            <td>{n(data.median_events_per_s.kotlin)}</td>
            <td>{data.equal_to_oracle.kotlin ? 'yes, every run' : 'NO'}</td>
          </tr>
          <tr>
            <td>Flink SQL (phase 1)</td>
            <td>{n(data.median_events_per_s.sql)}</td>
            <td>{data.equal_to_oracle.sql ? 'yes, every run' : 'NO'}</td>
          </tr>
        </tbody>
      </table>
      <p>The Kotlin job drained {ratio.toFixed(1)} times as many events per second as the SQL job.</p>
      <table>
        <thead>
          <tr>
            <th>round</th>
            <th>job</th>
            <th>events/s</th>
            <th>source ran (s)</th>
            <th>TaskManager CPU s per million events</th>
            <th>busiest operator chain (busy ratio)</th>
            <th>machine busy</th>
          </tr>
        </thead>
        <tbody>
          {data.drains.map((d) => (
            <tr key={`${d.round}-${d.job}`}>
              <td>{d.round}</td>
              <td>{d.job}</td>
              <td>{n(d.events_per_s)}</td>
              <td>{(d.ms / 1000).toFixed(1)}</td>
              <td>{d.taskmanager_cpu_s_per_million}</td>
              <td>
                {d.busiest[0] ? (
                  <>
                    <code>{d.busiest[0].vertex}</code> ({d.busiest[0].busy_ratio})
                  </>
                ) : (
                  'not sampled'
                )}
              </td>
              <td>{Math.round(d.machine_busy * 100)} %</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.latency && data.latency.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>job</th>
              <th>input rate (events/s)</th>
              <th>windows</th>
              <th>p50 (ms)</th>
              <th>p95 (ms)</th>
              <th>p99 (ms)</th>
              <th>max (ms)</th>
            </tr>
          </thead>
          <tbody>
            {data.latency.map((l) => (
              <tr key={l.job}>
                <td>{l.job}</td>
                <td>{n(l.events_per_s)}</td>
                <td>{l.windows}</td>
                <td>{n(l.p50)}</td>
                <td>{n(l.p95)}</td>
                <td>{n(l.p99)}</td>
                <td>{n(l.max)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
