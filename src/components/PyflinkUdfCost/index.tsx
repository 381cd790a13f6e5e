import type { ReactNode } from 'react';
import { Fig } from '@site/src/components/ResultFigures';
import { resultsFile } from '@site/src/components/ResultFigures/results';
import type { UdfCostRecord } from '@site/src/results/pyflink-udf-cost';

/**
 * The PyFlink job's drain rate with and without its Python UDF, as recorded by
 * `npm run bench:pyflink-udf -- --record` (static/results/pyflink-udf-cost.json). Nothing typed by hand.
 */
export default function PyflinkUdfCost(): ReactNode {
  const rec = resultsFile('pyflink-udf-cost') as UdfCostRecord | undefined;
  if (!rec) return <p><em>static/results/pyflink-udf-cost.json is not recorded yet: run <code>npm run bench:pyflink-udf -- --record</code>.</em></p>;
  const m = rec.machine;
  return (
    <div>
      <p>
        Recorded {rec.recordedAt.slice(0, 10)} with <code>{rec.command}</code> on {m.cores} cores, {m.memoryGiB} GiB, {m.cpuModel}, Node {m.node}; Flink {rec.versions.flink}, PyFlink {rec.versions.pyflink},
        Python {rec.versions.python}. {rec.events.toLocaleString('en-US')} events per run, parallelism {rec.parallelism}, {rec.delivery}, checkpointing {rec.checkpointing}. Load average (1 min) when recorded:{' '}
        {m.loadAverage1m} on {m.cores} cores{m.loadAverage1m > m.cores ? <>: <strong>the machine was shared and busy</strong>, so read the ratio, measured in interleaved rounds, rather than the absolute rates</> : ''}.
      </p>
      <table>
        <thead>
          <tr>
            <th>round</th>
            <th>job</th>
            <th>click cost computed</th>
            <th>job duration (with start-up)</th>
            <th>processing (all tasks running to finished)</th>
            <th>drain rate (events / processing)</th>
            <th>TaskManager CPU per million events (its Python worker included)</th>
            <th>of which the Python worker</th>
            <th>rows equal the oracle</th>
            <th>load (1 min)</th>
          </tr>
        </thead>
        <tbody>
          {rec.rounds.map((r) => (
            <tr key={`${r.round}-${r.version}`}>
              <td>{r.round}</td>
              <td>{r.version}</td>
              <td>{r.pythonUdf ? 'Python UDF (TaskManager\'s Python worker)' : 'Table API expression (JVM)'}</td>
              <td>{(r.jobMs / 1000).toFixed(1)} s</td>
              <td>{(r.processingMs / 1000).toFixed(1)} s</td>
              <td>{r.eventsPerSecond.toLocaleString('en-US')} events/s</td>
              <td>{r.taskmanagerCpuSPerMillion} s</td>
              <td>{r.pythonWorkerCpuSPerMillion} s</td>
              <td>{r.rowsEqualOracle ? 'yes' : 'no'}</td>
              <td>{r.loadAverage1m}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        The Python UDF's cost in CPU: the TaskManager used <Fig file="pyflink-udf-cost" path="summary.v1CpuSPerMillion" unit="s" /> of CPU per million events with v1 and{' '}
        <Fig file="pyflink-udf-cost" path="summary.v2CpuSPerMillion" unit="s" /> with v2 (medians), so crossing into Python and back costs{' '}
        <Fig file="pyflink-udf-cost" path="summary.udfCpuSPerMillion" unit="CPU s per million events" />. Median drain rate: v1{' '}
        <Fig file="pyflink-udf-cost" path="summary.v1EventsPerSecond" unit="events/s" />, v2 <Fig file="pyflink-udf-cost" path="summary.v2EventsPerSecond" unit="events/s" /> (v2's over
        v1's: <Fig file="pyflink-udf-cost" path="summary.v2OverV1" />); on a shared machine the rates move with what else runs, the CPU figures much less.
      </p>
    </div>
  );
}
