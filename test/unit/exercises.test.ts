/** The exercise folders are well formed (no services: test/labs/exercises.ts grades them on a stack). */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadExercises } from '../../src/exercises/catalog.ts';
import { gradingOptions } from '../../src/exercises/grade.ts';
import { parseExerciseMarkdown } from '../../src/exercises/markdown.ts';
import { changeOf } from '../../src/exercises/page.ts';
import { recordedRun } from '../../src/results/terminal.ts';
import type { LabReport } from '../../src/lab/report.ts';
import { checkJobOverlay, editableOf } from '../../src/exercises/editable.ts';
import { UsageError } from '../../src/stack/errors.ts';
import { loadLab } from '../../src/lab/registry.ts';
import { repoRoot } from '../../src/stack/paths.ts';

const exercises = await loadExercises();

test('exercise ids are unique, start with their lab id, and each has a title, task, hint and solution', () => {
  assert.ok(exercises.length >= 5);
  assert.equal(new Set(exercises.map((e) => e.id)).size, exercises.length);
  for (const e of exercises) {
    assert.ok(e.id.startsWith(`${e.lab}-`), e.id);
    for (const part of [e.title, e.task, e.hint, e.solution]) assert.ok(part.length > 20 || part === e.title, `${e.id}: a part is too short`);
  }
});

for (const e of exercises) {
  test(`${e.id}: its files are the lab's editable files (SQL or job sources), and start and solution differ in each`, async () => {
    const editable = editableOf(await loadLab(e.lab));
    const known = editable.files();
    for (const f of e.files) assert.ok(known.includes(f), `${e.id}: ${f} is not one of ${e.lab}'s editable files`);
    const text = (side: 'start' | 'solution', f: string) => readFileSync((side === 'start' ? e.startFiles : e.solutionFiles).includes(f) ? join(e.dir, side, f) : editable.ownFile(f), 'utf8');
    for (const f of e.files) assert.notEqual(text('start', f), text('solution', f), `${e.id}: ${f} is the same in start and solution`);
    const events = gradingOptions(e).eventsFile;
    if (events !== undefined) assert.ok(existsSync(events), `${e.id}: grade.ts names ${events}, which does not exist`);
  });
}

test('exercise.md: a title and the three sections in order, or an error naming the file', () => {
  const ok = parseExerciseMarkdown('# T\n\n## Task\n\nDo it.\n\n## Hint\n\nLook.\n\n## Solution\n\nThis.\n', 'x.md');
  assert.deepEqual(ok, { title: 'T', task: 'Do it.', hint: 'Look.', solution: 'This.' });
  assert.throws(() => parseExerciseMarkdown('## Task\n', 'x.md'), /x\.md: the first heading/);
  assert.throws(() => parseExerciseMarkdown('# T\n## Task\na\n## Solution\nb\n', 'x.md'), /"## Task", "## Hint", "## Solution" in that order/);
  assert.throws(() => parseExerciseMarkdown('# T\n## Task\na\n## Hint\n\n## Solution\nb\n', 'x.md'), /"## Hint" is empty/);
});

test('every exercise is shown on its lab\'s lesson page, and every <Exercise id> on a page exists', async () => {
  const pageOf = (lesson: string) => ['.mdx', '.md'].map((ext) => join(repoRoot, `${lesson.replace(/^\//, '')}${ext}`)).find((p) => existsSync(p));
  const shown = new Set<string>();
  for (const e of exercises) {
    const page = pageOf((await loadLab(e.lab)).lesson);
    assert.ok(page, `${e.lab}: no lesson page`);
    const text = readFileSync(page, 'utf8');
    assert.ok(text.includes(`<Exercise id="${e.id}" />`), `${e.id} is not on ${page}`);
    for (const m of text.matchAll(/<Exercise id="([^"]+)"/g)) shown.add(m[1] as string);
  }
  for (const id of shown) assert.ok(exercises.some((e) => e.id === id), `a page shows <Exercise id="${id}" />, which does not exist`);
});

test('the page shows a solution as hunks of a unified diff against the starting file', () => {
  const start = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
  const solution = start.replace('d', 'D');
  assert.equal(changeOf('x.sql', `${start}\n`, `${solution}\n`), ['@@ -1,7 +1,7 @@', ' a', ' b', ' c', '-d', '+D', ' e', ' f', ' g'].join('\n'));
  assert.equal(changeOf('x.sql', 'same\n', 'same\n'), '');
});

test('a recorded run keeps the command as typed, per lab under `all`', () => {
  const report = { backend: 'local', startedAt: '2026-01-01T00:00:00.000Z', ok: true, durationMs: 5, versions: { kafka: '3.9.1' } } as unknown as LabReport;
  assert.equal(recordedRun('phase-1', ['phase-1', '--record'], report, ['x']).command, 'npm run lab phase-1 -- --record');
  assert.equal(recordedRun('phase-0', ['all', '--record', '--short'], report, []).command, 'npm run lab phase-0 -- --record --short');
  assert.equal(recordedRun('phase-0', ['phase-0'], report, []).command, 'npm run lab phase-0');
});

test('--job refuses a file the lab\'s job does not have, and a lab whose pipeline is SQL', async () => {
  for (const id of ['phase-2', 'phase-2-pyflink']) {
    const lab = await loadLab(id);
    const dir = mkdtempSync(join(tmpdir(), 'job-overlay-'));
    const own = editableOf(lab).files()[0] as string;
    writeFileSync(join(dir, own), '');
    assert.doesNotThrow(() => checkJobOverlay(lab, dir), `${id}: ${own} is its own file`);
    writeFileSync(join(dir, 'Typo.kt'), '');
    assert.throws(() => checkJobOverlay(lab, dir), (e: unknown) => e instanceof UsageError && /Typo\.kt is not a file of/.test(e.message));
  }
  const sqlLab = await loadLab('phase-1');
  assert.throws(() => checkJobOverlay(sqlLab, tmpdir()), (e: unknown) => e instanceof UsageError && /--sql DIR/.test(e.message));
});
