/**
 * Benchmark: warm `stack up` to all-healthy, N times, and each service's resident memory.
 *   npm run bench:stack -- [--runs 3] [--record]
 * Refuses to run while a stack is up (it would measure nothing); --record writes
 * static/results/stack-start.json for the site.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { describeMachine, machineInfo } from '../bench/machine.ts';
import { median } from '../bench/stats.ts';
import { StackError } from '../stack/errors.ts';
import type { StackStartRecord, StackStartRun } from '../results/stack-start.ts';
import { stackBackend } from '../stack/index.ts';
import { repoRoot } from '../stack/paths.ts';
import type { ServiceName } from '../stack/service.ts';
import { line, seconds, UsageError } from './output.ts';
import { runCli } from './run.ts';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '3' }, record: { type: 'boolean', default: false }, backend: { type: 'string', default: process.env.CTR_BACKEND ?? 'local' } } });
  const stack = stackBackend(values.backend);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new UsageError('--runs takes a whole number from 1 to 20.');
  if ((await stack.status()).some((r) => r.state !== 'not started')) throw new StackError('A stack is running: stop it first (npm run stack down) so the benchmark measures a full start.');

  const figures: StackStartRun[] = [];
  const versions: Record<string, string> = {};
  for (let i = 1; i <= runs; i++) {
    const result = await stack.up();
    const rows = await stack.status();
    const run: StackStartRun = { totalMs: result.totalMs, perServiceMs: {}, rssMiB: {} };
    for (const s of result.services) run.perServiceMs[s.name] = s.ms;
    for (const r of rows) {
      if (r.rssBytes !== undefined) run.rssMiB[r.name] = Math.round(r.rssBytes / 1024 / 1024);
      if (r.health?.version) versions[r.name] = r.health.version;
    }
    figures.push(run);
    line(`run ${i}/${runs}: all healthy in ${seconds(result.totalMs)}`);
    await stack.down();
  }

  const names = Object.keys(figures[0]?.perServiceMs ?? {}) as ServiceName[];
  const table = new Table({ head: ['service', 'start (median)', 'rss after start (median)', 'version'], style: { head: [], border: [] } });
  for (const n of names) {
    table.push([n, seconds(median(figures.map((f) => f.perServiceMs[n] ?? 0))), `${median(figures.map((f) => f.rssMiB[n] ?? 0))} MiB`, versions[n] ?? '']);
  }
  const totals = figures.map((f) => f.totalMs);
  line(table.toString());
  line(`warm stack up to all healthy: median ${seconds(median(totals))}, min ${seconds(Math.min(...totals))}, max ${seconds(Math.max(...totals))} over ${runs} run(s)`);
  line(`machine: ${describeMachine()}`);

  if (values.record) {
    const out = join(repoRoot, 'static', 'results', 'stack-start.json');
    mkdirSync(join(repoRoot, 'static', 'results'), { recursive: true });
    const record: StackStartRecord = { recordedAt: new Date().toISOString(), command: 'npm run bench:stack -- --record', machine: machineInfo(), versions, runs: figures, warm_start_median_ms: Math.round(median(totals)) };
    writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
    line(`recorded ${out}`);
  }
  return 0;
}


runCli(main);
