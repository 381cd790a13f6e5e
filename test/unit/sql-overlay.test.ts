import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sqlOverlay, withSqlOverlay } from '../../src/lab/sql-overlay.ts';
import { readSql, renderSql } from '../../src/lab/sql.ts';
import { UsageError } from '../../src/stack/errors.ts';

const root = mkdtempSync(join(tmpdir(), 'sql-overlay-'));
after(() => rmSync(root, { recursive: true, force: true }));

// A lab's SQL folder and a learner's copy of one of its files.
const lab = join(root, 'lab');
mkdirSync(join(lab, 'flink'), { recursive: true });
writeFileSync(join(lab, 'flink', '10-a.sql'), 'SELECT ${x} AS lab_a;\n');
writeFileSync(join(lab, 'flink', '20-b.sql'), 'SELECT 2 AS lab_b;\n');
writeFileSync(join(lab, 'README.md'), 'not SQL\n');
const mine = join(root, 'mine');
mkdirSync(join(mine, 'flink'), { recursive: true });
writeFileSync(join(mine, 'flink', '10-a.sql'), 'SELECT ${x} AS mine_a;\n');

test('inside a run with an overlay, the learner file replaces the lab file of the same path; the others are the lab\'s', async () => {
  const overlay = sqlOverlay('lab-x', lab, mine);
  await withSqlOverlay(overlay, async () => {
    assert.equal(renderSql(join(lab, 'flink', '10-a.sql'), { x: 1 }), 'SELECT 1 AS mine_a;\n');
    assert.equal(readSql(join(lab, 'flink', '20-b.sql')), 'SELECT 2 AS lab_b;\n');
  });
  // Outside the run, and in a run without an overlay, the lab's own file.
  assert.equal(readSql(join(lab, 'flink', '10-a.sql')), 'SELECT ${x} AS lab_a;\n');
  await withSqlOverlay(undefined, async () => assert.equal(readSql(new URL(`file://${join(lab, 'flink', '10-a.sql')}`)), 'SELECT ${x} AS lab_a;\n'));
});

test('two runs side by side each read their own overlay', async () => {
  const other = join(root, 'other');
  mkdirSync(join(other, 'flink'), { recursive: true });
  writeFileSync(join(other, 'flink', '10-a.sql'), 'other\n');
  const read = (dir: string) =>
    withSqlOverlay(sqlOverlay('lab-x', lab, dir), async () => {
      await new Promise((r) => setTimeout(r, 5));
      return readSql(join(lab, 'flink', '10-a.sql'));
    });
  assert.deepEqual(await Promise.all([read(mine), read(other)]), ['SELECT ${x} AS mine_a;\n', 'other\n']);
});

test('a missing folder, a file the lab does not have, or a lab without SQL: one sentence, a UsageError', () => {
  assert.throws(() => sqlOverlay('lab-x', lab, join(root, 'nope')), (e: unknown) => e instanceof UsageError && /no such folder/.test(e.message) && /flink\/10-a\.sql/.test(e.message));
  const typo = join(root, 'typo');
  mkdirSync(join(typo, 'flink'), { recursive: true });
  writeFileSync(join(typo, 'flink', '10-aa.sql'), 'x');
  writeFileSync(join(typo, 'README.md'), 'x');
  assert.throws(() => sqlOverlay('lab-x', lab, typo), (e: unknown) => e instanceof UsageError && /README\.md, flink\/10-aa\.sql are not one of the SQL files lab-x runs \(\/tmp\//.test(e.message));
  assert.throws(() => sqlOverlay('lab-y', undefined, mine), (e: unknown) => e instanceof UsageError && /has no SQL files/.test(e.message));
});
