/**
 * The lab contract (DESIGN.md "Labs"). A lab is a folder labs/<id>/ whose lab.ts default-exports
 * a LabDefinition. Steps and checks are data: the runner executes them and the lesson page
 * renders the same list (src/components/LabBlock reads them through the lab-catalog plugin),
 * so page and lab cannot drift apart.
 */
import type { CtrCounts, CtrResult } from '../ctr/event.ts';
import type { OracleParams } from '../ctr/oracle.ts';
import type { Endpoints, StackBackend } from '../stack/backend.ts';
import type { ResourceTracker } from '../stack/resources.ts';
import type { ServiceName } from '../stack/service.ts';
import type { LabReport } from './report.ts';

export interface LabOptions {
  /** Replay this file's lines instead of the lab's generated dataset. */
  eventsFile?: string;
  seed: number;
  /** CI's short form: a smaller dataset, same checks. */
  short: boolean;
  /** `--sql DIR`: the learner's copies of the lab's SQL files (sql-overlay.ts); checked before the run. */
  sqlDir?: string;
  /** Changed oracle semantics, for an exercise that changes them (its grade.ts); the pipeline's by default. */
  oracle?: OracleParams;
  /** `--runs N`: how many times a lab that measures repeats its measurements (a lab that does not measure refuses it in preflight). */
  runs?: number;
  /** `--record`: the run's results go to static/results/ (a lab may measure more for a record). */
  record?: boolean;
  /**
   * `--job DIR`: files that replace the lab's editable job files of the same name (an exercise's
   * start/ or solution/; the PyFlink lab's jobs/v2).
   */
  overlayDir?: string;
  /** --dimension FILE: a product dimension changelog to replay (labs with enrichment). */
  dimensionFile?: string;
  /**
   * Other runs use the stack at the same time (the exercise grader runs two at once): the lab
   * leaves out steps that kill or stop a service, and ctx.stack refuses them (shared-stack.ts).
   */
  sharedStack?: boolean;
}

/** What every step gets: the stack, a run id for unique topic/table names, a tracker for what it creates. */
export interface LabContext {
  options: LabOptions;
  /** The running stack (any backend): kill or restart a service, read its logs, its CPU and memory. */
  stack: StackBackend;
  /** stack.endpoints(), read once per run. */
  endpoints: Endpoints;
  /** Unique per run (lowercase letters, digits, underscore): prefix for topics, tables, jobs. */
  runId: string;
  /**
   * Register what the run creates (topics, ClickHouse tables and views, Flink jobs): the runner
   * removes it afterwards, pass or fail, and reports what it could not remove.
   */
  track: ResourceTracker;
  /** A scratch folder of this run on this machine (files the lab itself writes and reads). */
  workDir: string;
  /** Say something under the current step (indented in the output). */
  note: (text: string) => void;
  /** Aborted on Ctrl-C: long waits should give up. */
  signal: AbortSignal;
  /** Runs fn while `service` may be down on purpose (a failure drill): the watchdog ignores it meanwhile. */
  expectOutage: <T>(service: ServiceName, fn: () => Promise<T>) => Promise<T>;
}

export interface LabStep<S> {
  id: string;
  /** Imperative, shown in the terminal and on the lesson page: "Create the topics". */
  title: string;
  /** One or two sentences for the lesson page: what happens and why. */
  explain: string;
  run: (ctx: LabContext, state: S) => Promise<void>;
}

export interface CheckSpec {
  name: string;
  /** What is compared with what, for the lesson page. */
  explain: string;
}

export interface CheckResult {
  name: string;
  expected: string;
  actual: string;
  ok: boolean;
  /** Differing rows or other evidence, printed under the table when the check fails. */
  details?: string[];
  /**
   * Not run on this backend (a drill that needs the docker backend's faults, ADR 0030): `ok` is
   * true so the run can pass, `actual` says why, and the table prints "skipped", never "pass".
   */
  skipped?: true;
}

export interface LabReportData {
  counts: CtrCounts;
  results: CtrResult[];
}

export interface LabDefinition<S = unknown, R = unknown> {
  id: string;
  title: string;
  /** Docs path of the lesson, e.g. /docs/phase-1-data-quality/lab. */
  lesson: string;
  summary: string;
  services: ServiceName[];
  /** The folder of SQL files the lab runs (absolute): `--sql DIR` mirrors its layout. None: the lab takes no --sql. */
  sql?: string;
  /** The job's source folder that `--job DIR` overlays by file name: a Maven project (its src/main) or a folder of job files (a PyFlink version). None: the lab takes no --job. */
  job?: string;
  /** Declared checks: the page renders these; evaluate() must return exactly these names. */
  checks: CheckSpec[];
  /** The lab measures and can repeat its measurements: it takes `--runs N` (median and range per figure). */
  repeatable?: true;
  /** Checks the options before anything starts (e.g. an --events file this lab cannot take); throw UsageError. */
  preflight?: (options: LabOptions & { backend?: Pick<StackBackend, 'name'> }) => void;
  /** Fresh per-run state shared by the steps. */
  init: (ctx: LabContext) => Promise<S> | S;
  steps: LabStep<S>[];
  evaluate: (ctx: LabContext, state: S) => Promise<CheckResult[]>;
  /** Counts and result rows for the report JSON (a lab without CTR results leaves it out). */
  report?: (state: S) => LabReportData;
  /**
   * What `--record` writes to static/results/<id>.json when the lab has its own results shape
   * (a benchmark, the drills), typed by the record type its page component imports too
   * (src/results/); without it the generic report is written. Called after evaluate().
   */
  record?: (state: S, report: LabReport) => R;
  /**
   * Runs after the steps, pass or fail, before the runner removes what was tracked (ctx.track):
   * for what tracking cannot express (a helper process to stop). Its errors are reported.
   */
  cleanup?: (ctx: LabContext, state: S) => Promise<void>;
}

export function defineLab<S, R = unknown>(lab: LabDefinition<S, R>): LabDefinition<S, R> {
  return lab;
}

/** The runner's own first step, before the lab's: the page lists it too. */
export const STACK_STEP = {
  id: 'stack',
  title: 'Start the stack (or reuse the running one)',
  explain: 'The services this lab declares (Kafka, Flink, ClickHouse), started on the chosen backend (local processes by default); reused when already running, and stopped at the end only if this run started them.',
} as const;
