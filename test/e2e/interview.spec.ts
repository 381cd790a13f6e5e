import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { pick } from '../../src/components/ResultFigures/path.ts';

/**
 * Every figure on the interview walkthroughs traces to its results file: the page marks each one
 * with data-results-file and data-results-path, and here each is read from static/results/ and
 * compared with what the page shows. A figure whose file exists must show the file's value (a path
 * that no longer resolves is a stale page, not "not recorded yet"); a figure whose file is not
 * recorded must say so.
 */
const PAGES = ['/docs/interview/pitch', '/docs/interview/deep-dive', '/docs/interview/questions'];

function resultsFile(name: string): unknown {
  const file = new URL(`../../static/results/${name}.json`, import.meta.url);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** How the figure must read: numbers as en-US with separators, booleans as yes/no, text as is. */
function expectedText(value: unknown): string {
  if (typeof value === 'number') return new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 }).format(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

for (const path of PAGES) {
  test(`${path}: every figure equals the value in its results file`, async ({ page }) => {
    await page.goto(path);
    const figures = page.locator('[data-results-file]');
    const count = await figures.count();
    expect(count, 'the page shows measured figures').toBeGreaterThan(3);
    const files = new Set<string>();
    for (let i = 0; i < count; i++) {
      const fig = figures.nth(i);
      const file = (await fig.getAttribute('data-results-file')) as string;
      const where = (await fig.getAttribute('data-results-path')) as string;
      const text = (await fig.innerText()).replace(/\u00a0/g, ' ');
      files.add(file);
      const data = resultsFile(file);
      if (data === undefined) {
        expect(text, `${file}: ${where} (file not recorded)`).toBe('not recorded yet');
        continue;
      }
      const value = pick(data, where);
      expect(value === undefined || value === null || typeof value === 'object', `${file}.json has a value at ${where}`).toBe(false);
      expect(text.startsWith(expectedText(value)), `${file}: ${where} shows "${text}", the file says ${JSON.stringify(value)}`).toBe(true);
    }
    // Each file the page quotes is named with its machine and versions (or as not recorded yet).
    for (const file of files) {
      await expect(page.locator('p', { hasText: `static/results/${file}.json` }).first()).toBeVisible();
    }
  });
}
