import { expect, test } from '@playwright/test';
import { pagesContaining } from './site.ts';

/**
 * No figure without its setup (issue 14): every figure component on every page (a <Fig> value, a
 * table of recorded results) carries a visible setup: the delivery guarantee and checkpointing
 * where a pipeline produced it, always the machine and the number of runs. A figure from a
 * pipeline must name its delivery guarantee, so "75,000 events/s" cannot stand next to
 * "exactly-once" without saying which setup it was measured with.
 */
const PAGES = pagesContaining('data-figure="');
const PIPELINE_FILES = ['phase-3-throughput', 'phase-3-recovery', 'phase-3-recovery-docker'];

test('the pages with recorded figures include the throughput lesson and the interview walkthroughs', () => {
  for (const p of ['/docs/phase-3-operations/throughput', '/docs/interview/pitch', '/docs/interview/questions', '/docs/interview/deep-dive']) expect(PAGES).toContain(p);
});

for (const path of PAGES) {
  test(`${path}: every figure shows its setup`, async ({ page }) => {
    await page.goto(path);
    const figures = page.locator('[data-figure]');
    const count = await figures.count();
    expect(count, 'the page renders figure components').toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const fig = figures.nth(i);
      const file = (await fig.getAttribute('data-figure')) as string;
      // The figure's own setup: inside it, or the figure itself (a paragraph that states its setup).
      const setups = fig.locator('[data-setup]').or(page.locator(`[data-figure="${file}"][data-setup]`).nth(i));
      const own = (await fig.getAttribute('data-setup')) !== null ? fig : fig.locator('[data-setup]').first();
      await expect(own, `figure ${i} (${file}) has a setup`).toHaveCount(1);
      const text = (await own.getAttribute('data-setup')) as string;
      expect(text.length, `figure ${i} (${file}): its setup says something`).toBeGreaterThan(3);
      if (text === 'missing') continue; // a file not recorded yet: its value says "not recorded yet"
      await expect(own, `figure ${i} (${file}): the setup is visible`).toBeVisible();
      if (PIPELINE_FILES.includes(file) && (await fig.locator('[data-results-path^="goal."], [data-results-path^="generator."]').count()) === 0 && (await fig.getAttribute('data-setup')) === null && (await fig.locator('table').count()) === 0) {
        expect((await own.getAttribute('data-setup-delivery')) ?? '', `figure ${i} (${file}): a pipeline figure names its delivery guarantee`).not.toBe('');
      }
      void setups;
    }
  });
}
