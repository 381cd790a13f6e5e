import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { readState } from '../stack/state.ts';
import { SERVICE_NAMES, type ServiceName } from '../stack/service.ts';
import { down, status, up } from '../stack/stack.ts';
import { formatExports, stackEnv } from '../stack/env.ts';
import { tailFile } from '../stack/process.ts';
import { line, printStackEvent, seconds, UsageError } from './output.ts';
import { runCli } from './run.ts';

const USAGE = 'usage: npm run stack -- up | down | status | env | logs <service> [--lines N]';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { lines: { type: 'string', default: '80' } } });
  const [command, arg] = positionals;
  switch (command) {
    case 'up':
      return cmdUp();
    case 'down':
      return cmdDown();
    case 'status':
      return cmdStatus();
    case 'logs':
      return cmdLogs(arg, Number(values.lines));
    case 'env':
      return cmdEnv();
    default:
      throw new UsageError(command ? `Unknown stack command "${command}": ${USAGE}` : USAGE);
  }
}

async function cmdUp(): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    line('Interrupted: stopping what this command started...');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    const result = await up({ listener: printStackEvent, signal: controller.signal });
    const started = result.services.filter((s) => s.outcome !== 'kept').length;
    line();
    line(started === 0 ? `The stack is already running (${result.services.length} services healthy); nothing started.` : `Stack healthy in ${seconds(result.totalMs)}.`);
    printEndpoints();
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

async function cmdDown(): Promise<number> {
  const result = await down({ listener: printStackEvent });
  line(result.stopped.length === 0 ? 'No stack is running: nothing to stop.' : `Stopped ${result.stopped.length} services.`);
  return 0;
}

async function cmdStatus(): Promise<number> {
  const rows = await status();
  if (rows.every((r) => r.state === 'not started')) {
    line('No stack is running. Start one with: npm run stack up');
    return 0;
  }
  const table = new Table({ head: ['service', 'state', 'url', 'pid', 'rss', 'version', 'health'], style: { head: [], border: [] } });
  for (const r of rows) {
    const rss = r.rssBytes === undefined ? '' : `${Math.round(r.rssBytes / 1024 / 1024)} MiB`;
    table.push([r.name, r.state, r.record?.url ?? '', String(r.record?.pid ?? ''), rss, r.health?.version ?? r.record?.version ?? '', r.health?.detail ?? '']);
  }
  line(table.toString());
  for (const r of rows.filter((row) => row.logTail)) {
    line(`\n--- ${r.name} is ${r.state}; last lines of ${r.record?.logFile} ---\n${r.logTail}`);
  }
  const sick = rows.filter((r) => r.state === 'dead' || r.state === 'unhealthy');
  if (sick.length > 0) line(`\n${sick.map((r) => r.name).join(', ')} not healthy: run \`npm run stack up\` to repair.`);
  return sick.length > 0 ? 1 : 0;
}

async function cmdLogs(service: string | undefined, lines: number): Promise<number> {
  if (!service || !SERVICE_NAMES.includes(service as ServiceName)) {
    throw new UsageError(`Name a service: npm run stack -- logs <${SERVICE_NAMES.join('|')}>`);
  }
  const rec = readState().services[service as ServiceName];
  if (!rec) {
    line(`${service} is not running (no record in .stack/state.json). Start the stack with: npm run stack up`);
    return 1;
  }
  line(await tailFile(rec.logFile, Number.isFinite(lines) && lines > 0 ? lines : 80));
  return 0;
}

/** Shell exports for runbooks: eval "$(npm run -s stack env)". The hint goes to stderr so eval never runs it. */
async function cmdEnv(): Promise<number> {
  const env = stackEnv(readState());
  if (!env) {
    process.stderr.write('The stack is not running: start it with `npm run stack up`, then run `eval "$(npm run -s stack env)"` again.\n');
    return 1;
  }
  line(formatExports(env));
  return 0;
}

function printEndpoints(): void {
  const services = readState().services;
  for (const name of SERVICE_NAMES) {
    const rec = services[name];
    if (rec) line(`  ${name.padEnd(18)} ${rec.url.padEnd(24)} pid ${rec.pid}`);
  }
  line('Ports and pids are in .stack/state.json; stop with: npm run stack down');
}

runCli(main);

