import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

interface Recorded {
  command: string;
  drills: { number: number; name: string; passed: boolean; skipped?: string; recovery_seconds?: number; expected_rows?: number; actual_rows?: number }[];
}

/** The recorded drills (static/results/phase-3-recovery.json and -docker.json): what the page must show, not retype. */
const files = { local: 'phase-3-recovery.json', docker: 'phase-3-recovery-docker.json' } as const;

for (const [backend, file] of Object.entries(files)) {
  const url = new URL(`../../static/results/${file}`, import.meta.url);
  test(`the failure drills page renders every drill recorded on the ${backend} backend from its results file`, async ({ page }) => {
    expect(existsSync(url), `${file} is recorded (the page renders it)`).toBe(true);
    const recorded = JSON.parse(readFileSync(url, 'utf8')) as Recorded;
    await page.goto('/docs/phase-3-operations/recovery-lab');
    const section = page.locator(`div[data-results-backend="${backend}"]`).first();
    await expect(section.getByText(recorded.command).first()).toBeVisible();
    for (const d of recorded.drills) {
      const row = section.locator('tr', { hasText: `${d.number}. ${d.name}` });
      await expect(row).toHaveCount(1);
      if (d.recovery_seconds !== undefined) await expect(row).toContainText(`${d.recovery_seconds.toFixed(1)} s`);
      if (d.skipped) await expect(row).toContainText('skipped on this backend');
      else {
        await expect(row).toContainText(`${d.expected_rows} / ${d.actual_rows}`);
        await expect(row).toContainText(d.passed ? 'pass' : 'FAIL');
      }
    }
  });
}
