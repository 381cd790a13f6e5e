import type { ReactNode } from 'react';
import recorded from '@site/static/results/stack-start.json';
import { median } from '@site/src/bench/stats';
import { resultsFile } from '@site/src/components/ResultFigures/results';
import { CpuReferenceNote } from '@site/src/components/CpuReferenceNote';
import { type StackStartRecord, totalCpuSeconds } from '@site/src/results/stack-start';

const local = recorded as StackStartRecord;
const secs = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const cpu = (s: number | undefined) => (s === undefined ? '-' : `${s.toFixed(1)} s`);
const busy = (rec: StackStartRecord | undefined) => {
  const share = rec ? med(rec, (r) => r.machineBusy) : undefined;
  return share === undefined ? '' : ` (the machine ${Math.round(share * 100)} % busy)`;
};
const med = (rec: StackStartRecord, pick: (r: StackStartRecord['runs'][number]) => number | undefined) => {
  const xs = rec.runs.map(pick).filter((x): x is number => x !== undefined);
  return xs.length ? median(xs) : undefined;
};

function RecordedWith({ rec, name }: { rec: StackStartRecord; name: string }): ReactNode {
  return (
    <li>
      <strong>{name}</strong>: recorded {rec.recordedAt.slice(0, 10)} with <code>{rec.command}</code> on {rec.machine.cores} cores, {rec.machine.memoryGiB} GiB, {rec.machine.cpuModel}, Node{' '}
      {rec.machine.node}
      {rec.engine ? `, ${rec.engine}` : ''}
      {rec.machine.loadAverage1m !== undefined ? `, 1-minute load average ${rec.runs.map((r) => r.loadAverage1m ?? '?').join(' / ')} at the runs' starts` : ''}
      <CpuReferenceNote cpu={rec.machine.cpuReference} />
      {rec.cds ? `, class-data sharing ${rec.cds}` : ''}
      {rec.jvmStartupFlags ? `, JVM start-up flags ${Object.entries(rec.jvmStartupFlags).map(([s, f]) => `${s}: ${f.length ? f.join(' ') : 'none'}`).join('; ')}` : ''}
      {med(rec, (r) => r.warmupMs) !== undefined ? `, then the SQL planner's warm-up ${secs(med(rec, (r) => r.warmupMs))} (median), not part of the start's figure` : ''}; {rec.runs.length} warm run{rec.runs.length === 1 ? '' : 's'}
      {rec.cold ? ' after one cold run' : ', no cold run'}.{rec.cold ? ` Cold: ${rec.cold.what}.` : ''}
    </li>
  );
}

/**
 * `stack up` on both backends as recorded by `npm run bench:stack -- [--backend docker] --record`:
 * static/results/stack-start.json (local) and stack-start-docker.json. Nothing typed by hand.
 */
export default function StackStartResults(): ReactNode {
  const docker = resultsFile('stack-start-docker') as StackStartRecord | undefined;
  const services = Object.keys(local.runs[0]?.perServiceMs ?? {});
  const version = (s: string) => {
    // Not [...new Set()]: the site's browser build does not spread a Set (it rendered "[object Set]").
    const both = [local.versions[s], docker?.versions[s]].filter((v, i, all): v is string => Boolean(v) && all.indexOf(v) === i);
    return both.join(' / ');
  };
  return (
    <div data-figure="stack-start">
      <ul data-setup="stack start, no job: the machine, the versions and the runs of each backend below" data-setup-delivery="">
        <RecordedWith rec={local} name="Local processes" />
        {docker ? (
          <RecordedWith rec={docker} name="Docker" />
        ) : (
          <li>
            <strong>Docker</strong>: <em>static/results/stack-start-docker.json is not recorded yet.</em>
          </li>
        )}
      </ul>
      <table>
        <thead>
          <tr>
            <th rowSpan={2}>service</th>
            <th rowSpan={2}>version</th>
            <th colSpan={4}>local processes</th>
            <th colSpan={4}>docker</th>
          </tr>
          <tr>
            <th>cold start</th>
            <th>warm start (median)</th>
            <th>CPU to healthy (median)</th>
            <th>memory after start (median)</th>
            <th>cold start</th>
            <th>warm start (median)</th>
            <th>CPU to healthy (median)</th>
            <th>memory after start (median)</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <strong>all healthy</strong>
            </td>
            <td />
            <td>{secs(local.cold?.totalMs)}</td>
            <td>
              <strong>{secs(local.warm_start_median_ms)}</strong>
            </td>
            <td>
              {cpu(med(local, totalCpuSeconds))}
              {busy(local)}
            </td>
            <td />
            <td>
              {secs(docker?.cold?.totalMs)}
              {docker?.cold?.imagesMs !== undefined ? ` (images built: ${secs(docker.cold.imagesMs)})` : ''}
            </td>
            <td>
              <strong>{secs(docker?.warm_start_median_ms)}</strong>
            </td>
            <td>
              {docker ? cpu(med(docker, totalCpuSeconds)) : '-'}
              {busy(docker)}
            </td>
            <td />
          </tr>
          {services.map((s) => (
            <tr key={s}>
              <td>
                <code>{s}</code>
              </td>
              <td>{version(s)}</td>
              <td>{secs(local.cold?.perServiceMs[s])}</td>
              <td>{secs(med(local, (r) => r.perServiceMs[s]))}</td>
              <td>{cpu(med(local, (r) => r.cpuSeconds?.[s]))}</td>
              <td>{med(local, (r) => r.rssMiB[s]) ?? '-'} MiB</td>
              <td>{secs(docker?.cold?.perServiceMs[s])}</td>
              <td>{docker ? secs(med(docker, (r) => r.perServiceMs[s])) : '-'}</td>
              <td>{docker ? cpu(med(docker, (r) => r.cpuSeconds?.[s])) : '-'}</td>
              <td>{docker ? `${med(docker, (r) => r.rssMiB[s]) ?? '-'} MiB` : '-'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        A service's start is from when it was launched to its health check answering (services start in parallel where they can, so they do not add up to the
        total). CPU is the processor time each service had used when all were healthy: on 2 cores a start that keeps the machine busy cannot be shorter
        than its CPU seconds over two. Memory is the resident set of the process (local) or the container's memory less its page cache, as the engine reports it (docker). A dash:
        not measured.
      </p>
    </div>
  );
}
