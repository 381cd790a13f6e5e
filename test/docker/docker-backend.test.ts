/**
 * The container backend for real (needs a Docker engine; `bash .ci/docker-engine` provides one):
 * a stack of its own in a scratch stack dir (its own network and container names); the smoke
 * test's 1,000 events Kafka -> Flink SQL -> Kafka -> ClickHouse on containers; phase-1 in its
 * short form and replaying the byte-sensitive labs/phase-1/data files (test/labs replays every
 * file on the local backend); one recovery drill (the TaskManager kill: 53-55 s here, where the freeze takes 68 s; ADR 0030) checked
 * against the oracle; the seam's promises that only a backend can keep (CPU and memory from the
 * engine, jcmd and the shared folder, pause, network cut, kill and repair on the same
 * addresses); `down` leaving no container and no network behind; and the jars resolved by
 * Maven in a container (for machines without Maven) equal to the host's, and the Kafka split
 * reader patch (ADR 0122) built there.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { runDrill } from '../../labs/phase-3-recovery/drills/drill.ts';
import { exactness } from '../../labs/phase-3-recovery/drills/exactness.ts';
import { DRILLS } from '../../labs/phase-3-recovery/drills/faults.ts';
import { formatStackEvent } from '../../src/cli/output.ts';
import type { LabOptions } from '../../src/lab/contract.ts';
import { docker } from '../../src/stack/docker/engine.ts';
import { ensureMavenImage } from '../../src/stack/docker/images.ts';
import { resolveInContainer, splitReaderPatchJar } from '../../src/stack/docker/jars.ts';
import { SPLIT_READER_PATCH_JAR } from '../../src/stack/flink/classpath.ts';
import { readDockerState, stackId } from '../../src/stack/docker/state.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';
import { kafkaJars } from '../../src/stack/kafka/service.ts';
import { repoRoot } from '../../src/stack/paths.ts';
import { TrackedResources } from '../../src/stack/resources.ts';
import { smokeCopy } from '../stack/smoke-pipeline.ts';
import { assertEveryCheckPassed, runLabForTest } from '../labs/run-lab.ts';

const N = 1_000;
const run = `dsmoke_${Date.now().toString(36)}`;
const log = (line: string) => process.stdout.write(`# ${line}\n`);
const backend = stackBackend('docker');
let stack: EnsuredStack;
let scratch = '';
const suiteStart = Date.now();

before(async () => {
  mkdirSync(join(repoRoot, '.stack'), { recursive: true });
  scratch = mkdtempSync(join(repoRoot, '.stack', 'test-docker-'));
  process.env.CTR_STACK_DIR = scratch;
  stack = await ensureStack(backend, { listener: (e) => log(formatStackEvent(e)) });
});

after(async () => {
  await stack?.release();
  delete process.env.CTR_STACK_DIR;
  rmSync(scratch, { recursive: true, force: true });
  log(`test:docker took ${((Date.now() - suiteStart) / 1000).toFixed(0)} s`);
});

const runPhase1 = (name: string, options: Partial<LabOptions> = {}) => runLabForTest('phase-1', { backend, workRoot: join(scratch, 'runs'), log, name, options });

test('1,000 events go Kafka -> Flink SQL -> Kafka -> ClickHouse between containers, exactly once each', async () => {
  assert.equal(stack.endpoints.internal.kafka, 'kafka:19092', 'the pipeline reaches Kafka by its network alias');
  await smokeCopy(stack.endpoints, run, N);
});

test('lab phase-1 passes every check on containers (short form, seed 42)', async () => {
  const { report, declared } = await runPhase1('phase-1');
  assert.equal(report.backend, 'docker');
  assertEveryCheckPassed(report, declared);
});

const dataDir = join(repoRoot, 'labs', 'phase-1', 'data');
/**
 * The files whose bytes could change on the way through containers (encodings across the
 * engine's port forwarding and the containers' locales). The pipeline's semantics are the same SQL
 * on either backend, and test/labs replays every file on the local one: here only what the
 * container path could break, to keep CI inside its budget.
 */
