import { expect, test } from '@playwright/test';
import { pagesContaining } from './site.ts';

// Planted in one lesson (Phase 1). If it spreads to a second page, or the search stops leading
// to the page that has it, this test fails.
const WORD = 'laggards';

test(`offline search finds "${WORD}" on the one lesson that has it and goes there`, async ({ page }) => {
  const pages = pagesContaining(WORD);
  expect(pages, `"${WORD}" must occur on exactly one built docs page`).toHaveLength(1);
  const expected = pages[0]!;

  await page.goto('/');
  const input = page.locator('input.navbar__search-input');
  await input.fill(WORD);
  const options = page.locator('.navbar__search [role="option"]');
  await expect(options.first()).toBeVisible();
  await expect(options.first()).toContainText(WORD, { ignoreCase: true });
  await input.press('Enter');

  await expect(page).toHaveURL((url) => url.pathname === expected);
  await expect(page.locator('article')).toContainText(WORD);
});
