/**
 * Benchmark: how long ClickHouse's Kafka engine takes to make a window's rows visible, per row
 * format, stream_flush_interval_ms and kafka_max_block_size. Each case runs on a ClickHouse server
 * of its own (trace log, its own profile) against the stack's Kafka, with bursts of rows 10 s
 * apart, as a 10 s window's results arrive. ADR 0037 reads the figures.
 *   npm run bench:kafka-engine -- [--bursts 8] [--record]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { describeMachine, machineWithLoad } from '../bench/machine.ts';
import { startPrivateServer } from '../bench/kafka-engine/private-server.ts';
import { probe } from '../bench/kafka-engine/probe.ts';
import type { KafkaEngineCase, KafkaEngineRecord } from '../results/kafka-engine-latency.ts';
import { ensureStack, stackBackend } from '../stack/index.ts';
import { KAFKA_VERSION } from '../stack/kafka/config.ts';
import { repoRoot } from '../stack/paths.ts';
import { line, UsageError } from './output.ts';
import { runCli } from './run.ts';

const BURST_ROWS = 8;
const EVERY_MS = 10_000;

/** The phase-3 throughput lab's setting first (JSON, 500 ms, a block of one window's rows), then one change at a time. */
const CASES: readonly Pick<KafkaEngineCase, 'format' | 'streamFlushIntervalMs' | 'maxBlockSize'>[] = [
  { format: 'JSONEachRow', streamFlushIntervalMs: 500, maxBlockSize: BURST_ROWS },
  { format: 'JSONEachRow', streamFlushIntervalMs: 10, maxBlockSize: BURST_ROWS },
  { format: 'JSONEachRow', streamFlushIntervalMs: 500, maxBlockSize: null },
  { format: 'CSV', streamFlushIntervalMs: 500, maxBlockSize: BURST_ROWS },
  { format: 'TabSeparated', streamFlushIntervalMs: 500, maxBlockSize: BURST_ROWS },
];

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { bursts: { type: 'string', default: '8' }, record: { type: 'boolean', default: false } } });
  const bursts = Number(values.bursts);
  if (!Number.isInteger(bursts) || bursts < 2 || bursts > 60) throw new UsageError(`--bursts takes a whole number from 2 to 60 (got "${values.bursts}").`);
  line(`Kafka engine visibility on ${describeMachine()}: ${CASES.length} cases, ${bursts} bursts of ${BURST_ROWS} rows ${EVERY_MS / 1000} s apart each (about ${Math.ceil((CASES.length * (bursts * EVERY_MS + 10_000)) / 60_000)} min)`);
  const stack = await ensureStack(stackBackend('local'), { services: ['kafka'] });
  const t0 = Date.now();
  const cases: KafkaEngineCase[] = [];
  let clickhouse = 'unknown';
  try {
    for (const [i, c] of CASES.entries()) {
      const server = await startPrivateServer(join(repoRoot, '.stack', 'runs', 'bench-kafka-engine', `case-${i + 1}`), c.streamFlushIntervalMs);
      clickhouse = server.version;
      line(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] case ${i + 1}/${CASES.length}: ${c.format}, stream_flush_interval_ms ${c.streamFlushIntervalMs}, kafka_max_block_size ${c.maxBlockSize ?? 'default'} (trace log: ${server.logFile})`);
      try {
        cases.push(await probe(server, { kafka: stack.endpoints.kafka, format: c.format, maxBlockSize: c.maxBlockSize, burstRows: BURST_ROWS, bursts, everyMs: EVERY_MS, say: line }, c.streamFlushIntervalMs));
      } finally {
        await server.stop();
      }
    }
  } finally {
    await stack.release();
  }
  const table = new Table({ head: ['format', 'flush interval', 'block size', 'visible after, per burst (s)', 'p50', 'max', 'idle read'] });
  const s = (ms: number) => (ms / 1000).toFixed(2);
  for (const c of cases) table.push([c.format, `${c.streamFlushIntervalMs} ms`, c.maxBlockSize ?? 'default', c.visibleMs.map(s).join(' '), s(c.p50Ms), s(c.maxMs), `${c.idleReadMs} ms`]);
  line(table.toString());
  if (values.record) {
    const record: KafkaEngineRecord = {
      recordedAt: new Date().toISOString(),
      command: 'npm run bench:kafka-engine -- --record',
      machine: machineWithLoad(),
      versions: { clickhouse, kafka: KAFKA_VERSION },
      burstRows: BURST_ROWS,
      everyMs: EVERY_MS,
      cases,
    };
    const file = join(repoRoot, 'static', 'results', 'kafka-engine-latency.json');
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
    line(`recorded ${file}`);
  }
  return 0;
}

runCli(main);