const CONTAINER_REPLAYS = ['not-utf8.jsonl', 'lone-surrogate.jsonl', 'unicode.jsonl'];
// Two at a time: the TaskManager has two slots, and each replay's bounded job takes one.
describe('phase-1 replays the byte-sensitive labs/phase-1/data files on containers', { concurrency: 2 }, () => {
  test('the replayed files exist (a renamed file must not drop out silently)', () => {
    const files = readdirSync(dataDir);
    for (const f of CONTAINER_REPLAYS) assert.ok(files.includes(f), `${f} is in labs/phase-1/data`);
  });
  for (const file of CONTAINER_REPLAYS) {
    test(`phase-1 replays ${file} on containers and agrees with the oracle`, async () => {
      const { report, declared } = await runPhase1(`phase-1 ${file}`, { eventsFile: join(dataDir, file) });
      assertEveryCheckPassed(report, declared);
    });
  }
});

test('recovery drill 1 on containers: kill -9 the TaskManager mid-stream, nothing lost or counted twice', async () => {
  // The recovery lab's drill as its short form runs it: 20 s of events, the fault at 40%.
  const drill = DRILLS.find((d) => d.id === 'taskmanager');
  assert.ok(drill);
  const t0 = Date.now();
  const track = new TrackedResources();
  const d = await runDrill(stack.endpoints, drill, {
    rate: 200,
    seconds: 20,
    faultAtSeconds: 8,
    seed: 43,
    runId: `${run}_d1`,
    stack: backend,
    say: (t) => log(`drill 1 ${t}`),
    expectOutage: (_service, fn) => fn(),
    track,
  });
  for (const e of await track.remove(stack.endpoints)) log(`drill 1 cleanup: ${e}`);
  log(`drill 1 took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const c = exactness('drill 1', d);
  assert.ok(c.ok, `${c.actual}\n${(c.details ?? []).join('\n')}`);
  assert.ok(d.noticedSeconds !== undefined && d.recoverySeconds !== undefined, 'the job was seen failing and running again');
  assert.match(d.checkpoints.restored ?? '', /chk-\d+$/, 'restored from a checkpoint');
});

test('CPU and memory come from the engine; jcmd runs in the container and writes to the shared folder', async () => {
  const usage = await backend.usage('flink-taskmanager');
  assert.ok(usage && usage.cpuSeconds > 1, `the TaskManager used CPU (${usage?.cpuSeconds} s)`);
  assert.ok(usage.rssBytes && usage.rssBytes > 100 * 1024 * 1024, `and memory (${usage.rssBytes} bytes)`);
  assert.match(await backend.jcmd('flink-taskmanager', ['VM.version']), /OpenJDK/);
  const dir = backend.sharedDir('profiles');
  assert.equal(dir.internal, '/stack-shared/profiles');
  await backend.jcmd('flink-taskmanager', ['JFR.start', 'name=dtest', 'duration=1s', `filename=${dir.internal}/dtest.jfr`]);
  for (let i = 0; i < 60 && !existsSync(join(dir.host, 'dtest.jfr')); i++) await sleep(250);
  assert.ok(existsSync(join(dir.host, 'dtest.jfr')), `the recording the container wrote is at ${dir.host} on the host`);
});

test('a frozen TaskManager is alive but unhealthy, and up() thaws it without a restart', async () => {
  const faults = backend.faults;
  assert.ok(faults, 'the docker backend can pause and disconnect');
  const before = readDockerState().services['flink-taskmanager'];
  await faults.pause('flink-taskmanager');
  assert.deepEqual(await backend.dead(), [], 'frozen is not dead');
  const row = (await backend.status()).find((r) => r.name === 'flink-taskmanager');
  assert.equal(row?.state, 'unhealthy');
  const again = await backend.up({ listener: (e) => log(formatStackEvent(e)) });
  assert.equal(again.services.find((s) => s.name === 'flink-taskmanager')?.outcome, 'repaired');
  assert.equal(readDockerState().services['flink-taskmanager']?.instanceId, before?.instanceId, 'the same TaskManager, thawed');
});

test('Kafka cut off from the network is unhealthy; up() puts it back under its alias', async () => {
  const faults = backend.faults;
  assert.ok(faults);
  const cut = await faults.disconnect('kafka');
  assert.match(cut.where, /off network ctr-[0-9a-f]{6}$/);
  assert.equal((await backend.status()).find((r) => r.name === 'kafka')?.state, 'unhealthy');
  const again = await backend.up({ listener: (e) => log(formatStackEvent(e)) });
  assert.equal(again.services.find((s) => s.name === 'kafka')?.outcome, 'repaired');
  assert.equal(again.services.find((s) => s.name === 'kafka')?.url, stack.endpoints.kafka, 'the same published port');
  const d = await docker();
  const rec = readDockerState().services.kafka;
  const net = (await d.getContainer(rec?.containerId ?? '').inspect()).NetworkSettings.Networks[readDockerState().network?.name ?? ''];
  assert.deepEqual(net?.Aliases?.includes('kafka'), true, 'reachable as kafka again');
});

test('a killed TaskManager is reported dead, and up() repairs only it, in the same container', async () => {
  const before = readDockerState().services['flink-taskmanager'];
  const killed = await backend.kill('flink-taskmanager');
  assert.match(killed.where, /^container ctr-[0-9a-f]{6}-taskmanager$/);
  const dead = await backend.dead();
  assert.deepEqual(dead.map((d) => d.name), ['flink-taskmanager']);
  assert.match(dead[0]?.message ?? '', /exited with code 137 \(killed\)/);
  const again = await backend.up({ listener: (e) => log(formatStackEvent(e)) });
  assert.deepEqual(again.startedNow, ['flink-taskmanager']);
  assert.equal(again.services.find((s) => s.name === 'flink-taskmanager')?.outcome, 'repaired');
  const afterRec = readDockerState().services['flink-taskmanager'];
  assert.equal(afterRec?.containerId, before?.containerId, 'the same container, so the same alias');
  assert.notEqual(afterRec?.instanceId, before?.instanceId, 'a new TaskManager registered');
  assert.deepEqual(await backend.dead(), []);
});

test('down removes every container and the network this stack made', async () => {
  const d = await docker();
  const label = `ctr-labs.stack=${stackId()}`;
  assert.equal((await d.listContainers({ all: true, filters: { label: [label] } })).length, 5);
  await stack.release();
  assert.deepEqual(await d.listContainers({ all: true, filters: { label: [label] } }), []);
  assert.deepEqual(await d.listNetworks({ filters: { label: [label] } }), []);
  assert.equal(existsSync(join(scratch, 'docker-state.json')), false, 'the state file is gone');
});

test('without Maven on the machine, Maven in a container resolves the same jars (Kafka pom)', async () => {
  const d = await docker();
  const host = (await kafkaJars()).jars;
  process.env.CTR_JAR_CACHE = join(scratch, 'jars');
  try {
    const inContainer = await resolveInContainer(d, 'kafka', () => ensureMavenImage(d));
    const describe = (jars: string[]) => jars.map((j) => `${basename(j)} ${statSync(j).size}`);
    assert.deepEqual(describe(inContainer), describe(host));
  } finally {
    delete process.env.CTR_JAR_CACHE;
  }
});

test('without Maven on the machine, Maven in a container builds the Kafka split reader patch (ADR 0122)', async () => {
  const d = await docker();
  process.env.CTR_JAR_CACHE = join(scratch, 'jars');
  process.env.CTR_MAVEN_IN_DOCKER = '1';
  try {
    const jar = await splitReaderPatchJar(d, () => ensureMavenImage(d));
    assert.equal(basename(jar), SPLIT_READER_PATCH_JAR);
    // The patched method's own log line is in the class: the patch, not a copy of the connector's class.
    const cls = execFileSync('unzip', ['-p', jar, 'org/apache/flink/connector/kafka/source/reader/KafkaPartitionSplitReader.class']);
    assert.ok(cls.includes('skipped pausing or resuming splits no longer assigned'), 'the built class carries the patch');
  } finally {
    delete process.env.CTR_JAR_CACHE;
    delete process.env.CTR_MAVEN_IN_DOCKER;
  }
});
