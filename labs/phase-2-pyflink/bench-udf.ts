/**
 * What crossing into Python costs: the same bounded run of the PyFlink job, v1 (the click cost as
 * a Table API expression, all in the JVM) and v2 (the same cost in a Python UDF, every event to the
 * TaskManager's Python worker and back), interleaved v1, v2, v2, v1... so a busy machine hurts both
 * alike. The drain rate is events / the job's processing span: from the moment its last subtask
 * turned RUNNING (every operator open, v2's Python worker started) to the last FINISHED. The job's
 * whole duration is recorded beside it: it adds scheduling and start-up, a fixed cost that would
 * swamp the per-event cost at this size (it made v1 look slower than v2 once). Each run's enriched
 * rows must equal the oracle, or the figure is not recorded.
 *
 *   npm run bench:pyflink-udf [-- --events N --rounds N --record]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineWithLoad } from '../../src/bench/machine.ts';
import { generateDimension } from '../../src/ctr/dimension.ts';
import { generateDataset } from '../../src/ctr/generator.ts';
import { newRunId } from '../../src/lab/runner.ts';
import { ingestLines } from '../../src/pipeline/ingest.ts';
import type { UdfCostRecord, UdfCostRound } from '../../src/results/pyflink-udf-cost.ts';
import { FLINK_VERSION } from '../../src/stack/flink/config.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { readState } from '../../src/stack/state.ts';
import { sampleDescendantsCpu } from '../../src/bench/proc.ts';
import { ensureStack, stackBackend } from '../../src/stack/index.ts';
import { kafkaClient } from '../../src/stack/kafka/client.ts';
import { repoRoot } from '../../src/stack/paths.ts';
import { pinnedPyflinkVersion, venvProblem, venvPython } from '../../src/stack/pyflink/venv.ts';
import { TrackedResources } from '../../src/stack/resources.ts';
import { sh } from '../../src/stack/shell.ts';
import { compareEnriched } from '../../src/pipeline/enrich/compare.ts';
import { DEFAULT_FLAGS, submitJob, type Version } from './job.ts';
import { buildPlan, connectorJars, runNames } from './plan.ts';
import { createAll, newRun, produceDimension, readRows } from './run.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '2' }, record: { type: 'boolean', default: false } } });
const events = Number(values.events);
const rounds = Number(values.rounds);
if (!Number.isInteger(events) || events < 1000 || !Number.isInteger(rounds) || rounds < 1) {
  console.error('--events takes a whole number >= 1000 and --rounds a whole number >= 1.');
  process.exit(2);
}
const problem = venvProblem();
if (problem) {
  console.error(problem);
  process.exit(1);
}

const t0 = Date.now();
const say = (text: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${text}`);
const backend = stackBackend('local');
const stack = await ensureStack(backend, { services: ['kafka', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager'] });
const ep = stack.endpoints;
const start = 1_700_000_000_000;
const lines = generateDataset({ seed: 42, events, malformedRate: 0, duplicateRate: 0, lateRate: 0 });
const versions = generateDimension({ seed: 42, products: 8, priceChangeAt: start + events * 4, entryAt: start + events * 6 });
const workDir = join(repoRoot, '.stack', 'runs', newRunId('bench-udf'));
mkdirSync(workDir, { recursive: true });
const out: UdfCostRound[] = [];
try {
  for (let round = 1; round <= rounds; round++) {
    // ABBA: v1 first in odd rounds, v2 first in even ones, so neither always runs second (warmer caches).
    for (const version of (round % 2 ? ['v1', 'v2'] : ['v2', 'v1']) as Version[]) {
      const track = new TrackedResources();
      const runId = newRunId(`bench_${version}`);
      const run = newRun(runNames(runId, ep, false), lines, versions);
      try {
        await createAll({ endpoints: ep, track }, run);
        await ingestLines(kafkaClient(ep.kafka), run.names, lines);
        await produceDimension({ endpoints: ep, track }, run);
        // CPU time does not stretch when the machine is busy, as wall time does: the TaskManager's
        // CPU seconds per million events, with the processes it starts (v2's Python worker,
        // sampled every 250 ms), is the figure to compare on a shared machine.
        const cpu0 = (await backend.usage('flink-taskmanager'))?.cpuSeconds;
        const tmPid = readState().services['flink-taskmanager']?.pid;
        if (tmPid === undefined) throw new Error('no TaskManager pid in .stack/state.json');
        const workers = sampleDescendantsCpu(tmPid);
        const sub = await submitJob({ workDir, version, plan: buildPlan(run.names, ep, connectorJars()), flags: DEFAULT_FLAGS, tag: runId });
        track.job(sub.jobId);
        const rest = new FlinkRestClient(ep.flinkRest);
        await rest.waitForJob(sub.jobId, { states: ['FINISHED'], timeoutMs: 900_000 });
        const job = (await rest.get(`/jobs/${sub.jobId}`)) as { duration: number };
        const workerCpu = workers.stop();
        const cpu1 = (await backend.usage('flink-taskmanager'))?.cpuSeconds;
        if (cpu0 === undefined || cpu1 === undefined) throw new Error('the TaskManager is gone: no CPU figure for this run');
        const cpuSPerMillion = Math.round(((cpu1 - cpu0 + workerCpu) / lines.length) * 1e6 * 10) / 10;
        const workerCpuSPerMillion = Math.round((workerCpu / lines.length) * 1e6 * 10) / 10;
        const processingMs = await rest.processingSpanMs(sub.jobId);
        if (processingMs === undefined) throw new Error(`job ${sub.jobId}: Flink reported no RUNNING-to-FINISHED span for its subtasks`);
        // ClickHouse lags the job by a second or two: wait for the oracle's row count, then compare.
        let rows = await readRows({ endpoints: ep }, run);
        for (let i = 0; i < 60 && rows.length < run.oracle.results.length; i++) {
          await new Promise((r) => setTimeout(r, 1_000));
          rows = await readRows({ endpoints: ep }, run);
        }
        const check = compareEnriched('rows', run.oracle.results, rows);
        const r: UdfCostRound = { round, version, pythonUdf: version === 'v2', jobMs: job.duration, processingMs, taskmanagerCpuSPerMillion: cpuSPerMillion, pythonWorkerCpuSPerMillion: workerCpuSPerMillion, eventsPerSecond: Math.round(lines.length / (processingMs / 1000)), rowsEqualOracle: check.ok, loadAverage1m: machineWithLoad().loadAverage1m };
        out.push(r);
        say(`round ${round} ${version}${r.pythonUdf ? ' (Python UDF)' : ' (no UDF)    '}: ${lines.length} events processed in ${(processingMs / 1000).toFixed(1)} s (job ${(job.duration / 1000).toFixed(1)} s) = ${r.eventsPerSecond} events/s, TaskManager CPU ${cpuSPerMillion} s per million events (its Python worker's ${workerCpuSPerMillion} s); rows equal the oracle: ${check.ok}; load ${r.loadAverage1m}`);
      } finally {
        await track.remove(ep);
      }
    }
  }
} finally {
  await stack.release();
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const v1 = median(out.filter((r) => r.version === 'v1').map((r) => r.eventsPerSecond));
const v2 = median(out.filter((r) => r.version === 'v2').map((r) => r.eventsPerSecond));
const cpuV1 = median(out.filter((r) => r.version === 'v1').map((r) => r.taskmanagerCpuSPerMillion));
const cpuV2 = median(out.filter((r) => r.version === 'v2').map((r) => r.taskmanagerCpuSPerMillion));
say(`median: v1 ${v1} events/s, v2 (Python UDF) ${v2} events/s: v2 runs at ${((v2 / v1) * 100).toFixed(0)}% of v1's rate`);
say(`median TaskManager CPU per million events: v1 ${cpuV1} s, v2 ${cpuV2} s: the Python UDF costs ${(cpuV2 - cpuV1).toFixed(1)} CPU s per million events`);
if (out.some((r) => !r.rowsEqualOracle)) {
  console.error('A run did not equal the oracle: nothing recorded.');
  process.exit(1);
}
if (values.record) {
  const python = (await sh`${venvPython()} --version`).stdout.trim().replace(/^Python /, '');
  const record: UdfCostRecord = {
    recordedAt: new Date().toISOString(),
    command: 'npm run bench:pyflink-udf -- --record',
    machine: machineWithLoad(),
    versions: { flink: FLINK_VERSION, pyflink: pinnedPyflinkVersion() ?? 'unknown', python },
    events: lines.length,
    parallelism: 1,
    delivery: 'at-least-once (bounded run)',
    checkpointing: 'off',
    rounds: out,
    summary: {
      v1EventsPerSecond: v1,
      v2EventsPerSecond: v2,
      v2OverV1: Number((v2 / v1).toFixed(3)),
      v1CpuSPerMillion: cpuV1,
      v2CpuSPerMillion: cpuV2,
      udfCpuSPerMillion: Number((cpuV2 - cpuV1).toFixed(1)),
    },
  };
  const file = join(repoRoot, 'static', 'results', 'pyflink-udf-cost.json');
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  say(`recorded ${file}`);
}
