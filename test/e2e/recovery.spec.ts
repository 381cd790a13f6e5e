import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

/** The recorded drills (static/results/phase-3-recovery.json): what the page must show, not retype. */
const recorded = JSON.parse(readFileSync(new URL('../../static/results/phase-3-recovery.json', import.meta.url), 'utf8')) as {
  command: string;
  drills: { number: number; name: string; passed: boolean; recovery_seconds?: number; expected_rows?: number; actual_rows?: number }[];
};

test('the failure drills page renders every recorded drill from the results file', async ({ page }) => {
  await page.goto('/docs/phase-3-operations/recovery-lab');
  await expect(page.getByText(recorded.command).first()).toBeVisible();
  for (const d of recorded.drills) {
    const row = page.locator('tr', { hasText: `${d.number}. ${d.name}` });
    await expect(row).toHaveCount(1);
    if (d.recovery_seconds !== undefined) await expect(row).toContainText(`${d.recovery_seconds.toFixed(1)} s`);
    await expect(row).toContainText(`${d.expected_rows} / ${d.actual_rows}`);
    await expect(row).toContainText(d.passed ? 'pass' : 'FAIL');
  }
});
