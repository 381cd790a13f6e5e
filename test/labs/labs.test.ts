/**
 * Every lab on the local backend, sharing one stack: started here if none runs (and stopped
 * after), reused otherwise. Each lab runs its short form and must pass all its checks.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';
import { labIds, loadLab } from '../../src/lab/registry.ts';
import { checksTable, failureDetails } from '../../src/lab/report.ts';
import { runLab } from '../../src/lab/runner.ts';
import { type EnsuredStack, ensureStack } from '../../src/stack/index.ts';

const log = (line: string) => process.stdout.write(`# ${line}\n`);
let stack: EnsuredStack | undefined;

before(async () => {
  stack = await ensureStack({ listener: (e) => log(formatStackEvent(e)) });
});
after(async () => {
  await stack?.release();
});

for (const id of labIds()) {
  test(`lab ${id} passes every check (short form, seed 42)`, async () => {
    const lab = await loadLab(id);
    const report = await runLab(lab, {
      seed: 42,
      short: true,
      keep: true,
      signal: new AbortController().signal,
      onEvent: (e) => {
        if (e.kind === 'step-end') log(`${e.id}: ${e.ok ? 'done' : 'FAILED'} in ${(e.ms / 1000).toFixed(1)} s${e.error ? ` ${e.error}` : ''}`);
      },
    });
    if (!report.ok) log([checksTable(report.checks), ...failureDetails(report.checks)].join('\n'));
    assert.deepEqual(
      report.checks.filter((c) => !c.ok).map((c) => c.name),
      [],
      'failing checks',
    );
    assert.equal(report.checks.length, lab.checks.length, 'every declared check ran');
  });
}
