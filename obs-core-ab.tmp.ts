// A/B, interleaved: stack start with and without Prometheus + the pipeline exporter.
import { loadavg } from 'node:os';
import { localBackend } from './src/stack/local/backend.ts';
import type { ServiceName } from './src/stack/service.ts';
const FIVE: ServiceName[] = ['kafka', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager', 'sql-gateway'];
const rows: string[] = [];
await localBackend.down();
for (let i = 0; i < 4; i++) {
  for (const [label, services] of (i % 2 === 0 ? [['all', undefined], ['five', FIVE]] : [['five', FIVE], ['all', undefined]]) as [string, ServiceName[] | undefined][]) {
    const load = loadavg()[0]!.toFixed(2);
    const r = await localBackend.up({ services });
    rows.push(`${i}\t${label}\t${(r.totalMs / 1000).toFixed(2)}\t${load}\t${r.services.map((s) => `${s.name}:${(s.ms / 1000).toFixed(1)}`).join(' ')}`);
    console.log(rows.at(-1));
    await localBackend.down();
  }
}
