/**
 *   npm run lab list
 *   npm run lab <id> [-- --events FILE --report FILE --keep --backend local|docker --clickhouse-image IMAGE --seed N --short --record --runs N --job DIR]
 *   npm run lab all
 *   npm run lab exercise list | <exercise-id> [-- --grade --reset --sql DIR]   (exercise.ts)
 */
import { accessSync, constants, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { labIds, loadLab } from '../lab/registry.ts';
import { resultsName } from '../results/files.ts';
import { runLab } from '../lab/runner.ts';
import { ensureStack, stackBackend } from '../stack/index.ts';
import { repoRoot } from '../stack/paths.ts';
import { exerciseCommand } from './exercise.ts';
import { printLabEvent, printOutcome, writeJson } from './lab-output.ts';
import { captureLines, formatStackEvent, line, UsageError } from './output.ts';
import { recordedRun } from '../results/terminal.ts';
import { runCli } from './run.ts';

const HELP = `usage: npm run lab -- list | <lab-id> | all [--events FILE] [--dimension FILE] [--job DIR] [--sql DIR] [--report FILE] [--keep] [--backend local|docker] [--clickhouse-image IMAGE] [--seed N] [--short] [--record] [--runs N]
       npm run lab -- exercise list | <exercise-id> [--grade] [--reset]`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        events: { type: 'string' },
        job: { type: 'string' },
        dimension: { type: 'string' },
        report: { type: 'string' },
        keep: { type: 'boolean', default: false },
        backend: { type: 'string', default: process.env.CTR_BACKEND ?? 'local' },
        'clickhouse-image': { type: 'string' },
        seed: { type: 'string', default: '42' },
        short: { type: 'boolean', default: process.env.CI === 'true' },
        record: { type: 'boolean', default: false },
        sql: { type: 'string' },
        grade: { type: 'boolean', default: false },
        reset: { type: 'boolean', default: false },
        runs: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    const flag = /'(--?[^']+)'/.exec((err as Error).message)?.[1];
    throw new UsageError(flag ? `Unknown or incomplete flag ${flag}: ${HELP}` : `${(err as Error).message}. ${HELP}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    line(HELP);
    return 0;
  }
  const [target, ...extra] = positionals;
  if (!target) throw new UsageError(`Name a lab: ${HELP}`);
  if (target === 'exercise') return exerciseCommand(extra, { grade: values.grade ?? false, reset: values.reset ?? false, sql: values.sql, backend: values.backend, clickhouseImage: values['clickhouse-image'] });
  if (values.grade || values.reset) throw new UsageError(`--grade and --reset go with an exercise: npm run lab exercise <exercise-id> -- --grade`);
  if (extra.length) throw new UsageError(`One lab at a time (got ${positionals.join(', ')}): ${HELP}`);
  const backend = stackBackend(values.backend, { clickhouseImage: values['clickhouse-image'] });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed takes a whole number (got "${values.seed}").`);
  const eventsFile = values.events ? readableFile(values.events) : undefined;
  const dimensionFile = values.dimension ? readableFile(values.dimension, 'the dimension file', 'one product version per line') : undefined;
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1 && runs <= 10)) throw new UsageError(`--runs takes a whole number from 1 to 10 (got "${values.runs}").`);
  const overlayDir = values.job ? readableDir(values.job) : undefined;

  const ids = labIds();
  if (target === 'list') return list(ids);
  const targets = target === 'all' ? ids : [target];
  if (!ids.includes(target) && target !== 'all') throw new UsageError(`Unknown lab "${target}": one of ${ids.join(', ')} (or list, all).`);
  if (target === 'all' && (values.events || values.report || values.sql || values.job || values.dimension)) throw new UsageError('--events, --sql, --job, --dimension and --report go with one lab, not all.');

  const controller = new AbortController();
  const onSigint = () => {
    line('\nInterrupted: stopping this lab and what it started...');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  let failures = 0;
  const notRun: string[] = [];
  // `all` shares one stack: started here when none runs, so each lab reuses it, stopped at the end.
  const shared = targets.length > 1 ? await ensureStack(backend, { listener: (e) => line(`           ${formatStackEvent(e)}`), signal: controller.signal }) : undefined;
  try {
    for (const id of targets) {
      const lab = await loadLab(id);
      // `all`: a lab that cannot run here (its preflight says why, e.g. the PyFlink lab on docker)
      // is reported as not run, and the others still run.
      if (targets.length > 1 && lab.preflight) {
        try {
          lab.preflight({ seed, short: values.short ?? false, backend });
        } catch (err) {
          if (!(err instanceof UsageError)) throw err;
          line(`Lab ${id}: NOT RUN: ${err.message}`);
          notRun.push(id);
          continue;
        }
      }
      const { result: report, lines: terminal } = await captureLines(async () => {
        const r = await runLab(lab, {
          backend,
          workRoot: join(repoRoot, '.stack', 'runs'),
          eventsFile,
          sqlDir: values.sql,
          ...(overlayDir ? { overlayDir } : {}),
          ...(dimensionFile ? { dimensionFile } : {}),
          seed,
          short: values.short ?? false,
          runs,
          record: values.record ?? false,
          keep: values.keep ?? false,
          signal: controller.signal,
          onEvent: printLabEvent(Date.now()),
          stackListener: (e) => line(`           ${formatStackEvent(e)}`),
        });
        printOutcome(lab, r);
        return r;
      });
      if (values.report) writeJson(resolve(values.report), report);
      // An interrupted run records nothing: a results file holds complete runs only.
      if (values.record && !controller.signal.aborted) {
        writeJson(join(repoRoot, 'static', 'results', `${resultsName(id, report.backend)}.json`), report.record ?? report);
        // The terminal output too, as printed: the lesson page shows it to readers without a machine.
        writeJson(join(repoRoot, 'static', 'results', 'terminal', `${resultsName(id, report.backend)}.json`), recordedRun(id, argv, report, terminal));
      } else if (values.record) line('--record: interrupted, so nothing was recorded.');
      if (!report.ok) failures++;
      if (controller.signal.aborted) break;
    }
  } finally {
    process.off('SIGINT', onSigint);
    if (shared && !values.keep) await shared.release();
  }
  if (targets.length > 1) line(`${targets.length - failures - notRun.length} passed, ${failures} failed${notRun.length ? `, ${notRun.length} not run here (${notRun.join(', ')})` : ''}`);
  if (controller.signal.aborted) return 130; // the shell's code for Ctrl-C
  return failures === 0 ? 0 : 1;
}

function readableFile(path: string, what = 'the events file', shape = 'one event per line'): string {
  const abs = resolve(path);
  try {
    if (!statSync(abs).isFile()) throw new Error('not a file');
    accessSync(abs, constants.R_OK);
  } catch {
    throw new UsageError(`Cannot read ${what} ${path}: give a readable JSON-lines file (${shape}).`);
  }
  return abs;
}

function readableDir(path: string): string {
  const abs = resolve(path);
  if (!statSync(abs, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--job takes a folder of job files (an exercise's start/ or solution/); ${path} is not one.`);
  return abs;
}

async function list(ids: string[]): Promise<number> {
  const table = new Table({ head: ['lab', 'title', 'lesson'], style: { head: [], border: [] } });
  for (const id of ids) {
    const lab = await loadLab(id);
    table.push([lab.id, lab.title, lab.lesson]);
  }
  line(table.toString());
  return 0;
}

runCli(main);
