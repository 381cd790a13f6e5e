import { expect, test } from '@playwright/test';
import { pagesContaining } from './site.ts';

/**
 * No figure without its setup (issue 14): every figure component on every page (a <Fig> value, a
 * table of recorded results) shows its setup: always the machine and the number of runs, and for a
 * figure a pipeline produced (a throughput setup, a recovery drill) the delivery guarantee it was
 * measured with. So "75,000 events/s" cannot stand next to "exactly-once" without saying which
 * setup it came from.
 */
const PAGES = pagesContaining('data-figure="');

test('the pages with recorded figures include the throughput lesson and the interview walkthroughs', () => {
  for (const p of ['/docs/phase-3-operations/throughput', '/docs/phase-3-operations/recovery-lab', '/docs/interview/pitch', '/docs/interview/questions', '/docs/interview/deep-dive']) expect(PAGES).toContain(p);
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
      // Its setup: the figure itself states it (a paragraph), or the first setup inside it (a chip, a note, a column head).
      const own = (await fig.getAttribute('data-setup')) !== null ? fig : fig.locator('[data-setup]').first();
      await expect(own, `figure ${i} (${file}) has a setup`).toHaveCount(1);
      const setup = (await own.getAttribute('data-setup')) as string;
      if (setup === 'missing') {
        // Only a file that is not recorded yet may lack a setup, and then the figure says so.
        await expect(fig).toContainText(/not recorded yet|no run recorded/);
        continue;
      }
      expect(setup.length, `figure ${i} (${file}): the setup says something`).toBeGreaterThan(3);
      await expect(own, `figure ${i} (${file}): the setup is visible`).toBeVisible();
      // A pipeline figure names its delivery guarantee (once its setup is recorded: until then the value says "not recorded yet").
      if ((await fig.locator('[data-results-missing]').count()) > 0) continue;
      const paths = fig.locator('[data-results-path]');
      const where = (await paths.count()) > 0 ? ((await paths.first().getAttribute('data-results-path')) ?? '') : '';
      if (/^(setups|drills)\[/.test(where)) {
        expect((await own.getAttribute('data-setup-delivery')) ?? '', `figure ${i} (${file}: ${where}) names its delivery guarantee`).not.toBe('');
      }
    }
  });
}

test('the pitch quotes the exactly-once figure as the headline and the relaxed one as without delivery guarantees', async ({ page }) => {
  await page.goto('/docs/interview/pitch');
  const quote = page.locator('blockquote');
  const eo = quote.locator('[data-figure]', { has: page.locator('[data-results-path="setups[id=exactly-once].sustainable_events_per_s.median"]') });
  const relaxed = quote.locator('[data-figure]', { has: page.locator('[data-results-path="setups[id=relaxed].sustainable_events_per_s.median"]') });
  await expect(eo).toHaveCount(1);
  await expect(relaxed).toHaveCount(1);
  await expect(relaxed.locator('[data-setup]')).toContainText('without delivery guarantees');
  // The headline comes first.
  const text = await quote.innerText();
  expect(text.indexOf('exactly-once')).toBeLessThan(text.indexOf('without delivery guarantees'));
});
