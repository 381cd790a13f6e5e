/**
 * The runbook convention itself, without services: the parser, and every runbook holding runnable
 * blocks without placeholders. The live tests in runbooks.test.ts run those blocks.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../src/stack/paths.ts';
import { parseBlocks, runbookBlocks, select } from './blocks.ts';

test('parseBlocks reads role, case and body of titled bash blocks and skips the rest', () => {
  const md = ['# t', '```bash', 'echo example', '```', '```bash title="diagnose idle-partition"', 'echo one', '```', '- item', '  ```bash title="fix"', '  echo two', '  ```'].join('\n');
  const blocks = parseBlocks(md);
  assert.deepEqual(
    blocks.map(({ role, caseName, code, line }) => ({ role, caseName, code, line })),
    [
      { role: 'diagnose', caseName: 'idle-partition', code: 'echo one', line: 5 },
      { role: 'fix', caseName: '', code: 'echo two', line: 9 },
    ],
  );
  assert.equal(select(blocks, 'diagnose', 'idle-partition').length, 1);
  assert.throws(() => select(blocks, 'confirm'), /no `bash title="confirm"` block/);
});

test('parseBlocks refuses an unknown role and an unclosed block', () => {
  assert.throws(() => parseBlocks('```bash title="repair"\nx\n```'), /"repair" is not one of setup, diagnose, fix, confirm/);
  assert.throws(() => parseBlocks('```bash title="fix"\nx\n'), /never closed/);
});

// Runbooks are .md files; the index (index.mdx) explains the convention and holds no runbook.
const runbooks = readdirSync(join(repoRoot, 'runbooks')).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''));

for (const name of runbooks) {
  test(`runbook ${name} has setup, diagnose and confirm blocks, with nothing to fill in`, () => {
    const blocks = runbookBlocks(name);
    assert.equal(select(blocks, 'setup').length, 1);
    assert.ok(blocks.some((b) => b.role === 'diagnose'), 'a diagnose block');
    assert.ok(blocks.some((b) => b.role === 'confirm'), 'a confirm block');
    for (const b of blocks) assert.doesNotMatch(b.code, /<[a-z][a-z -]*>/i, `line ${b.line}: a runnable block holds a <placeholder>`);
    assert.match(select(blocks, 'setup')[0]?.code ?? '', /eval "\$\(npm run -s stack env\)"/);
  });
}
