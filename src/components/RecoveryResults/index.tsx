import type { ReactNode } from 'react';
import { resultsFile } from '@site/src/components/ResultFigures/results';
import { Setup } from '@site/src/components/ResultFigures';
import type { RecoveryDrillRecord, RecoveryRecord } from '@site/src/results/recovery';
import recorded from '@site/static/results/phase-3-recovery.json';

/** The local run's file is always there; the docker run's (phase-3-recovery-docker.json) may not be recorded yet. */
const files: Record<'local' | 'docker', RecoveryRecord | undefined> = {
  local: recorded as RecoveryRecord,
  docker: resultsFile('phase-3-recovery-docker') as RecoveryRecord | undefined,
};
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

function verdictCell(d: RecoveryDrillRecord): ReactNode {
  if (d.skipped) return <em>skipped on this backend: {d.skipped}</em>;
  return (
    <>
      <strong>{d.passed ? 'pass' : 'FAIL'}</strong>: {d.verdict}
    </>
  );
}

/**
 * The recovery drills as recorded by `npm run lab phase-3-recovery -- [--backend docker] --record`:
 * nothing typed by hand. `timelineOf` (a drill's number or id) shows that drill's timeline.
 */
export default function RecoveryResults({ timelineOf, backend = 'local' }: { timelineOf?: number | string; backend?: 'local' | 'docker' }): ReactNode {
  const data = files[backend];
  if (!data) {
    return (
      <p data-results-backend={backend}>
        <em>
          static/results/phase-3-recovery-{backend}.json is not recorded yet: run <code>npm run lab phase-3-recovery -- --backend {backend} --record</code>.
        </em>
      </p>
    );
  }
  const shown = data.drills.find((d) => d.number === timelineOf || d.id === timelineOf);
  if (timelineOf !== undefined && !shown) throw new Error(`phase-3-recovery (${backend}) has no drill ${timelineOf}`);
  if (shown) {
    const file = backend === 'docker' ? 'phase-3-recovery-docker' : 'phase-3-recovery';
    return (
      <div data-figure={file}>
      <Setup file={file} path={`drills[id=${shown.id}]`} />
      <table data-results-backend={backend}>
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
      </div>
    );
  }
  const file = backend === 'docker' ? 'phase-3-recovery-docker' : 'phase-3-recovery';
  return (
    <div data-results-backend={backend} data-figure={file}>
      <Setup file={file} path="drills[id=taskmanager]" title="Every drill but the control:" />
      <Setup file={file} path="drills[id=control]" title="The control (drill 7):" />
      <p>
        On the <strong>{data.backend ?? 'local'}</strong> backend: recorded {data.recordedAt.slice(0, 10)} with <code>{data.command}</code> ({data.form} form, {data.durationSeconds} s,{' '}
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
            <th>broken part back (fault held)</th>
            <th>tasks RUNNING again</th>
            <th>ClickHouse caught up</th>
            <th>producer waited</th>
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
                {d.only_on ? ` (${d.only_on} only)` : ''}
              </td>
              <td>{d.fault_after_lines ?? '-'} of {d.lines ?? '-'} lines</td>
              <td>
                {s(d.restored_seconds)}
                {d.held_seconds === undefined ? '' : ` (${s(d.held_seconds)})`}
              </td>
              <td>{s(d.recovery_seconds)}</td>
              <td>{s(d.catch_up_seconds)}</td>
              <td>{s(d.producer_stall_seconds)}</td>
              <td>
                {d.expected_rows ?? '-'} / {d.actual_rows ?? '-'} / {d.raw_rows ?? '-'}
              </td>
              <td>{sideCell(d.side)}</td>
              <td>{verdictCell(d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Times are seconds after the fault; "producer waited" is the longest wait for an acknowledgement after it. The goal for drill 1 is under{' '}
        {data.goal.taskmanager_recovery_seconds} s until every task runs again. The control passes when the checks detect its damage.
      </p>
    </div>
  );
}
