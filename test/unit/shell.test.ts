import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { requireJava } from '../../src/stack/java.ts';
import { buildJar, resolveJars } from '../../src/stack/maven.ts';
import { failureLines, notFound, sh } from '../../src/stack/shell.ts';

const dir = mkdtempSync(join(tmpdir(), 'shell-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `fn` with PATH holding one empty directory: no mvn, no java. */
async function withoutPrograms<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME };
  process.env.PATH = mkdtempSync(join(dir, 'empty-path-'));
  delete process.env.JAVA_HOME;
  try {
    return await fn();
  } finally {
    process.env.PATH = saved.PATH;
    if (saved.JAVA_HOME !== undefined) process.env.JAVA_HOME = saved.JAVA_HOME;
  }
}

let pom = '';
before(() => {
  pom = join(dir, 'pom.xml');
  writeFileSync(pom, '<project/>');
});

test('without Maven on PATH, resolving and building jars say to install it', async () => {
  await withoutPrograms(async () => {
    await assert.rejects(resolveJars(pom, join(dir, 'jars')), /^StackError: Maven not found: install it \(apt-get install maven\)/);
    await assert.rejects(buildJar(pom, 'x.jar'), /^StackError: Maven not found: install it \(apt-get install maven\)/);
  });
});

test('with no bash on PATH at all, a missing Maven still reads as not installed', () => {
  const script = `import('./src/stack/maven.ts').then((m) => m.resolveJars(${JSON.stringify(pom)}, ${JSON.stringify(join(dir, 'jars2'))})).catch((e) => console.log(e.message))`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', env: { ...process.env, PATH: mkdtempSync(join(dir, 'empty-path-')) } });
  assert.match(child.stdout, /^Maven not found: install it/, child.stderr);
});

test('without Java on PATH, requireJava says to install it', async () => {
  await withoutPrograms(async () => {
    await assert.rejects(requireJava(), /^StackError: Java not found: install Java 17/);
  });
});

test('a missing program is told apart from one that fails', async () => {
  assert.equal(notFound(await sh`no-such-program-ctr-labs --version`), true);
  assert.equal(notFound(await sh`false`), false);
});

test('arguments reach the program as they are, one each', async () => {
  const out = await sh`printf '%s\\n' ${"it's a b"} ${['$HOME', 'c;d']}`;
  assert.deepEqual(out.stdout.split('\n').slice(0, 3), ["it's a b", '$HOME', 'c;d']);
});

test('a failed command is described by its error lines and exit code', async () => {
  const out = await sh`bash -c ${'echo fine; echo "[ERROR] no route to host"; echo "[ERROR] build failed"; exit 3'}`;
  assert.equal(out.ok, false);
  assert.equal(failureLines(out), '[ERROR] no route to host\n[ERROR] build failed\n(exit code 3)');
  const quietFail = await sh`bash -c ${'for i in $(seq 30); do echo line $i; done; exit 1'}`;
  assert.equal(failureLines(quietFail, 2), 'line 29\nline 30\n(exit code 1)');
  const slow = await sh`sleep 5`.timeout(100);
  assert.match(failureLines(slow), /killed by SIGTERM/);
});

test('commands print nothing of their own: CLI output stays clean', () => {
  const script = "import('./src/stack/shell.ts').then(async ({ sh }) => { await sh`echo out; echo err >&2; no-such-program-ctr-labs`; })";
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout, '');
  assert.equal(child.stderr, '');
});
