import { expect, test } from '@playwright/test';
import { pageKinds } from './page-kinds.ts';
import { sitemapPaths, watchForProblems } from './site.ts';

const paths = sitemapPaths();
// Plain-Markdown pages but one per section are checked over HTTP instead (static-pages.spec.ts, ADR 0103).
const { browser } = pageKinds(paths);

test('the sitemap lists the home page and every section', () => {
  for (const p of ['/', '/docs', '/adr', '/runbooks', '/docs/interview', '/runbooks/stack-health-checks']) {
    expect(paths, `sitemap.xml should list ${p}`).toContain(p);
  }
});

for (const path of browser) {
  test(`${path} answers 200 with no console errors`, async ({ page, baseURL }) => {
    const problems = watchForProblems(page, baseURL!);
    const response = await page.goto(path);
    expect(response?.status(), `status of ${path}`).toBe(200);
    await page.waitForLoadState('networkidle');
    // Mermaid renders after hydration; wait for it so its errors count too.
    const diagrams = page.locator('.docusaurus-mermaid-container');
    for (const d of await diagrams.all()) await expect(d.locator('svg')).toBeVisible();
    expect(problems).toEqual([]);
  });
}
