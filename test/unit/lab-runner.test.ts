/**
 * The lab runner against a fake backend: what it starts, how a failure shows in the report, and
 * that cleanup runs, and is reported, whatever happened before it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { defineLab, type LabContext, type LabDefinition } from '../../src/lab/contract.ts';
import type { LabReport } from '../../src/lab/report.ts';
import { type LabEvent, runLab } from '../../src/lab/runner.ts';
import { FakeBackend } from './fixtures/fake-backend.ts';

const workRoot = mkdtempSync(join(tmpdir(), 'ctr-runner-'));
after(() => rmSync(workRoot, { recursive: true, force: true }));

interface Trace {
  ran: string[];
  cleanedUp: boolean;
  workDir?: string;
}

/** A two-step lab; `overrides` breaks one part of it. */
function lab(trace: Trace, overrides: Partial<LabDefinition<Trace>> = {}): LabDefinition<Trace> {
  return defineLab<Trace>({
    id: 'fake',
    title: 'A lab for the runner test',
    lesson: '/docs/x',
    summary: '',
    services: ['kafka', 'clickhouse'],
    checks: [{ name: 'it adds up', explain: '' }],
    init: (ctx) => {
      trace.workDir = ctx.workDir;
      return trace;
    },
    steps: [
      { id: 'one', title: 'Step one', explain: '', run: async (_ctx, s) => void s.ran.push('one') },
      { id: 'two', title: 'Step two', explain: '', run: async (_ctx, s) => void s.ran.push('two') },
    ],
    evaluate: async () => [{ name: 'it adds up', expected: '2', actual: '2', ok: true }],
    cleanup: async (_ctx, s) => {
      s.cleanedUp = true;
    },
    ...overrides,
  });
}

async function run(definition: LabDefinition<Trace>, backend = new FakeBackend(), opts: { keep?: boolean; signal?: AbortSignal; runs?: number; sharedStack?: boolean; onJobsEnded?: () => void } = {}): Promise<{ report: LabReport; events: LabEvent[]; backend: FakeBackend }> {
  const events: LabEvent[] = [];
  const report = await runLab(definition, {
    backend,
    workRoot,
    seed: 1,
    short: true,
    runs: opts.runs,
    sharedStack: opts.sharedStack,
    keep: opts.keep ?? false,
    signal: opts.signal ?? new AbortController().signal,
    onEvent: (e) => events.push(e),
    onJobsEnded: opts.onJobsEnded,
  });
  return { report, events, backend };
}

const fresh = (): Trace => ({ ran: [], cleanedUp: false });

