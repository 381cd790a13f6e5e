/**
 * The pure parts of the recovery drills: how recovery is timed from the job's state changes,
 * how fresh ClickHouse must be to count as caught up, which SQL the drills submit, what the
 * backend-only drills read from a log, and how a backend without faults skips them.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { catchUpTarget, longestProducerGap, percentile, recoveryFrom, visibilityBefore } from '../../labs/phase-3-recovery/drills/measure.ts';
import { CUT_MS, firstOfEach, FREEZE_MS, logLinesSince, NEEDS_FAULTS, shorten } from '../../labs/phase-3-recovery/drills/backend-faults.ts';
import type { LabContext } from '../../src/lab/contract.ts';
import { checksTable } from '../../src/lab/report.ts';
import type { StackBackend } from '../../src/stack/backend.ts';
import { HEARTBEAT_TIMEOUT_MS } from '../../src/stack/flink/config.ts';
import { flinkStatements } from '../../src/pipeline/render.ts';
import { type StreamingOptions, streamingNames, streamingVariant } from '../../src/pipeline/streaming.ts';
import { DRILLS } from '../../labs/phase-3-recovery/drills/faults.ts';
import { pipelineOptions } from '../../labs/phase-3-recovery/drills/drill.ts';

const ep = { kafka: '127.0.0.1:9092', clickhouseHttp: 'http://127.0.0.1:8123', flinkRest: 'http://127.0.0.1:8081', sqlGateway: 'http://127.0.0.1:8083', prometheus: 'http://127.0.0.1:9090', internal: { kafka: 'kafka:9092' } };
/** Where the drills' checkpoints go, as a backend would say. */
const FAKE_DIRS = { sharedDir: (name: string) => ({ internal: `/flink/${name}`, host: `/host/${name}` }) };

describe('recoveryFrom', () => {
  const fault = { at: 1_000, restoredAt: 5_000, jobRestarts: true };

  it('a lost TaskManager: recovered when every task runs again after the job was seen failing', () => {
    const timeline = [
      { at: 0, running: true },
      { at: 4_000, running: false },
      { at: 6_000, running: false },
      { at: 12_000, running: true },
    ];
    assert.deepEqual(recoveryFrom(timeline, fault, undefined), { noticedAt: 4_000, recoveredAt: 12_000 });
  });

  it('a lost TaskManager that was never noticed has not recovered (the job still shows the dead tasks)', () => {
    assert.deepEqual(recoveryFrom([{ at: 0, running: true }], fault, undefined), {});
  });

  it('a job that kept running (ClickHouse restarted): recovered when the broken part was back', () => {
    const r = recoveryFrom([{ at: 0, running: true }], { ...fault, jobRestarts: false }, 20_000);
    assert.equal(r.recoveredAt, 5_000);
  });

  it('the last restart before catch-up counts, and never before the part was back', () => {
    const timeline = [
      { at: 2_000, running: false },
      { at: 3_000, running: true },
      { at: 7_000, running: false },
      { at: 9_000, running: true },
      { at: 30_000, running: false },
    ];
    assert.equal(recoveryFrom(timeline, { ...fault, jobRestarts: false }, 20_000).recoveredAt, 9_000);
    assert.equal(recoveryFrom([{ at: 2_000, running: false }, { at: 3_000, running: true }], { ...fault, jobRestarts: false }, 20_000).recoveredAt, 5_000);
  });
});

describe('freshness', () => {
  const close = new Map([
    [0, 1_000],
    [10_000, 11_000],
    [20_000, 21_000],
  ]);
  const seen = new Map([
    ['p1@0', 3_000],
    ['p2@0', 4_000],
    ['p1@10000', 14_000],
    ['p1@20000', 40_000],
  ]);

  it('visibility counts only windows seen before the fault', () => {
    assert.deepEqual(visibilityBefore(seen, close, 20_000).sort((a, b) => a - b), [2_000, 3_000, 3_000]);
  });

  it('caught up means within the pre-fault p95 plus 1 s; 8 s + 1 s without samples', () => {
    assert.equal(catchUpTarget(seen, close, 20_000), 4_000);
    assert.equal(catchUpTarget(new Map(), close, 20_000), 9_000);
  });

  it('percentile is nearest-rank and NaN on nothing', () => {
    assert.equal(percentile([5, 1, 4, 2, 3], 50), 3);
    assert.equal(percentile([5, 1, 4, 2, 3], 95), 5);
    assert.ok(Number.isNaN(percentile([], 50)));
  });
});

