/**
 * Benchmark: the wall time of each lab as a user runs it, from a stopped stack (the stack's start
 * and stop included), median of N runs, with each step's time.
 *   npm run bench:labs -- [--labs phase-0,phase-1] [--runs 3] [--full] [--record]
 * Default: every lab under labs/ in its short form (--short, what CI runs); --full runs each as
 * typed without --short. After the N runs, each lab runs twice more on one kept stack, so the
 * first submission on a fresh gateway can be compared with the second.
 * --record writes static/results/lab-times.json (lab-times-full.json with --full).
 * Refuses to run while a stack is up (the runs would reuse it and measure no start).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { cpuReference } from '../bench/cpu-reference.ts';
import { benchMachine, describeMachine } from '../bench/machine.ts';
import { median } from '../bench/stats.ts';
import { labIds } from '../lab/registry.ts';
import type { LabReport } from '../lab/report.ts';
import type { LabTimesEntry, LabTimesRecord, LabTimesRun } from '../results/lab-times.ts';
import { StackError } from '../stack/errors.ts';
import { stackBackend } from '../stack/index.ts';
import { repoRoot } from '../stack/paths.ts';
import { line, seconds, UsageError } from './output.ts';
import { runCli } from './run.ts';

const load1 = () => Number(loadavg()[0]?.toFixed(2));

/** `npm run lab <id> [...]` as a child process; its wall time and its --report. */
async function runLabCli(id: string, args: string[], scratch: string): Promise<{ wallMs: number; report: LabReport }> {
  const reportFile = join(scratch, `${id}-${Date.now()}.json`);
  const t0 = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'lab.ts'), id, ...args, '--report', reportFile], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, CI: '' },
    });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const wallMs = Date.now() - t0;
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as LabReport;
  if (code !== 0 || !report.ok) throw new StackError(`npm run lab ${id} ${args.join(' ')} failed (exit ${code}): run it by hand to see why; a benchmark of a failing lab measures nothing.`);
  return { wallMs, report };
}

const stepMs = (r: LabReport) => Object.fromEntries(r.steps.map((s) => [s.id, s.ms]));

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      labs: { type: 'string' },
      runs: { type: 'string', default: '3' },
      full: { type: 'boolean', default: false },
      record: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new UsageError('--runs takes a whole number from 1 to 20.');
  const all = labIds();
  const ids = values.labs ? values.labs.split(',').map((s) => s.trim()) : all;
  const unknown = ids.filter((id) => !all.includes(id));
  if (unknown.length) throw new UsageError(`Unknown lab(s) ${unknown.join(', ')}: one of ${all.join(', ')}.`);
  const stack = stackBackend('local');
  if ((await stack.status()).some((r) => r.state !== 'not started')) throw new StackError('A stack is running: stop it first (npm run stack down) so each run measures a full start.');

  // Measured first, on the quiet machine: records from different days compare through it.
  const speed = cpuReference();
  line(`CPU reference: ${speed.medianMs} ms (${speed.what})`);
  const form = values.full ? 'full' : 'short';
  const formArgs = values.full ? [] : ['--short'];
  const scratch = mkdtempSync(join(tmpdir(), 'bench-labs-'));
  const entries: LabTimesEntry[] = [];
  let versions: Record<string, string> = {};
  try {
    for (const id of ids) {
      const labRuns: LabTimesRun[] = [];
      const titles: Record<string, string> = {};
      for (let i = 1; i <= runs; i++) {
        const loadAverage1m = load1();
        const { wallMs, report } = await runLabCli(id, formArgs, scratch);
        for (const s of report.steps) titles[s.id] = s.title;
        versions = { ...versions, ...report.versions };
        labRuns.push({ wallMs, stepsMs: stepMs(report), loadAverage1m });
        line(`${id} (${form}) run ${i}/${runs}: ${seconds(wallMs)} wall, load ${loadAverage1m}`);
      }
      // Twice on one stack: the first run plans on a just-started gateway, the second on a used one.
      const first = await runLabCli(id, [...formArgs, '--keep'], scratch);
      const second = await runLabCli(id, formArgs, scratch).finally(() => stack.down());
      const stepIds = Object.keys(labRuns[0]?.stepsMs ?? {});
      entries.push({
        lab: id,
        form,
        runs: labRuns,
        wall_median_ms: Math.round(median(labRuns.map((r) => r.wallMs))),
        steps_median_ms: Object.fromEntries(stepIds.map((s) => [s, Math.round(median(labRuns.map((r) => r.stepsMs[s] ?? 0)))])),
        stepTitles: titles,
        firstVsSecond: { first: stepMs(first.report), second: stepMs(second.report) },
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const table = new Table({ head: ['lab', 'form', `wall (median of ${runs})`, 'slowest steps (median)', 'load 1m'], style: { head: [], border: [] } });
  for (const e of entries) {
    const slowest = Object.entries(e.steps_median_ms).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([s, ms]) => `${e.stepTitles[s] ?? s} ${seconds(ms)}`).join('; ');
    table.push([e.lab, e.form, seconds(e.wall_median_ms), slowest, e.runs.map((r) => r.loadAverage1m).join(' / ')]);
  }
  line(table.toString());
  for (const e of entries) {
    const fs = e.firstVsSecond;
    if (!fs) continue;
    const diffs = Object.keys(fs.first).filter((s) => s !== 'stack').map((s) => `${e.stepTitles[s] ?? s} ${seconds(fs.first[s] ?? 0)} then ${seconds(fs.second[s] ?? 0)}`);
    line(`${e.lab} on one stack, first run then second: ${diffs.join('; ')}`);
  }
  line(`machine: ${describeMachine()}`);
  if (values.record) {
    const out = join(repoRoot, 'static', 'results', `lab-times${values.full ? '-full' : ''}.json`);
    const command = ['npm run bench:labs --', values.labs ? `--labs ${values.labs}` : '', `--runs ${runs}`, values.full ? '--full' : '', '--record'].filter(Boolean).join(' ');
    const record: LabTimesRecord = { recordedAt: new Date().toISOString(), command, machine: benchMachine(speed), versions, labs: entries };
    writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
    line(`recorded ${out}`);
  }
  return 0;
}

runCli(main);
