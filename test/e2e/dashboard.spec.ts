import { existsSync, readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { allPanels, renderQuery } from '../../src/observability/panels.ts';
import type { ObservabilityRecord } from '../../src/results/observability.ts';

const recordUrl = new URL('../../static/results/phase-5-observability.json', import.meta.url);
const recorded = () => {
  expect(existsSync(recordUrl), 'static/results/phase-5-observability.json is recorded (npm run lab phase-5-observability -- --record)').toBe(true);
  return JSON.parse(readFileSync(recordUrl, 'utf8')) as ObservabilityRecord;
};

/** Requests the page makes off the site's own server, other than to `allowed`. */
function strayRequests(page: Page, baseURL: string, allowed: string): string[] {
  const stray: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(new URL(baseURL).origin) && !r.url().startsWith(allowed) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) stray.push(r.url());
  });
  return stray;
}

test('the live dashboard says plainly that no stack is running when no Prometheus answers', async ({ page, baseURL }) => {
  // A port nothing listens on: the browser's request is refused, as with no stack running.
  const prometheus = 'http://127.0.0.1:9';
  const stray = strayRequests(page, baseURL!, prometheus);
  await page.goto(`/dashboard?prometheus=${encodeURIComponent(prometheus)}`);
  const root = page.locator('[data-dashboard-state]');
  await expect(root).toHaveAttribute('data-dashboard-state', 'down');
  await expect(root.getByRole('status')).toContainText('No stack running');
  await expect(root.getByRole('status')).toContainText(prometheus);
  await expect(root.getByRole('status')).toContainText('npm run stack up');
  await expect(page.locator('[data-panel]')).toHaveCount(0);
  expect(stray).toEqual([]);
});

test('the live dashboard draws every panel from Prometheus answers (the recorded run, served as Prometheus would)', async ({ page, baseURL }) => {
  const rec = recorded();
  const prometheus = 'http://127.0.0.1:9';
  // Prometheus' HTTP API, answered from the recorded run: each panel's query (as the page renders
  // it, every run) gets the series the lab recorded for that panel.
  const byQuery = new Map(allPanels().map((p) => [renderQuery(p.query), rec.series[p.id] ?? []]));
  const asked: string[] = [];
  // The page and Prometheus are on different origins: Prometheus' CORS header, as --web.cors.origin sends it.
  const headers = { 'access-control-allow-origin': new URL(baseURL!).origin };
  await page.route(`${prometheus}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/api/v1/status/buildinfo') return route.fulfill({ headers, json: { status: 'success', data: { version: rec.prometheus.version } } });
    if (url.pathname === '/api/v1/query_range') {
      const q = url.searchParams.get('query') ?? '';
      asked.push(q);
      const series = byQuery.get(q);
      if (!series) return route.fulfill({ headers, status: 400, json: { status: 'error', errorType: 'bad_data', error: `unexpected query ${q}` } });
      return route.fulfill({ headers, json: { status: 'success', data: { resultType: 'matrix', result: series.map((s) => ({ metric: s.labels, values: s.points.map(([t, v]) => [t, String(v)]) })) } } });
    }
    return route.fulfill({ headers, status: 404, body: 'not found' });
  });
  await page.goto(`/dashboard?prometheus=${encodeURIComponent(prometheus)}`);
  await expect(page.locator('[data-dashboard-state]')).toHaveAttribute('data-dashboard-state', 'live');
  await expect(page.locator('[data-dashboard-state]')).toContainText(`Prometheus ${rec.prometheus.version}`);
  for (const p of allPanels()) {
    const panel = page.locator(`[data-panel="${p.id}"]`);
    const n = (rec.series[p.id] ?? []).filter((s) => s.points.length > 0).length;
    await expect(panel, `${p.id}: drawn with its recorded series`).toHaveAttribute('data-series', String(n));
    if (n > 0) await expect(panel.locator('svg').first()).toBeVisible();
  }
  expect(new Set(asked)).toEqual(new Set(byQuery.keys()));
});

test('the observability lesson renders the recorded run: faults, counts against the oracle, and every panel as a chart', async ({ page }) => {
  const rec = recorded();
  await page.goto('/docs/phase-5-realistic-pipeline/observability');
  const summary = page.locator('[data-observability-run="summary"]');
  await expect(summary.getByText(rec.command).first()).toBeVisible();
  for (const f of rec.faults) {
    const row = summary.locator('[data-observability-table="faults"] tr', { hasText: f.title });
    await expect(row).toHaveCount(1);
    if (f.fireSeconds !== undefined) await expect(row).toContainText(`${f.fireSeconds.toFixed(0)} s`);
    if (f.skipped) await expect(row).toContainText(f.skipped);
  }
  for (const c of rec.counts) {
    const row = summary.locator('[data-observability-table="counts"] tr', { hasText: c.name });
    await expect(row).toContainText(c.oracle);
    await expect(row).toContainText(c.ok ? 'yes' : 'no');
  }
  const charts = page.locator('[data-observability-run="charts"]');
  for (const p of allPanels()) {
    const n = (rec.series[p.id] ?? []).filter((s) => s.points.length > 0).length;
    await expect(charts.locator(`[data-panel="${p.id}"]`)).toHaveAttribute('data-series', String(n));
  }
  await expect(charts.locator('[data-panel] svg').first()).toBeVisible();
});
