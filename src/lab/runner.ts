import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { abortPromise } from '../stack/abort.ts';
import type { StackBackend } from '../stack/backend.ts';
import { describeError, StackError, UsageError } from '../stack/errors.ts';
import type { StackListener } from '../stack/events.ts';
import { ensureStack, type EnsuredStack } from '../stack/index.ts';
import { TrackedResources } from '../stack/resources.ts';
import { serviceVersions } from '../stack/versions.ts';
import { describeWarmup, warmGateway, warmingListener, warmupEnabled, type WarmupResult } from '../stack/flink/warmup.ts';
import { type CheckResult, type LabContext, type LabDefinition, type LabOptions, STACK_STEP } from './contract.ts';
import { EMPTY_COUNTS, type LabReport } from './report.ts';
import { checkJobOverlay } from '../exercises/editable.ts';
import { sqlOverlay, withSqlOverlay } from './sql-overlay.ts';
import { sharedStackView } from './shared-stack.ts';
import { watchStack } from './watchdog.ts';

/** What the runner tells its caller while it works; the CLI prints these. */
export type LabEvent =
  | { kind: 'lab'; id: string; title: string }
  | { kind: 'step-start'; id: string; title: string; index: number; total: number }
  | { kind: 'step-end'; id: string; title: string; ms: number; ok: boolean; error?: string }
  | { kind: 'note'; text: string };

export interface RunOptions extends LabOptions {
  backend: StackBackend;
  /** Leave a stack this run started running afterwards. */
  keep: boolean;
  onEvent: (e: LabEvent) => void;
  stackListener?: StackListener;
  signal: AbortSignal;
  /** Parent of the run's scratch folder (ctx.workDir), removed after the run. */
  workRoot: string;
  /**
   * Called once every job the run tracked has ended, during cleanup, before its tables and topics
   * are removed: the test grader hands the TaskManager slots to the next run then (ADR 0104).
   */
  onJobsEnded?: () => void;
}

export function newRunId(labId: string): string {
  return `${labId.replace(/[^a-z0-9]/gi, '_')}_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`.toLowerCase();
}

const interrupted = () => new Error('interrupted (Ctrl-C)');

/**
 * Runs one lab: the services it declares (started only if needed), its steps in order with their
 * wall time, then its checks. Cleanup always runs, the lab's own and then removal of what it
 * tracked, and its errors are reported; the stack is stopped only if this run started it.
 */
export async function runLab<S, R>(lab: LabDefinition<S, R>, opts: RunOptions): Promise<LabReport<R>> {
  // A learner's SQL (--sql) is checked before anything starts, then read by every step of this run.
  const overlay = opts.sqlDir !== undefined ? sqlOverlay(lab.id, lab.sql, opts.sqlDir) : undefined;
  // So are a code lab's job files (--job).
  if (opts.overlayDir !== undefined) checkJobOverlay(lab, opts.overlayDir);
  return withSqlOverlay(overlay, () => runSteps(lab, opts, overlay !== undefined));
}

