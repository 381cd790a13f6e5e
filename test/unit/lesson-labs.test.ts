/**
 * Lessons and labs cannot drift apart: every lab has a lesson page at its `lesson` path that
 * renders its LabBlock, and every step, check or SQL file a lesson names exists in that lab.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { DLQ_PREFIX_BYTES, DLQ_REASONS, MAX_LINE_BYTES } from '../../src/ctr/event.ts';
import { type LabCatalogEntry, labCatalog } from '../../src/lab/catalog.ts';
import { repoRoot } from '../../src/stack/paths.ts';

function docFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? docFiles(path) : /\.mdx?$/.test(name) ? [path] : [];
  });
}

/** Props of every <Tag .../> in a page, e.g. StepName -> [{ lab, id }]. */
export function tagProps(source: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of source.matchAll(new RegExp(`<${tag}\\b([^>]*)/?>`, 'g'))) {
    out.push(Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((p) => [p[1], p[2]])));
  }
  return out;
}

function pageFor(lesson: string): string | undefined {
  const rel = lesson.replace(/^\/docs\//, '');
  return ['.md', '.mdx', '/index.md', '/index.mdx'].map((ext) => join(repoRoot, 'docs', `${rel}${ext}`)).find((p) => existsSync(p));
}

const catalog: LabCatalogEntry[] = await labCatalog();
const pages = docFiles(join(repoRoot, 'docs')).map((path) => ({ path: relative(repoRoot, path), source: readFileSync(path, 'utf8') }));

test('the tag parser reads props (so the checks below can see what pages name)', () => {
  assert.deepEqual(tagProps('x <StepName lab="phase-1" id="produce" /> y', 'StepName'), [{ lab: 'phase-1', id: 'produce' }]);
});

for (const lab of catalog) {
  test(`lab ${lab.id}: its lesson ${lab.lesson} exists and renders its lab block`, () => {
    const page = pageFor(lab.lesson);
    assert.ok(page, `no page for ${lab.lesson} under docs/`);
    const blocks = tagProps(readFileSync(page, 'utf8'), 'LabBlock').map((p) => p.lab);
    assert.ok(blocks.includes(lab.id), `${relative(repoRoot, page)} has no <LabBlock lab="${lab.id}" />`);
  });
}

test('every step, check and file a lesson names exists in its lab', () => {
  const problems: string[] = [];
  const find = (id: string | undefined) => catalog.find((l) => l.id === id);
  for (const { path, source } of pages) {
    for (const p of tagProps(source, 'LabBlock')) if (!find(p.lab)) problems.push(`${path}: no lab "${p.lab}"`);
    for (const p of tagProps(source, 'StepName')) {
      const lab = find(p.lab);
      if (!lab?.steps.some((s) => s.id === p.id)) problems.push(`${path}: lab "${p.lab}" has no step "${p.id}"`);
    }
    for (const p of tagProps(source, 'CheckName')) {
      const lab = find(p.lab);
      if (!lab?.checks.some((c) => c.name === p.name)) problems.push(`${path}: lab "${p.lab}" has no check "${p.name}"`);
    }
    for (const p of tagProps(source, 'LabFile')) {
      // A path in the lab's folder, or (SQL) in its sql/ folder, which may be the library's: as LabFile looks it up.
      const inLab = (...sub: string[]) => existsSync(join(repoRoot, 'labs', p.lab ?? '', ...sub, p.file ?? ''));
      const sqlDir = find(p.lab)?.sqlDir;
      const inSql = () => sqlDir !== undefined && existsSync(join(repoRoot, sqlDir, p.file ?? ''));
      if (!inLab() && !inLab('sql') && !inSql()) problems.push(`${path}: no file labs/${p.lab}/${p.file} or labs/${p.lab}/sql/${p.file}${sqlDir ? ` or ${sqlDir}/${p.file}` : ''}`);
    }
  }
  assert.deepEqual(problems, []);
});

test("the phase-1 lesson names every DLQ reason, and the line limit as src/ctr/event.ts has it", () => {
  const page = readFileSync(join(repoRoot, 'docs', 'phase-1-data-quality', 'lab.mdx'), 'utf8');
  for (const reason of DLQ_REASONS) assert.ok(page.includes(`\`${reason}\``), `no ${reason} on the page`);
  const n = (x: number) => x.toLocaleString('en-US');
  assert.ok(page.includes(`\`MAX_LINE_BYTES\` = ${n(MAX_LINE_BYTES)} bytes`), `the page states MAX_LINE_BYTES = ${n(MAX_LINE_BYTES)} bytes`);
  assert.ok(page.includes(`its first ${n(DLQ_PREFIX_BYTES)} bytes`), `the page states the ${n(DLQ_PREFIX_BYTES)}-byte prefix`);
});
