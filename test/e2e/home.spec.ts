import { expect, test } from '@playwright/test';

const toggle = (page: import('@playwright/test').Page) =>
  page.getByRole('button', { name: /Switch between dark and light mode/ });

test('the home page says what this is and how to start, and renders the phase map as SVG', async ({ page }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Real-time CTR Labs');
  await expect(page.locator('main')).toContainText('npm run lab phase-0');

  const map = page.locator('.docusaurus-mermaid-container svg');
  await expect(map).toBeVisible();
  for (const n of [0, 1, 2, 3, 4, 5]) await expect(map).toContainText(`Phase ${n}`);

  await page.screenshot({ path: testInfo.outputPath('home-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(map).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('home-dark.png') });
});

test('a mermaid diagram in a lesson renders as SVG', async ({ page }) => {
  await page.goto('/docs/phase-0-baseline');
  const svg = page.locator('article .docusaurus-mermaid-container svg');
  await expect(svg).toBeVisible();
  await expect(svg).toContainText('ReplacingMergeTree');
});

test('dark mode follows the system preference', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/docs');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('the toggle switches light to dark, and the choice survives navigation', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');

  // The toggle cycles system -> light -> dark: at most two clicks reach dark.
  for (let i = 0; i < 2 && (await html.getAttribute('data-theme')) !== 'dark'; i++) await toggle(page).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(toggle(page)).toHaveAccessibleName(/currently dark mode/);

  await page.goto('/runbooks');
  await expect(html).toHaveAttribute('data-theme', 'dark');
});