async function runSteps<S, R>(lab: LabDefinition<S, R>, opts: RunOptions, ownSql: boolean): Promise<LabReport<R>> {
  const t0 = Date.now();
  const startedAt = new Date(t0).toISOString();
  const steps: LabReport['steps'] = [];
  const emit = opts.onEvent;
  if (opts.runs !== undefined && !lab.repeatable) throw new UsageError(`${lab.id} checks one run against its oracle and takes no --runs: leave it out (only labs that measure, like phase-3-throughput, repeat).`);
  lab.preflight?.(opts);
  emit({ kind: 'lab', id: lab.id, title: lab.title });
  if (ownSql) emit({ kind: 'note', text: `your SQL from ${opts.sqlDir}; the lab's own files for the rest` });

  const stackStep = { id: STACK_STEP.id, title: STACK_STEP.title };
  emit({ kind: 'step-start', ...stackStep, index: 0, total: lab.steps.length });
  const s0 = Date.now();
  const needsGateway = lab.services.includes('sql-gateway') && warmupEnabled();
  let warmup: Promise<WarmupResult> | undefined;
  let stack: EnsuredStack;
  try {
    // The gateway's warm-up starts the moment it is healthy, while the rest of the stack starts.
    const listener = needsGateway ? warmingListener(opts.stackListener, (w) => (warmup = w)) : opts.stackListener;
    stack = await ensureStack(opts.backend, { services: lab.services, listener, signal: opts.signal });
  } catch (err) {
    emit({ kind: 'step-end', ...stackStep, ms: Date.now() - s0, ok: false, error: describeError(err) });
    throw err;
  }
  const reused = stack.startedNow.length === 0;
  emit({ kind: 'step-end', ...stackStep, ms: Date.now() - s0, ok: true, error: undefined });
  if (reused) emit({ kind: 'note', text: 'reused the running stack' });
  steps.push({ ...stackStep, ms: Date.now() - s0, ok: true });
  // A stack that was already running gets its warm-up now, while the lab creates its topics and
  // tables; the first statement waits for the rest, if any (ADR 0033). A failed warm-up only costs
  // the first statement its speed. CTR_GATEWAY_WARMUP=off skips it (to measure what it saves).
  if (needsGateway) {
    void describeWarmup(warmup ?? warmGateway(stack.endpoints.sqlGateway), ' (in the background)').then((text) => emit({ kind: 'note', text }));
  }

  const excused = new Set<string>();
  const runId = newRunId(lab.id);
  const tracked = new TrackedResources();
  const workDir = join(opts.workRoot, runId);
  mkdirSync(workDir, { recursive: true });
  const ctx: LabContext = {
    options: { eventsFile: opts.eventsFile, seed: opts.seed, short: opts.short, sqlDir: opts.sqlDir, oracle: opts.oracle, runs: opts.runs, record: opts.record, overlayDir: opts.overlayDir, dimensionFile: opts.dimensionFile, sharedStack: opts.sharedStack },
    stack: opts.sharedStack ? sharedStackView(opts.backend) : opts.backend,
    endpoints: stack.endpoints,
    runId,
    track: tracked,
    workDir,
    note: (text) => emit({ kind: 'note', text }),
    signal: opts.signal,
    expectOutage: async (service, fn) => {
      excused.add(service);
      try {
        return await fn();
      } finally {
        excused.delete(service);
      }
    },
  };
  const watchdog = watchStack(opts.backend, 1_000, excused);
  let state: S | undefined;
  let checks: CheckResult[] = [];
  const cleanupErrors: string[] = [];
  try {
    state = await Promise.race([Promise.resolve(lab.init(ctx)), watchdog.promise]);
    let failed: { step: string; error: string } | undefined;
    for (const [i, step] of lab.steps.entries()) {
      emit({ kind: 'step-start', id: step.id, title: step.title, index: i + 1, total: lab.steps.length });
      const st = Date.now();
      try {
        if (opts.signal.aborted) throw interrupted();
        const abort = abortPromise(opts.signal, interrupted);
        await Promise.race([step.run(ctx, state), watchdog.promise, abort.promise]).finally(abort.dispose);
        steps.push({ id: step.id, title: step.title, ms: Date.now() - st, ok: true });
        emit({ kind: 'step-end', id: step.id, title: step.title, ms: Date.now() - st, ok: true });
      } catch (err) {
        const error = errorText(err);
        steps.push({ id: step.id, title: step.title, ms: Date.now() - st, ok: false });
        emit({ kind: 'step-end', id: step.id, title: step.title, ms: Date.now() - st, ok: false, error });
        failed = { step: step.id, error: error.split('\n')[0] ?? error };
        break;
      }
    }
    checks = failed
      ? [{ name: 'every step ran', expected: `${lab.steps.length} steps`, actual: `failed at "${failed.step}": ${failed.error}`, ok: false }, ...lab.checks.map((c) => ({ name: c.name, expected: '-', actual: 'not run', ok: false }))]
      : contractChecked(lab, await Promise.race([lab.evaluate(ctx, state), watchdog.promise]));
  } finally {
    watchdog.stop();
    if (state !== undefined && lab.cleanup) {
      await lab.cleanup(ctx, state).catch((err: unknown) => cleanupErrors.push(`cleanup: ${errorText(err).split('\n')[0]}`));
    }
    const removing = Date.now();
    cleanupErrors.push(...(await tracked.remove(ctx.endpoints, undefined, opts.onJobsEnded).catch((err: unknown) => [`removing what the run created: ${errorText(err).split('\n')[0]}`])));
    for (const e of cleanupErrors) emit({ kind: 'note', text: `cleanup failed: ${e}` });
    // Seconds a learner waits after the checks: printed, so a slow teardown shows (issue 13).
    emit({ kind: 'note', text: `removed the run's jobs, tables and topics in ${secondsSince(removing)}` });
    rmSync(workDir, { recursive: true, force: true });
    if (!opts.keep) {
      const releasing = Date.now();
      await stack.release();
      if (!reused) emit({ kind: 'note', text: `stopped the stack in ${secondsSince(releasing)}` });
    }
    else if (!reused) emit({ kind: 'note', text: '--keep: the stack stays up; stop it with `npm run stack down`' });
  }

  const data = state !== undefined ? safeReport(lab, state, emit) : { counts: EMPTY_COUNTS, results: [] };
  const report: LabReport<R> = {
    lab: lab.id,
    ok: checks.length > 0 && checks.every((c) => c.ok),
    backend: opts.backend.name,
    versions: serviceVersions(stack.services),
    startedAt,
    durationMs: Date.now() - t0,
    counts: data.counts,
    results: data.results,
    checks,
    steps,
    cleanup: cleanupErrors,
  };
  if (lab.record && state !== undefined) report.record = safeRecord(lab.record, state, report, emit);
  return report;
}

const secondsSince = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

/** A service failure carries its log tail; any other error, its message (no stack trace). */
function errorText(err: unknown): string {
  return err instanceof StackError ? describeError(err) : err instanceof Error ? err.message : String(err);
}

/** A record() that throws leaves the generic report to be written, and says why. */
function safeRecord<S, R>(record: NonNullable<LabDefinition<S, R>['record']>, state: S, report: LabReport<R>, emit: (e: LabEvent) => void): R | undefined {
  try {
    return record(state, report);
  } catch (err) {
    emit({ kind: 'note', text: `record: ${err instanceof Error ? err.message : String(err)}` });
    return undefined;
  }
}

/** evaluate() must return exactly the declared checks, in order: the page lists those. */
function contractChecked<S, R>(lab: LabDefinition<S, R>, results: CheckResult[]): CheckResult[] {
  const declared = lab.checks.map((c) => c.name).join(' | ');
  const returned = results.map((c) => c.name).join(' | ');
  if (declared === returned) return results;
  return [...results, { name: 'lab contract', expected: declared, actual: returned, ok: false }];
}

/** The report data even when a step failed half-way; a report() that throws is said, not hidden. */
function safeReport<S, R>(lab: LabDefinition<S, R>, state: S, emit: (e: LabEvent) => void) {
  if (!lab.report) return { counts: EMPTY_COUNTS, results: [] };
  try {
    return lab.report(state);
  } catch (err) {
    emit({ kind: 'note', text: `report: ${err instanceof Error ? err.message : String(err)}` });
    return { counts: EMPTY_COUNTS, results: [] };
  }
}
