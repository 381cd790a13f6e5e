import type { ReactNode } from 'react';
import recorded from '@site/static/results/stack-start.json';
import { median } from '@site/src/bench/stats';
import type { StackStartRecord } from '@site/src/results/stack-start';

const data = recorded as StackStartRecord;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The warm `stack up` benchmark as recorded by `npm run bench:stack -- --record`: nothing typed by hand. */
export default function StackStartResults(): ReactNode {
  const services = Object.keys(data.runs[0]?.perServiceMs ?? {});
  return (
    <div>
      <p>
        Warm <code>npm run stack up</code> to all healthy: median <strong>{secs(data.warm_start_median_ms)}</strong> over {data.runs.length} runs. Recorded{' '}
        {data.recordedAt.slice(0, 10)} with <code>{data.command}</code> on {data.machine.cores} cores, {data.machine.memoryGiB} GiB, {data.machine.cpuModel}, Node {data.machine.node}.
      </p>
      <table>
        <thead>
          <tr>
            <th>service</th>
            <th>version</th>
            <th>start (median)</th>
            <th>resident memory after start (median)</th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s}>
              <td>
                <code>{s}</code>
              </td>
              <td>{data.versions[s] ?? ''}</td>
              <td>{secs(median(data.runs.map((r) => r.perServiceMs[s] ?? 0)))}</td>
              <td>{median(data.runs.map((r) => r.rssMiB[s] ?? 0))} MiB</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
