import type { ReactNode } from 'react';
import type { RecoveryDrillRecord, RecoveryRecord } from '@site/src/results/recovery';
import recorded from '@site/static/results/phase-3-recovery.json';

const data = recorded as RecoveryRecord;
const s = (x: number | undefined) => (x === undefined || x === null ? '-' : `${x.toFixed(1)} s`);

/** What a read_committed reader counted, and what the aborted transactions would have added. */
function sideCell(side: RecoveryDrillRecord['side']): ReactNode {
  if (!side) return '-';
  return (['dlq', 'duplicates', 'late', 'results'] as const).map((t) => {
    const c = side[t];
    const aborted = c.uncommitted - c.committed;
    return (
      <div key={t}>
        {t} {c.committed}/{c.expected}
        {aborted > 0 ? ` (+${aborted} aborted)` : ''}
      </div>
    );
  });
}

/** The recovery drills as recorded by `npm run lab phase-3-recovery -- --record`: nothing typed by hand. */
export default function RecoveryResults({ timelineOf }: { timelineOf?: number }): ReactNode {
  const shown = data.drills.find((d) => d.number === timelineOf);
  if (shown) {
    return (
      <table>
        <thead>
          <tr>
            <th>since the drill began</th>
            <th>what happened (drill {shown.number}, {shown.name})</th>
          </tr>
        </thead>
        <tbody>
          {(shown.timeline ?? []).map((t, i) => (
            <tr key={i}>
              <td>+{t.seconds.toFixed(1)} s</td>
              <td>
                <code>{t.event}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <div>
      <p>
        Recorded {data.recordedAt.slice(0, 10)} with <code>{data.command}</code> ({data.form} form, {data.durationSeconds} s,{' '}
        {data.passed ? 'every check passed' : 'some checks failed'}) on {data.machine.cores} cores, {data.machine.memoryGiB} GiB, {data.machine.cpuModel}, Node{' '}
        {data.machine.node}
        {data.machine.loadAverage1m === undefined ? '' : ` (load average ${data.machine.loadAverage1m} at the end)`}; {Object.entries(data.versions).map(([k, v]) => `${k} ${v}`).join(', ')}. Stream: {data.stream.events_per_second} events/s over{' '}
        {data.stream.partitions} partitions, checkpoints every {data.stream.checkpoint_interval} ({data.stream.state_backend}).
      </p>
      <table>
        <thead>
          <tr>
            <th>drill</th>
            <th>fault after</th>
            <th>broken part back</th>
            <th>tasks RUNNING again</th>
            <th>ClickHouse caught up</th>
            <th>rows: oracle / FINAL / ingested</th>
            <th>side topics (read_committed / oracle)</th>
            <th>verdict</th>
          </tr>
        </thead>
        <tbody>
          {data.drills.map((d) => (
            <tr key={d.id}>
              <td>
                {d.number}. {d.name}
              </td>
              <td>{d.fault_after_lines ?? '-'} of {d.lines ?? '-'} lines</td>
              <td>{s(d.restored_seconds)}</td>
              <td>{s(d.recovery_seconds)}</td>
              <td>{s(d.catch_up_seconds)}</td>
              <td>
                {d.expected_rows ?? '-'} / {d.actual_rows ?? '-'} / {d.raw_rows ?? '-'}
              </td>
              <td>{sideCell(d.side)}</td>
              <td>
                <strong>{d.passed ? 'pass' : 'FAIL'}</strong>: {d.verdict}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Times are seconds after the fault. The goal for drill 1 is under {data.goal.taskmanager_recovery_seconds} s until every task runs again. Drill 5 passes
        when the checks detect its damage.
      </p>
    </div>
  );
}
