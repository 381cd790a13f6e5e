import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ThroughputRecord } from '../../src/bench/throughput-record.ts';
import { buildDir, watchForProblems } from './site.ts';

const PAGE = '/docs/phase-3-operations/throughput';
const recorded = JSON.parse(readFileSync(join(buildDir, '..', 'static', 'results', 'phase-3-throughput.json'), 'utf8')) as ThroughputRecord;
const n = (x: number) => Math.round(x).toLocaleString('en-US');

test('the throughput page shows the recorded figures in its static HTML', () => {
  const html = readFileSync(join(buildDir, 'docs', 'phase-3-operations', 'throughput.html'), 'utf8');
  // Each recorded setup's headline, with its delivery guarantee named in the same table.
  expect(recorded.setups.length, 'the file records at least one setup').toBeGreaterThan(0);
  for (const s of recorded.setups) {
    expect(html).toContain(`${n(s.sustainable_events_per_s.median)} events/s`);
    expect(html).toContain(s.delivery);
  }
  expect(html).toContain(recorded.machine.cpuModel);
  expect(html).toContain(recorded.final_config);
});

test('the throughput page renders the tables and, after hydration, one chart per figure', async ({ page, baseURL }) => {
  const problems = watchForProblems(page, baseURL!);
  await page.goto(PAGE);
  await expect(page.getByRole('heading', { name: 'Results on this machine' })).toBeVisible();
  // the steps table: one row per recorded step
  const steps = page.locator('table').filter({ hasText: 'latency p50 / p95 / p99' });
  await expect(steps.locator('tbody tr')).toHaveCount(recorded.steps.length);
  const summary = page.locator('table').filter({ hasText: 'R2 = sustainable / pass-through job' });
  for (const s of recorded.setups) await expect(summary).toContainText(s.r2.toFixed(2));
  // Both setups have a column, side by side: a setup not recorded says so.
  await expect(summary.locator('thead th')).toContainText(['figure', 'exactly-once', 'without delivery guarantees', 'goal']);
  const figures = page.locator('figure:has([data-plot])');
  await expect(figures).toHaveCount(2);
  for (const f of await figures.all()) await expect(f.locator('svg').first()).toBeVisible();
  // the lab block lists the lab's steps
  await expect(page.getByText('Measure the generator alone').first()).toBeVisible();
  expect(problems).toEqual([]);
});
