import type { ReactNode } from 'react';
import { resultsFile } from '@site/src/components/ResultFigures/results';
import { CpuReferenceNote } from '@site/src/components/CpuReferenceNote';
import type { LabTimesRecord } from '@site/src/results/lab-times';

const secs = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** The step that submits the pipeline: where a cold SQL Gateway shows. */
function submitStep(times: Record<string, number>): string | undefined {
  return Object.keys(times).find((id) => id === 'submit' || id.includes('submit'));
}

function Recorded({ rec }: { rec: LabTimesRecord }): ReactNode {
  return (
    <p>
      Recorded {rec.recordedAt.slice(0, 10)} with <code>{rec.command}</code> on {rec.machine.cores} cores, {rec.machine.memoryGiB} GiB, {rec.machine.cpuModel}, Node {rec.machine.node}
      ; 1-minute load average at the end {rec.machine.loadAverage1m} (each run's is in the table)
      <CpuReferenceNote cpu={rec.machine.cpuReference} />; versions{' '}
      {Object.entries(rec.versions)
        .map(([s, v]) => `${s} ${v}`)
        .join(', ')}
      .
    </p>
  );
}

function LabTable({ rec }: { rec: LabTimesRecord }): ReactNode {
  return (
    <table>
      <thead>
        <tr>
          <th>lab</th>
          <th>form</th>
          <th>wall time, stack start and stop included (median)</th>
          <th>of which the stack step</th>
          <th>slowest other step (median)</th>
          <th>first submission, then the second on the same stack</th>
          <th>load 1m per run</th>
        </tr>
      </thead>
      <tbody>
        {rec.labs.map((e) => {
          const [slowId, slowMs] = Object.entries(e.steps_median_ms)
            .filter(([id]) => id !== 'stack')
            .sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
          const submit = e.firstVsSecond ? submitStep(e.firstVsSecond.first) : undefined;
          return (
            <tr key={`${e.lab}-${e.form}`}>
              <td>
                <code>{e.lab}</code>
              </td>
              <td>{e.form === 'short' ? '--short' : 'as typed'}</td>
              <td>
                <strong>{secs(e.wall_median_ms)}</strong>
              </td>
              <td>{secs(e.steps_median_ms.stack)}</td>
              <td>{slowId ? `${e.stepTitles[slowId] ?? slowId}: ${secs(slowMs)}` : '-'}</td>
              <td>{submit && e.firstVsSecond ? `${secs(e.firstVsSecond.first[submit])} then ${secs(e.firstVsSecond.second[submit])}` : '-'}</td>
              <td>{e.runs.map((r) => r.loadAverage1m).join(' / ')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * Each lab's wall time as `npm run bench:labs -- [--full] --record` recorded it:
 * static/results/lab-times.json (the short forms CI runs) and lab-times-full.json (as typed).
 * Nothing typed by hand; a file not recorded yet says so.
 */
export default function LabTimes(): ReactNode {
  const short = resultsFile('lab-times') as LabTimesRecord | undefined;
  const full = resultsFile('lab-times-full') as LabTimesRecord | undefined;
  if (!short && !full) return <p><em>static/results/lab-times.json is not recorded yet: npm run bench:labs -- --record.</em></p>;
  return (
    <div>
      {full ? (
        <>
          <h4>As a learner types them</h4>
          <Recorded rec={full} />
          <LabTable rec={full} />
        </>
      ) : null}
      {short ? (
        <>
          <h4>Short forms (what CI runs)</h4>
          <Recorded rec={short} />
          <LabTable rec={short} />
        </>
      ) : null}
    </div>
  );
}
