/**
 * Benchmark: `stack up` to all-healthy, N times warm (and once cold with --cold), and each
 * service's resident memory.
 *   npm run bench:stack -- [--backend local|docker] [--profile default|realistic] [--runs 3] [--cold] [--record]
 * Refuses to run while a stack is up (it would measure nothing). --cold (docker backend) first
 * removes the images the project built, so the first start builds them as on a new machine (the
 * base image and the jar cache stay). --record writes static/results/stack-start.json for the
 * local backend and stack-start-docker.json for docker (src/results/files.ts): one never
 * overwrites the other. --profile realistic (local only, ADR 0091) starts the realistic shape and
 * records static/results/stack-start-realistic.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { availableParallelism as cpuCount, loadavg } from 'node:os';
import { cpuReference } from '../bench/cpu-reference.ts';
import { benchMachine, describeMachine } from '../bench/machine.ts';
import { cdsEnabled } from '../stack/cds.ts';
import { warmStartedGateway } from '../stack/flink/warmup.ts';
import { JVM_SERVICES, startupFlags } from '../stack/jvm-flags.ts';
import { busyShare, machineTicks } from '../bench/proc.ts';
import { median } from '../bench/stats.ts';
import { resultsName } from '../results/files.ts';
import { type StackStartRecord, type StackStartRun, totalCpuSeconds } from '../results/stack-start.ts';
import type { StackBackend } from '../stack/backend.ts';
import { docker, engineInfo } from '../stack/docker/engine.ts';
import { removeProjectImages } from '../stack/docker/images.ts';
import { StackError } from '../stack/errors.ts';
import { stackBackend } from '../stack/index.ts';
import { repoRoot } from '../stack/paths.ts';
import { localOnlyRefusal, profileServices } from '../stack/profiles.ts';
import type { ServiceName } from '../stack/service.ts';
import { line, seconds, UsageError } from './output.ts';
import { runCli } from './run.ts';

/** One full start, its figures, then a full stop. */
async function measure(stack: StackBackend, versions: Record<string, string>, services: readonly ServiceName[]): Promise<StackStartRun & { imagesMs?: number; recordedCds?: boolean }> {
  let imagesMs: number | undefined;
  let recordedCds = false;
  const loadAverage1m = Number(loadavg()[0]?.toFixed(2));
  const before = machineTicks();
  const result = await stack.up({
    services,
    listener: (e) => {
      if (e.kind === 'phase' && e.service === 'images' && e.phase === 'prepared') imagesMs = e.elapsedMs;
      if (e.kind === 'phase' && e.service === 'images' && e.phase === 'preparing') line(`  ${e.detail ?? 'building'}`);
      if (e.kind === 'notice' && e.message.includes('no class-data archive yet')) recordedCds = true;
    },
  });
  const machineBusy = Number(busyShare(before, machineTicks()).toFixed(2));
  // Read at once: the CPU each service spent to get healthy, the profile of a saturated start.
  const cpuSeconds: Record<string, number> = {};
  for (const s of result.services) {
    const used = await stack.usage(s.name);
    if (used) cpuSeconds[s.name] = Number(used.cpuSeconds.toFixed(2));
  }
  const rows = await stack.status();
  // As `stack up` does, after the health: the warm-up is its own figure, not part of the start's.
  const warmupMs = (await warmStartedGateway(result)?.catch(() => undefined))?.ms;
  const run: StackStartRun = { totalMs: result.totalMs, perServiceMs: {}, rssMiB: {}, loadAverage1m, cpuSeconds, machineBusy, ...(warmupMs === undefined ? {} : { warmupMs }) };
  for (const s of result.services) run.perServiceMs[s.name] = s.ms;
  for (const r of rows) {
    if (r.rssBytes !== undefined) run.rssMiB[r.name] = Math.round(r.rssBytes / 1024 / 1024);
    if (r.health?.version) versions[r.name] = r.health.version;
  }
  await stack.down();
  return { ...run, imagesMs, recordedCds };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '3' },
      record: { type: 'boolean', default: false },
      cold: { type: 'boolean', default: false },
      backend: { type: 'string', default: process.env.CTR_BACKEND ?? 'local' },
      profile: { type: 'string', default: 'default' },
    },
  });
  const stack = stackBackend(values.backend);
  const services = profileServices(values.profile);
  const refusal = localOnlyRefusal(services, stack.name);
  if (refusal && stack.name !== 'local') throw new UsageError(refusal);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new UsageError('--runs takes a whole number from 1 to 20.');
  if (values.cold && stack.name !== 'docker') {
    throw new UsageError('--cold goes with --backend docker (it removes the images the project built). A cold local start is the jars\' download from Maven Central, which this benchmark does not measure.');
  }
  if ((await stack.status()).some((r) => r.state !== 'not started')) throw new StackError(`A stack is running: stop it first (npm run stack -- down${stack.name === 'local' ? '' : ` --backend ${stack.name}`}) so the benchmark measures a full start.`);
  // Measured first, on the quiet machine: records from different days compare through it.
  const speed = cpuReference();
  line(`CPU reference: ${speed.medianMs} ms (${speed.what})`);

  const versions: Record<string, string> = {};
  let cold: StackStartRecord['cold'];
  if (values.cold) {
    const removed = await removeProjectImages(await docker());
    line(`cold: removed ${removed.length ? removed.join(', ') : 'no images (none were built)'}`);
    const c = await measure(stack, versions, services);
    cold = { ...c, what: 'no project image and no layer of theirs: all three built from debian:12-slim (the JDK and ClickHouse from the Debian mirror); the jars already in .stack/jars/' };
    line(`cold run: all healthy in ${seconds(c.totalMs)}${c.imagesMs === undefined ? '' : `, of which the images ${seconds(c.imagesMs)}`}`);
  }
  const figures: StackStartRun[] = [];
  let primed = false;
  for (let i = 1; i <= runs; i++) {
    const { imagesMs: _, recordedCds, ...run } = await measure(stack, versions, services);
    if (recordedCds && !primed) {
      primed = true;
      // That start wrote the class-data archives (ADR 0031): not a warm start. Measure again.
      line(`warm run ${i}/${runs}: ${seconds(run.totalMs)}, but it wrote the class-data archives: not counted, again`);
      i--;
      continue;
    }
    figures.push(run);
    line(`warm run ${i}/${runs}: all healthy in ${seconds(run.totalMs)} (load ${run.loadAverage1m}; ${(totalCpuSeconds(run) ?? 0).toFixed(1)} CPU s, the machine ${Math.round((run.machineBusy ?? 0) * 100)} % busy)${run.warmupMs === undefined ? '' : `; then the planner's warm-up ${seconds(run.warmupMs)}`}`);
  }

  const names = Object.keys(figures[0]?.perServiceMs ?? {}) as ServiceName[];
  const table = new Table({ head: ['service', ...(cold ? ['cold start'] : []), 'warm start (median)', 'CPU to healthy (median)', 'rss after start (median)', 'version'], style: { head: [], border: [] } });
  for (const n of names) {
    table.push([n, ...(cold ? [seconds(cold.perServiceMs[n] ?? 0)] : []), seconds(median(figures.map((f) => f.perServiceMs[n] ?? 0))), `${median(figures.map((f) => f.cpuSeconds?.[n] ?? 0)).toFixed(2)} s`, `${median(figures.map((f) => f.rssMiB[n] ?? 0))} MiB`, versions[n] ?? '']);
  }
  const totals = figures.map((f) => f.totalMs);
  line(table.toString());
  if (cold) line(`cold stack up to all healthy: ${seconds(cold.totalMs)}`);
  line(`warm stack up to all healthy: median ${seconds(median(totals))}, min ${seconds(Math.min(...totals))}, max ${seconds(Math.max(...totals))} over ${runs} run(s)`);
  line(`CPU to all healthy: median ${median(figures.map((f) => totalCpuSeconds(f) ?? 0)).toFixed(1)} s over the services, the machine ${Math.round(median(figures.map((f) => f.machineBusy ?? 0)) * 100)} % busy (${cpuCount()} cores): a saturated start is as short as the CPU it needs allows`);
  const eng = stack.name === 'docker' ? await engineInfo() : undefined;
  const engine = eng?.ok ? `Docker ${eng.version} (${eng.driver}, ${eng.arch})` : undefined;
  line(`machine: ${describeMachine()}${engine ? `; ${engine}` : ''}`);

  if (values.record) {
    const name = values.profile === 'default' ? 'stack-start' : `stack-start-${values.profile}`;
    const out = join(repoRoot, 'static', 'results', `${resultsName(name, stack.name)}.json`);
    mkdirSync(join(repoRoot, 'static', 'results'), { recursive: true });
    const command = ['npm run bench:stack --', stack.name === 'local' ? '' : `--backend ${stack.name}`, values.profile === 'default' ? '' : `--profile ${values.profile}`, `--runs ${runs}`, values.cold ? '--cold' : '', '--record'].filter(Boolean).join(' ');
    const record: StackStartRecord = {
      recordedAt: new Date().toISOString(),
      command,
      backend: stack.name,
      ...(engine ? { engine } : {}),
      machine: benchMachine(speed),
      ...(stack.name === 'local' ? { cds: cdsEnabled() ? ('on' as const) : ('off' as const) } : {}),
      versions,
      ...(stack.name === 'local' ? { jvmStartupFlags: Object.fromEntries(JVM_SERVICES.filter((n) => services.includes(n)).map((n) => [n, startupFlags(n)])) } : {}),
      runs: figures,
      warm_start_median_ms: Math.round(median(totals)),
      ...(values.profile === 'default' ? {} : { profile: values.profile, rss_median_mib: Object.fromEntries(names.map((n) => [n, median(figures.map((f) => f.rssMiB[n] ?? 0))])) }),
      ...(cold ? { cold } : {}),
    };
    writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
    line(`recorded ${out}`);
  }
  return 0;
}

runCli(main);
