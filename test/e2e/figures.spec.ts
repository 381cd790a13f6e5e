import { existsSync, readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { pick } from '../../src/components/ResultFigures/path.ts';
import { pagesContaining } from './site.ts';

/**
 * Every figure a page renders with <Fig> traces to its results file: the page marks each one with
 * data-results-file and data-results-path, and here each is read from static/results/ and compared
 * with what the page shows. A figure whose file exists must show the file's value (a path that no
 * longer resolves is a stale page, not "not recorded yet"); a figure whose file is not recorded
 * must say so. The interview walkthroughs are held to more: several figures each, and every file
 * they quote named with its machine and versions.
 */
const INTERVIEW = ['/docs/interview/pitch', '/docs/interview/deep-dive', '/docs/interview/questions'];
const OTHERS = pagesContaining('data-results-file="').filter((p) => !INTERVIEW.includes(p));

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

/** Checks every marked figure on the open page; returns the results files it quotes. */
async function checkFigures(page: Page): Promise<Set<string>> {
  const figures = page.locator('[data-results-file]');
  const count = await figures.count();
  expect(count, 'the page shows measured figures').toBeGreaterThan(0);
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
    // A setup the file does not record yet (a file recorded before the setup existed) reads
    // "not recorded yet"; any other path that does not resolve is a stale page.
    const setup = /^setups\[id=([^\]]+)\]/.exec(where)?.[1];
    if (setup && !((data as { setups?: { id: string }[] }).setups ?? []).some((s) => s.id === setup)) {
      expect(text, `${file}: ${where} (setup ${setup} not recorded)`).toBe('not recorded yet');
      continue;
    }
    const value = pick(data, where);
    expect(value === undefined || value === null || typeof value === 'object', `${file}.json has a value at ${where}`).toBe(false);
    expect(text.startsWith(expectedText(value)), `${file}: ${where} shows "${text}", the file says ${JSON.stringify(value)}`).toBe(true);
  }
  return files;
}

for (const path of INTERVIEW) {
  test(`${path}: every figure equals the value in its results file`, async ({ page }) => {
    await page.goto(path);
    expect(await page.locator('[data-results-file]').count(), 'the walkthrough quotes several measured figures').toBeGreaterThan(3);
    // Each file the page quotes is named with its machine and versions (or as not recorded yet).
    for (const file of await checkFigures(page)) {
      await expect(page.locator('p', { hasText: `static/results/${file}.json` }).first()).toBeVisible();
    }
  });
}

test('pages other than the walkthroughs also quote figures from results files', () => {
  expect(OTHERS, 'the recovery lesson renders its figures with <Fig>').toContain('/docs/phase-3-operations/recovery-lab');
});

for (const path of OTHERS) {
  test(`${path}: every figure equals the value in its results file`, async ({ page }) => {
    await page.goto(path);
    await checkFigures(page);
  });
}