describe('the drills job', () => {
  const drill = (id: string) => DRILLS.find((d) => d.id === id) as (typeof DRILLS)[number];
  const render = (o: StreamingOptions, checkpointing: boolean, set: string[] = []) => flinkStatements(streamingNames('run1', ep, o), streamingVariant(checkpointing, set));

  it('renders phase-1 SQL unbounded with exactly-once sinks; settings first, statement set last', () => {
    const o = pipelineOptions(drill('taskmanager'), FAKE_DIRS);
    const stmts = render(o, true);
    const files = stmts.map((s) => s.file);
    assert.equal(files[0], 'phase-1/sql/flink/00-settings.sql');
    assert.ok(files.indexOf('phase-1/sql/streaming/flink/01-job.sql') < files.indexOf('phase-1/sql/flink/10-source.sql'));
    assert.ok(files.includes('phase-1/sql/streaming/flink/05-checkpointing.sql'));
    assert.match(files[files.length - 1] ?? '', /40-insert/);
    const sql = stmts.map((s) => s.sql).join('\n');
    assert.match(sql, /'scan\.bounded\.mode' = 'unbounded'/);
    assert.equal((sql.match(/'sink\.delivery-guarantee' = 'exactly-once'/g) ?? []).length, 4);
    assert.match(sql, /'properties\.transaction\.timeout\.ms' = '600000'/);
    assert.match(sql, /'execution\.checkpointing\.interval' = '5s'/);
    assert.match(sql, /'execution\.checkpointing\.mode' = 'EXACTLY_ONCE'/);
    assert.doesNotMatch(sql, /\$\{/);
  });

  it('the control: no checkpointing file, at-least-once, resumes from auto-committed offsets', () => {
    const o = pipelineOptions(drill('control'), FAKE_DIRS);
    const sql = render(o, false).map((s) => s.sql).join('\n');
    assert.doesNotMatch(sql, /execution\.checkpointing\.interval/);
    assert.match(sql, /'scan\.startup\.mode' = 'group-offsets'/);
    assert.match(sql, /'properties\.enable\.auto\.commit' = 'true'/);
    assert.match(sql, /'sink\.delivery-guarantee' = 'at-least-once'/);
  });

  it('a resume puts the savepoint path after the settings and before the tables', () => {
    const o: StreamingOptions = { ...pipelineOptions(drill('savepoint-rescale'), FAKE_DIRS), parallelism: 2 };
    const stmts = render(o, true, ["SET 'execution.savepoint.path' = 'file:/sp'"]);
    const at = stmts.findIndex((s) => s.file === '(set)');
    assert.ok(at > stmts.findIndex((s) => s.file.endsWith('05-checkpointing.sql')));
    assert.ok(at < stmts.findIndex((s) => s.file.endsWith('10-source.sql')));
    assert.match(stmts.map((s) => s.sql).join('\n'), /'parallelism\.default' = '2'/);
  });

  it('numbers the drills 1..n in order; the control, the only one without checkpoints, runs last', () => {
    assert.deepEqual(DRILLS.map((d) => d.number), DRILLS.map((_, i) => i + 1));
    assert.equal(new Set(DRILLS.map((d) => d.id)).size, DRILLS.length, 'drill ids are unique');
    assert.deepEqual(DRILLS.filter((d) => !d.checkpointing).map((d) => d.id), ['control']);
    assert.equal(DRILLS.at(-1)?.id, 'control', 'the control runs after every real drill (its damage must not leak into them)');
    assert.deepEqual(DRILLS.filter((d) => d.needsFaults).map((d) => d.id), ['frozen-taskmanager', 'broker-cut']);
    for (const d of DRILLS.filter((x) => x.needsFaults)) assert.match(d.title, /\(docker backend\)/, 'the title says where it runs');
  });

  it('freezes the TaskManager past the heartbeat timeout, and cuts the broker off for a while', () => {
    assert.ok(FREEZE_MS > HEARTBEAT_TIMEOUT_MS, 'a pause shorter than the heartbeat timeout would not be noticed at all');
    assert.ok(CUT_MS >= 10_000 && CUT_MS < 120_000, 'longer than a blip, shorter than the Flink producer\'s delivery timeout');
  });

  it('the lab runs one step per drill, in the drills\' order, and declares a check for each', async () => {
    const { default: lab } = await import('../../labs/phase-3-recovery/lab.ts');
    const drillSteps = lab.steps.filter((st) => DRILLS.some((d) => d.title === st.title));
    assert.deepEqual(drillSteps.map((st) => st.title), DRILLS.map((d) => d.title));
  });
});

describe('the lab refuses --events files it cannot drill with', async () => {
  const { default: lab } = await import('../../labs/phase-3-recovery/lab.ts');
  // Called without `?.`: a lab that lost its preflight must fail here, not pass quietly.
  const preflight = (options: Parameters<NonNullable<typeof lab.preflight>>[0]) => {
    assert.equal(typeof lab.preflight, 'function', 'the recovery lab checks --events files before anything starts');
    lab.preflight?.(options);
  };
  const { generateDataset } = await import('../../src/ctr/generator.ts');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { rmSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'ctr-drill-events-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
    return path;
  };

  it('too short to put a fault mid-stream', () => {
    const f = file('short.jsonl', generateDataset({ seed: 1, events: 100, lateRate: 0 }));
    assert.throws(() => preflight({ eventsFile: f, seed: 1, short: true }), /at least 4000 lines/);
  });

  it('late events (watermarks are not restored after a recovery)', () => {
    const f = file('late.jsonl', generateDataset({ seed: 2, events: 5000, lateRate: 0.05 }));
    assert.throws(() => preflight({ eventsFile: f, seed: 1, short: true }), /without late events/);
  });

  it('accepts a long stream without late events', () => {
    const f = file('ok.jsonl', generateDataset({ seed: 3, events: 5000, ratePerSecond: 200, lateRate: 0 }));
    assert.doesNotThrow(() => preflight({ eventsFile: f, seed: 1, short: true }));
  });
});

describe('the backend-only drills', () => {
  it('read a Flink log line by line: time (UTC), message, from a given moment on', () => {
    const since = Date.parse('2026-11-27T17:02:55.000Z');
    const log = [
      '2026-11-27 17:02:40,000 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor           [] - The heartbeat of JobManager with id old timed out.',
      '2026-11-27 17:02:55,698 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor           [] - The heartbeat of JobManager with id 6ec8 timed out.',
      '\tat org.apache.flink.Some.stack(Trace.java:1)',
      '2026-11-27 17:02:55,706 WARN  org.apache.flink.runtime.taskmanager.Task                    [] - Source (1/1)#0 switched from RUNNING to FAILED with failure cause:',
      '2026-11-27 17:02:55,716 WARN  org.apache.flink.runtime.taskmanager.Task                    [] - Sink (1/1)#0 switched from RUNNING to FAILED with failure cause:',
      '2026-11-27 17:02:55,891 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor           [] - Successful registration at resource manager pekko.tcp://flink@jobmanager:6123/user/rpc/resourcemanager_* under registration id 7d96.',
    ].join('\n');
    const lines = logLinesSince(log, since, /./);
    assert.equal(lines.length, 4, 'the line before the moment and the stack trace are left out');
    assert.deepEqual(lines[0], { afterMs: 698, message: 'The heartbeat of JobManager with id 6ec8 timed out.' });
    const told = firstOfEach(lines, [/Successful registration/, /heartbeat of JobManager/, /switched from RUNNING to FAILED/, /never logged/]);
    assert.deepEqual(told.map((l) => [l.afterMs, l.count]), [[698, 1], [706, 2], [891, 1]], 'in log order, one per kind, with counts');
  });

  it('shorten a long log line in the middle, keeping what happened at its end', () => {
    assert.equal(shorten('short', 10), 'short');
    const cut = shorten(`${'Source: a very long task name '.repeat(10)}switched from RUNNING to FAILED with failure cause:`, 100);
    assert.equal(cut.length, 100);
    assert.match(cut, /^Source: a very long.*\.\.\..*switched from RUNNING to FAILED with failure cause:$/);
  });

  it('measure how long the producer waited for an acknowledgement after the fault', () => {
    const batches = [{ at: 0 }, { at: 100 }, { at: 200 }, { at: 5_200 }, { at: 5_300 }];
    assert.deepEqual(longestProducerGap(batches, 150), { gapMs: 5_000, resumedAt: 5_200 });
    assert.deepEqual(longestProducerGap(batches.slice(0, 1), 150), { gapMs: 0 });
    assert.deepEqual(longestProducerGap([{ at: 0 }, { at: 9_000 }, { at: 9_100 }], 5_000), { gapMs: 9_000, resumedAt: 9_000 }, 'the gap the fault fell in counts');
  });

  it('a backend without faults skips them: the step says so, the checks pass as "skipped", never as "pass"', async () => {
    const { default: lab } = await import('../../labs/phase-3-recovery/lab.ts');
    const notes: string[] = [];
    const stack = { name: 'local' } as StackBackend;
    const ctx = { options: { seed: 1, short: true }, stack, note: (t: string) => notes.push(t) } as unknown as LabContext;
    const state = await lab.init(ctx);
    for (const id of ['drill-5', 'drill-6']) await lab.steps.find((st) => st.id === id)?.run(ctx, state);
    assert.deepEqual(notes, [`skipped on the local backend: ${NEEDS_FAULTS}`, `skipped on the local backend: ${NEEDS_FAULTS}`]);
    const checks = await lab.evaluate(ctx, state);
    assert.deepEqual(checks.map((c) => c.name), lab.checks.map((c) => c.name), 'evaluate() returns exactly the declared checks');
    const skipped = checks.filter((c) => c.skipped);
    assert.deepEqual(skipped.map((c) => c.name), [
      'drill 5 (TaskManager frozen): nothing lost or counted twice',
      'drill 6 (broker cut off from the network): nothing lost or counted twice',
      'drill 5: the frozen TaskManager was declared lost, the job restored',
    ]);
    for (const c of skipped) {
      assert.equal(c.ok, true);
      assert.match(c.actual, /^not run: the local backend cannot freeze a service or cut it off from a network: run with --backend docker$/);
    }
    assert.equal(checksTable(skipped).match(/skipped/g)?.length, 3);
    assert.doesNotMatch(checksTable(skipped), /\bpass\b/);
    const record = lab.record?.(state, { backend: 'local', startedAt: '2026-01-01T00:00:00Z', durationMs: 1, versions: {}, ok: false } as never);
    const frozen = record?.drills.find((d) => d.id === 'frozen-taskmanager');
    assert.equal(frozen?.only_on, 'docker');
    assert.equal(frozen?.skipped, NEEDS_FAULTS);
    assert.equal(record?.drills.find((d) => d.id === 'taskmanager')?.skipped, undefined);
    assert.equal(record?.command, 'npm run lab phase-3-recovery -- --short --record');
  });

  it('the short form leaves drill 4 out and says why; the full form runs it', async () => {
    const { default: lab } = await import('../../labs/phase-3-recovery/lab.ts');
    const notes: string[] = [];
    const ctx = { options: { seed: 1, short: true }, stack: { name: 'local' } as StackBackend, note: (t: string) => notes.push(t) } as unknown as LabContext;
    const state = await lab.init(ctx);
    await lab.steps.find((st) => st.id === 'drill-4')?.run(ctx, state);
    assert.match(notes[0] ?? '', /^skipped: the short form leaves it out/);
    const c = (await lab.evaluate(ctx, state)).find((x) => x.name === 'drill 4 (savepoint and rescale): nothing lost or counted twice');
    assert.equal(c?.skipped, true);
    assert.equal(c?.expected, 'run in the full form (drill 4)');
  });
});