describe('the lab runner', () => {
  it('on a shared stack, refuses a step that kills a service, without touching the stack, and says why', async () => {
    const backend = new FakeBackend();
    const killer = lab(fresh(), { steps: [{ id: 'kill', title: 'Kill', explain: '', run: async (ctx) => void (await ctx.stack.kill('flink-taskmanager')) }] });
    const shared = await run(killer, backend, { sharedStack: true });
    assert.equal(shared.report.ok, false);
    assert.ok(shared.events.some((e) => e.kind === 'step-end' && e.id === 'kill' && !e.ok && /other runs share this stack/.test(e.error ?? '')));
    assert.ok(!backend.calls.some((c) => c.startsWith('kill')), `the backend was asked to kill: ${backend.calls.join(', ')}`);
    const alone = await run(killer, new FakeBackend());
    assert.equal(alone.report.steps.find((s) => s.id === 'kill')?.ok, true);
  });

  it('refuses --runs for a lab that does not measure, before starting anything, and passes it to one that does', async () => {
    const backend = new FakeBackend();
    await assert.rejects(run(lab(fresh()), backend, { runs: 3 }), (err: Error) => err.name === 'UsageError' && /takes no --runs/.test(err.message));
    assert.deepEqual(backend.calls, []);
    let seen: number | undefined;
    const { report } = await run(lab(fresh(), { repeatable: true, init: (ctx) => ((seen = ctx.options.runs), fresh()) }), new FakeBackend(), { runs: 3 });
    assert.equal(report.ok, true);
    assert.equal(seen, 3);
  });

  it('starts only the declared services, runs every step, passes, and stops what it started', async () => {
    const t = fresh();
    const { report, backend } = await run(lab(t));
    assert.equal(report.ok, true);
    assert.deepEqual(t.ran, ['one', 'two']);
    assert.deepEqual(backend.calls, ['up kafka,clickhouse', 'down kafka,clickhouse']);
    assert.deepEqual(report.steps.map((s) => [s.id, s.ok]), [['stack', true], ['one', true], ['two', true]]);
    assert.equal(report.backend, 'local');
    assert.deepEqual(report.versions, { kafka: '0.0-fake', clickhouse: '0.0-fake' });
    assert.deepEqual(report.cleanup, []);
    assert.equal(t.cleanedUp, true);
    assert.equal(existsSync(t.workDir ?? ''), false, 'the run\'s scratch folder is removed');
  });

  it('says once, after the lab\'s own cleanup, that the run\'s jobs have ended, whether its steps passed or failed', async () => {
    for (const overrides of [{}, { steps: [{ id: 'boom', title: 'Boom', explain: '', run: async () => Promise.reject(new Error('boom')) }] }]) {
      const t = fresh();
      const seen: boolean[] = [];
      await run(lab(t, overrides), new FakeBackend(), { onJobsEnded: () => seen.push(t.cleanedUp) });
      assert.deepEqual(seen, [true], 'called once, after cleanup()');
    }
  });

  it('leaves a running stack alone, and a started one up with keep', async () => {
    const reused = new FakeBackend();
    reused.startsNow = false;
    assert.deepEqual((await run(lab(fresh()), reused)).backend.calls, ['up kafka,clickhouse']);
    assert.deepEqual((await run(lab(fresh()), new FakeBackend(), { keep: true })).backend.calls, ['up kafka,clickhouse']);
  });

  it('a failed step fails the run, skips the later steps, marks every check not run, and still cleans up', async () => {
    const t = fresh();
    const { report, events } = await run(lab(t, { steps: [{ id: 'one', title: 'Step one', explain: '', run: async () => Promise.reject(new Error('the topic is gone')) }, { id: 'two', title: 'Step two', explain: '', run: async (_c, s) => void s.ran.push('two') }] }));
    assert.equal(report.ok, false);
    assert.deepEqual(t.ran, []);
    assert.deepEqual(report.checks.map((c) => [c.name, c.ok]), [['every step ran', false], ['it adds up', false]]);
    assert.equal(report.checks[0]?.actual, 'failed at "one": the topic is gone');
    assert.equal(report.checks[1]?.actual, 'not run');
    assert.ok(events.some((e) => e.kind === 'step-end' && e.id === 'one' && !e.ok && e.error === 'the topic is gone'));
    assert.equal(t.cleanedUp, true, 'cleanup runs after a failed step');
  });

  it('a check list that differs from the declared one fails the run', async () => {
    const renamed = await run(lab(fresh(), { evaluate: async () => [{ name: 'it adds up nicely', expected: '2', actual: '2', ok: true }] }));
    assert.equal(renamed.report.ok, false);
    assert.deepEqual(renamed.report.checks.at(-1), { name: 'lab contract', expected: 'it adds up', actual: 'it adds up nicely', ok: false });
    const none = await run(lab(fresh(), { evaluate: async () => [] }));
    assert.equal(none.report.ok, false, 'no checks is not a pass');
  });

  it('Ctrl-C stops the running step and still cleans up', async () => {
    const t = fresh();
    const controller = new AbortController();
    const hang: LabDefinition<Trace>['steps'][number] = {
      id: 'hang',
      title: 'Wait forever',
      explain: '',
      run: async () => {
        setTimeout(() => controller.abort(), 20);
        await new Promise(() => {});
      },
    };
    const { report } = await run(lab(t, { steps: [hang] }), new FakeBackend(), { signal: controller.signal });
    assert.equal(report.ok, false);
    assert.equal(report.checks[0]?.actual, 'failed at "hang": interrupted (Ctrl-C)');
    assert.equal(t.cleanedUp, true, 'cleanup runs after Ctrl-C');
  });

  it('cleanup errors are reported, not swallowed: the lab\'s own and removing what it tracked', async () => {
    const t = fresh();
    const tracking = lab(t, {
      steps: [{ id: 'job', title: 'Submit', explain: '', run: async (ctx: LabContext) => ctx.track.job('0123abcd') }],
      cleanup: async () => Promise.reject(new Error('the helper process would not stop')),
    });
    const { report, events } = await run(tracking);
    assert.equal(report.ok, true, 'the checks judged the pipeline; cleanup is reported beside them');
    assert.equal(report.cleanup.length, 2);
    assert.match(report.cleanup[0] ?? '', /^cleanup: the helper process would not stop/);
    assert.match(report.cleanup[1] ?? '', /^cancel Flink job 0123abcd: /);
    assert.equal(events.filter((e) => e.kind === 'note' && e.text.startsWith('cleanup failed: ')).length, 2);
  });

  it('a service that dies during a step fails the step with its message; an excused one does not', async () => {
    const dying = new FakeBackend();
    const step = (excuse: boolean): LabDefinition<Trace>['steps'][number] => ({
      id: 'drill',
      title: 'Kill the TaskManager',
      explain: '',
      run: async (ctx) => {
        const wait = async () => {
          dying.deadNow = ['flink-taskmanager'];
          await new Promise((r) => setTimeout(r, 2_500));
          dying.deadNow = [];
        };
        await (excuse ? ctx.expectOutage('flink-taskmanager', wait) : wait());
      },
    });
    const excused = await run(lab(fresh(), { steps: [step(true)] }), dying);
    assert.equal(excused.report.ok, true);
    const failed = await run(lab(fresh(), { steps: [step(false)] }), dying);
    assert.equal(failed.report.ok, false);
    assert.match(failed.report.checks[0]?.actual ?? '', /flink-taskmanager \(fake\) died during the lab/);
  });

  it('a lab without report() reports empty counts; a report() that throws is said', async () => {
    const { report } = await run(lab(fresh()));
    assert.deepEqual(report.counts, { produced: 0, valid: 0, dlq: 0, duplicates: 0, late: 0 });
    const { events } = await run(
      lab(fresh(), {
        report: () => {
          throw new Error('no rows');
        },
      }),
    );
    assert.ok(events.some((e) => e.kind === 'note' && e.text === 'report: no rows'));
  });
});
