import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { formatExports, stackEnv } from '../stack/env.ts';
import type { ServiceInfo, StackBackend } from '../stack/backend.ts';
import { stackBackend } from '../stack/index.ts';
import { localOnlyRefusal, profileFromCli, profileServices } from '../stack/profiles.ts';
import { SERVICE_NAMES, type ServiceName } from '../stack/service.ts';
import { readState } from '../stack/state.ts';
import { line, printStackEvent, seconds, UsageError } from './output.ts';
import { runCli } from './run.ts';
import { describeWarmup, warmStartedGateway } from '../stack/flink/warmup.ts';

const USAGE = 'usage: npm run stack -- up [--profile default|realistic] | down | status | env | logs <service> [--lines N] [--backend local|docker] [--clickhouse-image IMAGE]';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { profile: { type: 'string' }, lines: { type: 'string', default: '80' }, backend: { type: 'string', default: process.env.CTR_BACKEND ?? 'local' }, 'clickhouse-image': { type: 'string' } } });
  const [command, arg] = positionals;
  const stack = stackBackend(values.backend, { clickhouseImage: values['clickhouse-image'] });
  switch (command) {
    case 'up': {
      const profile = profileFromCli(values.profile, arg, process.env.npm_config_profile);
      const services = profileServices(profile);
      const refusal = localOnlyRefusal(services, stack.name);
      if (refusal && stack.name !== 'local') throw new UsageError(refusal);
      return cmdUp(stack, services);
    }
    case 'down':
      return cmdDown(stack);
    case 'status':
      return cmdStatus(stack);
    case 'logs':
      return cmdLogs(stack, arg, Number(values.lines));
    case 'env':
      if (stack.name !== 'local') throw new UsageError('`stack env` exports the local backend\'s ports and jar paths for the runbooks\' shell commands; with --backend docker, `stack up` prints the published ports.');
      return cmdEnv();
    default:
      throw new UsageError(command ? `Unknown stack command "${command}": ${USAGE}` : USAGE);
  }
}

async function cmdUp(stack: StackBackend, services: readonly ServiceName[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    line('Interrupted: stopping what this command started...');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    const result = await stack.up({ services, listener: printStackEvent, signal: controller.signal });
    const started = result.services.filter((s) => s.outcome !== 'kept').length;
    line();
    line(started === 0 ? `The stack is already running (${result.services.length} services healthy); nothing started.` : `Stack healthy in ${seconds(result.totalMs)}.`);
    // After the health, not during it: on two cores a warm-up beside the starting JVMs slows them (ADR 0033).
    const warmup = warmStartedGateway(result);
    if (warmup) line(await describeWarmup(warmup, ": a lab's first statement plans warm."));
    printEndpoints(stack, result.services);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

async function cmdDown(stack: StackBackend): Promise<number> {
  const result = await stack.down({ listener: printStackEvent });
  line(result.stopped.length === 0 ? 'No stack is running: nothing to stop.' : `Stopped ${result.stopped.length} services.`);
  return 0;
}

async function cmdStatus(stack: StackBackend): Promise<number> {
  const rows = await stack.status();
  if (rows.every((r) => r.state === 'not started')) {
    line(`No stack is running. Start one with: ${stack.name === 'docker' ? 'npm run stack -- up --backend docker' : 'npm run stack up'}`);
    return 0;
  }
  const table = new Table({ head: ['service', 'state', 'url', 'where', 'rss', 'version', 'health'], style: { head: [], border: [] } });
  for (const r of rows) {
    const rss = r.rssBytes === undefined ? '' : `${Math.round(r.rssBytes / 1024 / 1024)} MiB`;
    table.push([r.name, r.state, r.info?.url ?? '', r.info?.where ?? '', rss, r.health?.version ?? r.info?.version ?? '', r.health?.detail ?? '']);
  }
  line(table.toString());
  for (const r of rows.filter((row) => row.logTail)) {
    line(`\n--- ${r.name} is ${r.state}; last lines of its log (npm run stack logs ${r.name}) ---\n${r.logTail}`);
  }
  const sick = rows.filter((r) => r.state === 'dead' || r.state === 'unhealthy');
  if (sick.length > 0) line(`\n${sick.map((r) => r.name).join(', ')} not healthy: run \`${stack.name === 'docker' ? 'npm run stack -- up --backend docker' : 'npm run stack up'}\` to repair.`);
  return sick.length > 0 ? 1 : 0;
}

async function cmdLogs(stack: StackBackend, service: string | undefined, lines: number): Promise<number> {
  if (!service || !SERVICE_NAMES.includes(service as ServiceName)) {
    throw new UsageError(`Name a service: npm run stack -- logs <${SERVICE_NAMES.join('|')}>`);
  }
  line(await stack.logs(service as ServiceName, Number.isFinite(lines) && lines > 0 ? lines : 80));
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

function printEndpoints(stack: StackBackend, services: readonly ServiceInfo[]): void {
  for (const name of SERVICE_NAMES) {
    const s = services.find((x) => x.name === name);
    if (s) line(`  ${name.padEnd(18)} ${s.url.padEnd(24)} ${s.where}`);
  }
  const bootstrap = stack.endpoints().kafkaBootstrap;
  if (bootstrap?.includes(',')) line(`  kafka bootstrap    ${bootstrap}   (every broker: a client given this list survives one broker's stop)`);
  if (stack.name === 'docker') {
    line(`  internal (between containers): Kafka ${stack.endpoints().internal.kafka}`);
    line('Containers and ports are in .stack/docker-state.json; stop with: npm run stack -- down --backend docker');
  } else {
    line('Ports and pids are in .stack/state.json; stop with: npm run stack down');
  }
}

runCli(main);

