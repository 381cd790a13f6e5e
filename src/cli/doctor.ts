import Table from 'cli-table3';
import { runDoctor } from '../stack/doctor.ts';
import { line } from './output.ts';
import { runCli } from './run.ts';

async function main(): Promise<number> {
  const checks = await runDoctor();
  const table = new Table({ head: ['check', 'verdict', 'detail'], style: { head: [], border: [] } });
  for (const c of checks) table.push([c.name, c.verdict, c.detail]);
  line(table.toString());
  const failed = checks.filter((c) => c.verdict === 'fail');
  const ready = checks.filter((c) => c.name.startsWith('backend ') && c.verdict === 'ok').map((c) => c.name.slice('backend '.length));
  const start = ready.includes('local') ? '`npm run stack up` or `npm run lab phase-0`' : '`npm run stack -- up --backend docker` or `npm run lab phase-0 -- --backend docker`';
  line(failed.length === 0 ? `Ready (backends: ${ready.join(', ')}): ${start}.` : `${failed.length} check(s) failed: fix them as each line says, then run \`npm run doctor\` again.`);
  return failed.length === 0 ? 0 : 1;
}

runCli(main);
