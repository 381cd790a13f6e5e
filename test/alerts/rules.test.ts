/**
 * The alert rules against `promtool test rules` (ADR 0074): the lab profile's rendering of
 * src/observability/alerts/rules.ts is written beside the *.test.yml files in a temp dir, and
 * promtool runs them. Each test pins a threshold from both sides, so changing a number in
 * thresholds.ts fails here until the tests move with it. No stack needed: `npm run test:alerts`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { alertRules, recordingRules, renderAlertRules, RUNBOOKS } from '../../src/observability/alerts/rules.ts';
import { LAB_THRESHOLDS, PRODUCTION_THRESHOLDS } from '../../src/observability/alerts/thresholds.ts';
import { ALERTS } from '../../src/observability/metrics.ts';
import { repoRoot } from '../../src/stack/paths.ts';

const here = dirname(fileURLToPath(import.meta.url));
const testFiles = readdirSync(here).filter((f) => f.endsWith('.test.yml')).sort();
const work = mkdtempSync(join(tmpdir(), 'ctr-alert-tests-'));
after(() => rmSync(work, { recursive: true, force: true }));

function promtool(args: string[]) {
  const out = spawnSync('promtool', args, { cwd: work, encoding: 'utf8' });
  if (out.error) throw new Error(`promtool could not run (${out.error.message}): install it with apt-get install prometheus, or bash .ci/run --setup.`);
  return { code: out.status, text: `${out.stdout}${out.stderr}` };
}

interface PromtoolTests {
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

describe('alert rules (promtool)', () => {
  it('the lab and production renderings are valid rule files', () => {
    for (const t of [LAB_THRESHOLDS, PRODUCTION_THRESHOLDS]) {
      const file = join(work, `check-${t.profile}.yml`);
      writeFileSync(file, renderAlertRules(t));
      const out = promtool(['check', 'rules', file]);
      assert.equal(out.code, 0, out.text);
    }
  });

  it('promtool test rules passes for every test file, against the lab thresholds', () => {
    writeFileSync(join(work, 'alerts.yml'), renderAlertRules(LAB_THRESHOLDS));
    for (const f of testFiles) copyFileSync(join(here, f), join(work, f));
    const out = promtool(['test', 'rules', ...testFiles]);
    process.stdout.write(out.text.split('\n').map((l) => `# ${l}`).join('\n') + '\n');
    assert.equal(out.code, 0, out.text);
  });

  it('every alert has a case where it fires and one where it does not', () => {
    const cases = testFiles.flatMap((f) => (parse(readFileSync(join(here, f), 'utf8')) as PromtoolTests).tests.flatMap((t) => t.alert_rule_test ?? []));
    for (const rule of alertRules(LAB_THRESHOLDS)) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      assert.ok(mine.some((c) => c.exp_alerts.length > 0), `${rule.alert}: no test where it fires`);
      assert.ok(mine.some((c) => c.exp_alerts.length === 0), `${rule.alert}: no test where it stays quiet`);
    }
    assert.deepEqual(alertRules(LAB_THRESHOLDS).map((r) => r.alert).sort(), Object.values(ALERTS).sort());
  });

  it("every alert's runbook_url names runbook pages that exist and say which alert sends a reader there", () => {
    for (const rule of alertRules(LAB_THRESHOLDS)) {
      for (const slug of RUNBOOKS[rule.alert as keyof typeof RUNBOOKS]) {
        const file = join(repoRoot, 'runbooks', `${slug}.md`);
        assert.ok(existsSync(file), `${rule.alert}: runbooks/${slug}.md does not exist`);
        assert.ok(rule.annotations.runbook_url.includes(`/runbooks/${slug}`), `${rule.alert}: its runbook_url does not name ${slug}`);
        assert.ok(readFileSync(file, 'utf8').includes(`\`${rule.alert}\``), `runbooks/${slug}.md does not name the alert ${rule.alert} that sends readers there`);
      }
    }
  });
});

/**
 * The tests pin every threshold: each change below (one field of the lab profile, either way)
 * must make `promtool test rules` fail on that alert's test file. The annotations are kept as the
 * unchanged rendering's, so a failure comes from the alert's timing or value, not from its text.
 */
const MUTATIONS: { change: Partial<typeof LAB_THRESHOLDS>; file: string }[] = [
  { change: { jobNotRunningFor: '15s' }, file: 'job-not-running.test.yml' },
  { change: { jobNotRunningFor: '5s' }, file: 'job-not-running.test.yml' },
  { change: { checkpointIntervalsMissed: 4 }, file: 'checkpoints.test.yml' },
  { change: { checkpointIntervalsMissed: 2 }, file: 'checkpoints.test.yml' },
  { change: { lagWindow: '10s' }, file: 'lag.test.yml' },
  { change: { lagWindow: '30s' }, file: 'lag.test.yml' },
  { change: { lagGrowingFor: '25s' }, file: 'lag.test.yml' },
  { change: { lagGrowingFor: '15s' }, file: 'lag.test.yml' },
  { change: { dlqShare: 0.04 }, file: 'dlq-share.test.yml' },
  { change: { dlqShare: 0.06 }, file: 'dlq-share.test.yml' },
  { change: { dlqWindow: '1m' }, file: 'dlq-share.test.yml' },
  { change: { dlqFor: '10s' }, file: 'dlq-share.test.yml' },
  { change: { freshnessAllowanceSeconds: 12 }, file: 'results-stale.test.yml' },
  { change: { freshnessAllowanceSeconds: 8 }, file: 'results-stale.test.yml' },
  { change: { resultsStaleFor: '15s' }, file: 'results-stale.test.yml' },
  { change: { freshnessHorizonSeconds: 10_000_000 }, file: 'results-stale.test.yml' },
  { change: { lateWindow: '2m' }, file: 'late-dropped.test.yml' },
  { change: { lateWindow: '30s' }, file: 'late-dropped.test.yml' },
];

describe('every threshold is pinned by a promtool test', () => {
  const original = alertRules(LAB_THRESHOLDS);
  for (const { change, file } of MUTATIONS) {
    it(`${JSON.stringify(change)} fails ${file}`, () => {
      const t = { ...LAB_THRESHOLDS, ...change };
      const rules = alertRules(t).map((r) => ({ ...r, annotations: original.find((o) => o.alert === r.alert)?.annotations ?? r.annotations }));
      const dir = mkdtempSync(join(work, 'mutant-'));
      writeFileSync(join(dir, 'alerts.yml'), stringify({ groups: [{ name: 'mutant', rules: [...recordingRules(t), ...rules] }] }));
      copyFileSync(join(here, file), join(dir, file));
      const out = spawnSync('promtool', ['test', 'rules', file], { cwd: dir, encoding: 'utf8' });
      assert.equal(out.status, 1, `promtool passed with ${JSON.stringify(change)}: the tests in ${file} do not pin it`);
      assert.match(`${out.stdout}${out.stderr}`, /FAILED/);
    });
  }
});
