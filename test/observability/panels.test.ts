/**
 * The dashboard against the shared stack's Prometheus: every panel's query (the live page's and
 * Grafana's, src/observability/panels.ts) parses and returns series for a recent run of the
 * observability lab. In `npm test` the lab's short form has just run in test/labs (this folder
 * runs after it) and left its series in Prometheus; run alone, this file runs the lab first.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';
import { EXPORTER, RULES } from '../../src/observability/metrics.ts';
import { allPanels, renderQuery } from '../../src/observability/panels.ts';
import { queryInstant, queryRange } from '../../src/observability/query-api.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';
import { jobNameOf } from '../../labs/phase-5-observability/pipeline.ts';
import { runLabForTest } from '../labs/run-lab.ts';

const LAB = 'phase-5-observability';
/** How far back a lab run still counts as recent: test/labs, which runs the lab first in `npm test`, takes a while after it. */
const RECENT_MIN = 60;
/** Scrapes a run's series must have been seen in: at the 5 s scrape interval, 20 s of them cover at least one of the panels' 15 s steps. */
const MIN_SAMPLES = 4;
const log = (line: string) => process.stdout.write(`# ${line}\n`);
let stack: EnsuredStack | undefined;
let prometheus = '';
let run = '';
const scratch = mkdtempSync(join(tmpdir(), 'ctr-panels-'));

/**
 * The newest observability run Prometheus has series of, if any in the last RECENT_MIN minutes:
 * of its DLQ counter and of its result rows, so a run of the pipeline that has its DLQ. In `npm test` the exercise grader
 * also runs this lab after the lab test, and its last run is the exercise's starting files, whose
 * DLQ branch is silently dropped on purpose: it has no DLQ series, and is not the run to check.
 */
async function recentRun(): Promise<string | undefined> {
  // The time of each run's last sample (a subquery: timestamp() of a range function would give the evaluation time).
  // Only runs whose results the exporter also saw, and for which the freshness rule was evaluated:
  // a grading run can end (and drop its tables) between two of the exporter's reads, or before the
  // next rule evaluation, and then has DLQ series but no result rows, or rows but no results age.
  const runs = `{run=~"phase_5_observability_.*"}`;
  // Seen in at least MIN_SAMPLES scrapes: a series scraped once or twice can fall between two of the
  // panels' 15 s steps and return nothing there (dry run 27: results-rows of a run whose tables
  // were dropped right after one scrape).
  const seen = (metric: string) => `(max by (run) (count_over_time(${metric}${runs}[${RECENT_MIN}m])) >= ${MIN_SAMPLES})`;
  // And whose job the exporter saw running with checkpointing on (the checkpoint panels): a grading
  // run's job can end between two of its reads too (dry run 25 picked one). That metric is labelled
  // by job name, so the run is read out of it.
  const jobSeen = `(max by (run) (label_replace(count_over_time(${EXPORTER.lastCheckpointCompleted}[${RECENT_MIN}m]), "run", "$1", "job_name", "${jobNameOf('')}(.+)")) >= ${MIN_SAMPLES})`;
  const rows = await queryInstant(
    prometheus,
    `max by (run) (max_over_time(timestamp(${EXPORTER.dlqEvents}${runs})[${RECENT_MIN}m:15s])) and on (run) ${seen(EXPORTER.resultRows)} and on (run) ${seen(RULES.resultsAge)} and on (run) ${jobSeen}`,
  );
  return rows.sort((a, b) => b.value - a.value)[0]?.labels.run;
}

before(async () => {
  stack = await ensureStack(stackBackend(), { listener: (e) => log(formatStackEvent(e)) });
  prometheus = stack.endpoints.prometheus;
  let found = await recentRun();
  if (!found) {
    log(`no ${LAB} run in Prometheus' last ${RECENT_MIN} minutes: running its short form first`);
    const { report } = await runLabForTest(LAB, { backend: stackBackend(), workRoot: scratch, log });
    assert.ok(report.steps.every((s) => s.ok), `${LAB} ran every step`);
    found = await recentRun();
  }
  assert.ok(found, `Prometheus has series of a ${LAB} run`);
  run = found;
  log(`panels checked against run ${run}`);
});
after(async () => {
  await stack?.release();
  rmSync(scratch, { recursive: true, force: true });
});

for (const p of allPanels()) {
  test(`panel ${p.id} (${p.title}): the query parses and returns series for the run`, async () => {
    const end = Math.floor(Date.now() / 1000);
    // queryRange throws QueryError with Prometheus' own message when the query does not parse.
    const series = await queryRange(prometheus, renderQuery(p.query, { run }), { start: end - RECENT_MIN * 60, end, stepSeconds: 15, legend: p.legend });
    assert.ok(series.length > 0, `${p.id} returned no series: ${renderQuery(p.query, { run })}`);
    assert.ok(series.every((s) => s.points.length > 0), `${p.id}: every series has points`);
  });
}
