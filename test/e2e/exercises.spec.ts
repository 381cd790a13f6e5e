import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

/** Exercises as the pages render them from labs/<lab>/exercises/ (ids read from the folders, not retyped). */
const labsDir = new URL('../../labs/', import.meta.url);
const exercises = readdirSync(labsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .filter((lab) => existsSync(new URL(`${lab.name}/exercises/`, labsDir)))
  .flatMap((lab) => readdirSync(new URL(`${lab.name}/exercises/`, labsDir)).map((id) => ({ lab: lab.name, id })));
const lessonOf = (lab: string) => /lesson: '([^']+)'/.exec(readFileSync(new URL(`${lab}/lab.ts`, labsDir), 'utf8'))?.[1];

test('there are exercises to render', () => expect(exercises.length).toBeGreaterThan(0));

for (const { lab, id } of exercises) {
  test(`exercise ${id}: task and commands shown, hint and solution closed until opened`, async ({ page }) => {
    const lesson = lessonOf(lab);
    expect(lesson, `${lab}/lab.ts names its lesson`).toBeTruthy();
    await page.goto(`${lesson}#${id}`);
    const block = page.locator(`section[id="${id}"]`);
    await expect(block).toHaveCount(1);
    await expect(block.getByText(`npm run lab exercise ${id} -- --grade`)).toBeVisible();
    const hint = block.locator('details', { has: page.locator('summary', { hasText: 'Hint' }) });
    const solution = block.locator('details', { has: page.locator('summary', { hasText: 'Solution' }) });
    // Closed: reading on does not spoil the answer.
    await expect(hint).not.toHaveAttribute('open', /.*/);
    await expect(solution).not.toHaveAttribute('open', /.*/);
    await solution.locator('summary').first().click();
    await expect(solution).toHaveAttribute('open', /.*/);
    // The solution shows at least one change as a diff: a removed or an added line.
    const diff = solution.locator('pre.language-diff').first();
    await expect(diff).toBeVisible();
    expect(await diff.innerText()).toMatch(/^[-+]/m);
  });
}

test('each lab page with a recorded run shows it, with the command and the machine', async ({ page }) => {
  const terminalDir = new URL('../../static/results/terminal/', import.meta.url);
  const recorded = readdirSync(terminalDir).filter((f) => f.endsWith('.json'));
  expect(recorded.length).toBeGreaterThan(0);
  for (const file of recorded) {
    const run = JSON.parse(readFileSync(new URL(file, terminalDir), 'utf8')) as { lab: string; command: string; lines: string[] };
    await page.goto(lessonOf(run.lab) as string);
    const figure = page.locator(`figure[data-recorded-run="${run.lab}"]`);
    await expect(figure).toHaveCount(1);
    await expect(figure).toContainText(run.command);
    await expect(figure).toContainText(run.lines.find((l) => /: PASS|: FAIL/.test(l)) ?? run.lines[0] ?? '');
    await expect(figure.locator('figcaption')).toContainText(/cores/);
  }
});

test('the Flink UI screenshots load', async ({ page }) => {
  for (const path of ['/docs/phase-1-data-quality/lab', '/docs/phase-3-operations/recovery-lab', '/docs/phase-3-operations/throughput']) {
    await page.goto(path);
    const img = page.locator('figure[data-flink-screenshot] img').first();
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  }
});
