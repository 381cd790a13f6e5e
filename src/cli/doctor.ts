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
  line(failed.length === 0 ? 'Ready: `npm run stack up` or `npm run lab phase-0`.' : `${failed.length} check(s) failed: fix them as each line says, then run \`npm run doctor\` again.`);
  return failed.length === 0 ? 0 : 1;
}

runCli(main);
