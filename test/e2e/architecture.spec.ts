import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildDir, sitemapPaths } from './site.ts';

/**
 * The architecture tour's boxes are links, and so are those of the phase-5 lab's map: every box
 * opens the lesson that builds it. Each link must lead to a page of the site and, when it names a section, to a heading
 * that exists on that page (a renamed heading would leave the box pointing nowhere).
 */
/** Pages whose first flowcharts are maps of the pipeline, and how many of them. */
const MAPS = [
  { path: '/docs/architecture', charts: 2 },
  { path: '/docs/phase-5-realistic-pipeline/lab', charts: 1 },
];

for (const map of MAPS) test(`every box of the flowcharts on ${map.path} links to an existing lesson section`, async ({ page }) => {
  await page.goto(map.path);
  const charts = page.locator('.docusaurus-mermaid-container svg');
  await expect(charts.first()).toBeVisible();
  const flowcharts = (await charts.all()).slice(0, map.charts);
  const paths = new Set(sitemapPaths());
  for (const [i, chart] of flowcharts.entries()) {
    // Mermaid wraps a box that has a `click ... href` in an <a>; a box without one stands alone.
    const boxes = await chart.locator('g.node').evaluateAll((gs) => gs.map((g) => ({ id: g.id, linked: g.closest('a') !== null })));
    expect(boxes.length, `diagram ${i + 1} has boxes`).toBeGreaterThan(5);
    expect(boxes.filter((b) => !b.linked).map((b) => b.id), `diagram ${i + 1}: boxes without a link`).toEqual([]);
    const hrefs = await chart.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? a.getAttribute('xlink:href') ?? ''));
    for (const href of hrefs) {
      const url = new URL(href, 'http://site.local');
      expect(paths.has(url.pathname), `${href}: a page of the site`).toBe(true);
      if (url.hash) {
        const html = join(buildDir, `${url.pathname}.html`);
        expect(existsSync(html) && readFileSync(html, 'utf8').includes(`id="${decodeURIComponent(url.hash.slice(1))}"`), `${href}: the section exists`).toBe(true);
      }
    }
  }
});
