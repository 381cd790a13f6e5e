import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/print-lots.ts', import.meta.url));

test('a CLI piped into another program hands over all its output before it exits, with its exit code', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Read slowly, as a busy reader of a pipe would, so the writer has to wait for it.
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d;
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 5);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 5000, `all 5000 lines arrived (${out.length} bytes)`);
  assert.equal(lines.at(-1), `line 4999 ${'x'.repeat(60)}`);
  assert.equal(code, 3);
});
