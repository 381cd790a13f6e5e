import type { ReactNode } from 'react';
import { resultsFile } from '@site/src/components/ResultFigures/results';
import type { KafkaEngineRecord } from '@site/src/results/kafka-engine-latency';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * ClickHouse's Kafka engine: time from a burst's acknowledgement to all its rows visible, per row
 * format, flush interval and block size, as recorded by `npm run bench:kafka-engine -- --record`
 * (static/results/kafka-engine-latency.json). Nothing typed by hand.
 */
export default function KafkaEngineLatency(): ReactNode {
  const rec = resultsFile('kafka-engine-latency') as KafkaEngineRecord | undefined;
  if (!rec) return <p><em>static/results/kafka-engine-latency.json is not recorded yet: run <code>npm run bench:kafka-engine -- --record</code>.</em></p>;
  const m = rec.machine;
  return (
    <div>
      <p>
        Recorded {rec.recordedAt.slice(0, 10)} with <code>{rec.command}</code> on {m.cores} cores, {m.memoryGiB} GiB, {m.cpuModel} (load average {m.loadAverage1m}); ClickHouse{' '}
        {rec.versions.clickhouse}, Kafka {rec.versions.kafka}. Each case: a server of its own, {rec.burstRows} rows sent as one burst every {rec.everyMs / 1000} s (a window's results), the time
        from the producer's acknowledgement until all of them are visible, polled every 20 ms.
      </p>
      <table>
        <thead>
          <tr>
            <th>format</th>
            <th>stream_flush_interval_ms</th>
            <th>kafka_max_block_size</th>
            <th>visible after, burst by burst</th>
            <th>median</th>
            <th>worst</th>
            <th>a read that finds nothing lasts</th>
          </tr>
        </thead>
        <tbody>
          {rec.cases.map((c) => (
            <tr key={`${c.format}-${c.streamFlushIntervalMs}-${c.maxBlockSize ?? 'default'}`}>
              <td>{c.format}</td>
              <td>{c.streamFlushIntervalMs} ms</td>
              <td>{c.maxBlockSize ?? 'default (65,536)'}</td>
              <td>{c.visibleMs.map(s).join(', ')}</td>
              <td>{s(c.p50Ms)}</td>
              <td>{s(c.maxMs)}</td>
              <td>{c.idleReadMs} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
