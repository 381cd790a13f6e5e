/**
 * Every lab on the local backend, sharing one stack: started here if none runs (and stopped
 * after), reused otherwise. Each lab runs its short form and must pass all its checks; then
 * phase-1 replays every hand-made scenario in labs/phase-1/data (the files, and those too large
 * to commit, which make-scenarios.ts builds) and datasets generated with a seed nobody chose, and
 * must agree with the oracle, with the same report run after run. The replays and the exercise
 * gradings share the stack's TaskManager slots through one pool (slot-pool.ts, ADRs 0104, 0119).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { largeScenarios } from '../../labs/phase-1/data/make-scenarios.ts';
import { formatStackEvent } from '../../src/cli/output.ts';
import { generateDataset } from '../../src/ctr/generator.ts';
import type { LabOptions } from '../../src/lab/contract.ts';
import { labIds, loadAllLabs, loadLab } from '../../src/lab/registry.ts';
import { PIPELINE_CHECKS } from '../../src/pipeline/checks.ts';
import { type LabReport, stableReport } from '../../src/lab/report.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';
import { DEFAULT_SERVICE_NAMES, SERVICE_NAMES, type ServiceName } from '../../src/stack/service.ts';
import { repoRoot } from '../../src/stack/paths.ts';
import { exerciseTests } from './exercises.ts';
import { assertEveryCheckPassed, runLabForTest } from './run-lab.ts';
import { SlotPool } from './slot-pool.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';

const log = (line: string) => process.stdout.write(`# ${line}\n`);
let stack: EnsuredStack | undefined;
const scratch = mkdtempSync(join(tmpdir(), 'ctr-replay-'));

/** Services that were not running when this file started: the labs keep what they start (run-lab.ts), so the file stops them at its end. */
let notRunningAtStart: ServiceName[] = [];
before(async () => {
  const running = new Set((await stackBackend().status()).filter((r) => r.state !== 'not started').map((r) => r.name));
  notRunningAtStart = SERVICE_NAMES.filter((n) => !running.has(n));
  stack = await ensureStack(stackBackend(), { listener: (e) => log(formatStackEvent(e)) });
});
after(async () => {
  // Phase 5's extras (kafka-2, kafka-3, the second TaskManager) end with this file: the suites after
  // it (observability, runbooks, the smoke test) count the default services' targets and processes.
  const left = (await stackBackend().status()).filter((r) => r.state !== 'not started' && notRunningAtStart.includes(r.name) && !DEFAULT_SERVICE_NAMES.includes(r.name)).map((r) => r.name);
  if (left.length > 0) await stackBackend().down({ only: left, listener: (e) => log(formatStackEvent(e)) });
  await stack?.release();
  rmSync(scratch, { recursive: true, force: true });
});

async function run(id: string, options: Partial<LabOptions> = {}, onJobsEnded?: () => void): Promise<LabReport> {
  return (await runLabForTest(id, { backend: stackBackend(), workRoot: scratch, log, options, onJobsEnded })).report;
}

/**
 * The cluster's slots (set from /overview once every lab's services run, below), shared by the
 * replays and gradings, each holding what its jobs take and handing it back once they have ended;
 * two runs at a time, for the machine's two cores (ADR 0119).
 */
const pool = new SlotPool(2, { maxRuns: 2 });
/** A replay of one lab, holding one slot while its job runs; the longer lab's replays first. */
const replay = (id: string, options: Partial<LabOptions>) =>
  pool.run({ slots: 1, expected: labMs.get(id) ?? 0 }, (release) => run(id, options, release));

/** Each lab test's time in this run: the exercise grader starts the gradings of the slowest labs first. */
const labMs = new Map<string, number>();
for (const id of labIds()) {
  test(`lab ${id} passes every check (short form, seed 42)`, async () => {
    const t0 = Date.now();
    try {
      assertEveryCheckPassed(await run(id), (await loadLab(id)).checks.length);
    } finally {
      labMs.set(id, Date.now() - t0);
    }
  });
}

const dataDir = join(repoRoot, 'labs', 'phase-1', 'data');
const scenarioFiles = readdirSync(dataDir).filter((f) => f.endsWith('.jsonl')).sort();
// Two replays at a time (the pool): each job takes one slot, and a replay
// spends most of its time waiting (submission, the job, ClickHouse), so two share the machine's cores well.
describe('every phase-1 scenario, replayed through phase 1 (SQL) and phase 2 (Kotlin)', { concurrency: true }, () => {
  // From here on runs share the stack at once (the pool): every service any lab declares (phase 5's
  // extras too) runs until the file ends (its after() stops them), so no run starts or stops one
  // under another run's job. The labs above run one at a time, on the
  // default shape, as a learner's would (the recovery lab times a failover on one TaskManager).
  before(async () => {
    const services = [...new Set((await loadAllLabs()).flatMap((l) => l.services))];
    const ensured = await ensureStack(stackBackend(), { services, listener: (e) => log(formatStackEvent(e)) });
    pool.setCapacity((await new FlinkRestClient(ensured.endpoints.flinkRest).overview()).slotsTotal);
    log(`the replays and gradings share ${pool.capacity} TaskManager slots, two runs at a time`);
  });
  for (const file of scenarioFiles) {
    test(`phase-1 replays ${file} and agrees with the oracle`, async () => {
      assertEveryCheckPassed(await replay('phase-1', { eventsFile: join(dataDir, file) }), PIPELINE_CHECKS.length);
    });
  }
  // The same files through phase 2's Kotlin job: the same oracle, the same checks.
  for (const file of scenarioFiles) {
    test(`phase-2 (Kotlin) replays ${file} and agrees with the oracle`, async () => {
      assertEveryCheckPassed(await replay('phase-2', { eventsFile: join(dataDir, file) }), PIPELINE_CHECKS.length);
    });
  }

  // Scenarios too large to commit (a 2 MB line...): built by make-scenarios.ts, replayed from a temporary file.
  for (const [name, bytes] of Object.entries(largeScenarios())) {
    test(`phase-1 replays ${name} (built by make-scenarios.ts) and agrees with the oracle`, async () => {
      const file = join(scratch, name);
      writeFileSync(file, bytes);
      assertEveryCheckPassed(await replay('phase-1', { eventsFile: file }), PIPELINE_CHECKS.length);
    });
  }

  test('phase-1 replays an unseen messy dataset twice: oracle-equal, the same report both times', async () => {
    // A seed nobody picked, printed so a failure can be replayed.
    const seed = Math.floor(Math.random() * 2 ** 31);
    log(`unseen dataset seed ${seed}`);
    const lines = generateDataset({ seed, events: 600, tricky: true, malformedRate: 0.05, duplicateRate: 0.05, lateRate: 0.03, jitterMs: 4_000 });
    const file = join(scratch, `unseen-${seed}.jsonl`);
    writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
    const reports: LabReport[] = [];
    for (let i = 0; i < 2; i++) {
      const report = await replay('phase-1', { eventsFile: file });
      assertEveryCheckPassed(report, PIPELINE_CHECKS.length);
      reports.push(report);
    }
    assert.ok((reports[0]?.counts.late ?? 0) > 0 && (reports[0]?.counts.dlq ?? 0) > 0 && (reports[0]?.counts.duplicates ?? 0) > 0, 'the dataset exercises late, DLQ and duplicates');
    assert.deepEqual(stableReport(reports[1] as LabReport), stableReport(reports[0] as LabReport));
  });
});

// The exercises, graded on this file's stack (test/labs/exercises.ts), in the same pool.
await exerciseTests({ workRoot: scratch, log, labMs: (lab) => labMs.get(lab), pool });
