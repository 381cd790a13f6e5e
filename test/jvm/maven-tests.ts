/**
 * `npm run test:jvm`: the JVM jobs' own tests (Maven Surefire: Flink's operator harnesses and a
 * MiniCluster), no stack needed. First the TypeScript oracle writes what it expects of every
 * phase-1 scenario file (and of a generated dataset) to .stack/jvm/<job>/oracle; the MiniCluster
 * test compares the topology's outputs with those files, so no expected output comes from the
 * code under test. Maven gets the stack's versions (src/pipeline/jvm-job.ts) and builds under
 * .stack/. Prints Surefire's per-class lines and its summary; exits non-zero when a test fails.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { largeScenarios } from '../../labs/phase-1/data/make-scenarios.ts';
import { generateDataset } from '../../src/ctr/generator.ts';
import { type InputLine, splitLines } from '../../src/ctr/line.ts';
import { versionFlags } from '../../src/pipeline/jvm-job.ts';
import { writeOracleFiles } from '../../src/pipeline/oracle-files.ts';
import { repoRoot, stackDir } from '../../src/stack/paths.ts';
import { sh } from '../../src/stack/shell.ts';

const JOBS = [{ name: 'phase-2', dir: join(repoRoot, 'labs', 'phase-2', 'job') }];
const DATA = join(repoRoot, 'labs', 'phase-1', 'data');

function scenarios(): Record<string, InputLine[]> {
  const inputs: Record<string, InputLine[]> = {};
  for (const f of readdirSync(DATA).filter((n) => n.endsWith('.jsonl')).sort()) inputs[f.replace(/\.jsonl$/, '')] = splitLines(readFileSync(join(DATA, f)));
  for (const [name, bytes] of Object.entries(largeScenarios())) inputs[name.replace(/\.jsonl$/, '')] = splitLines(bytes);
  inputs['generated-seed-42'] = generateDataset({ seed: 42, events: 3_000, tricky: true });
  return inputs;
}

let failed = 0;
for (const job of JOBS) {
  const t0 = Date.now();
  const work = join(stackDir(), 'jvm', job.name);
  const oracleDir = join(work, 'oracle');
  const n = writeOracleFiles(oracleDir, scenarios());
  process.stdout.write(`# ${job.name}: the oracle wrote ${n} scenario files to ${oracleDir}; running Maven Surefire...\n`);
  const out = await sh`mvn -B -ntp -f ${join(job.dir, 'pom.xml')} ${versionFlags()} -Dctr.build.dir=${join(work, 'target')} -Doracle.dir=${oracleDir} test`;
  const text = stripVTControlCharacters(out.stdall);
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'maven.log'), text);
  const lines = text.split('\n');
  // Per test class, the failures with their messages, and Surefire's summary.
  const shown = lines.filter((l) => /Tests run:|FAIL|<<< |expected|differ|missing|extra|BUILD|ERROR\]   /.test(l));
  for (const l of shown.slice(0, 200)) process.stdout.write(`${l}\n`);
  const summary = lines.filter((l) => /^\[(INFO|ERROR|WARNING)\] Tests run: \d+, Failures: \d+, Errors: \d+, Skipped: \d+$/.test(l.trim())).pop();
  process.stdout.write(`# ${job.name} Surefire summary: ${summary?.replace(/^\[\w+\]\s*/, '') ?? 'none (Maven failed before the tests ran)'} in ${((Date.now() - t0) / 1000).toFixed(1)} s (log: ${join(work, 'maven.log')})\n`);
  if (!out.ok) failed++;
  // A skipped test proves nothing: Surefire passes with skips, this suite does not.
  const skipped = Number(/Skipped: (\d+)/.exec(summary ?? '')?.[1] ?? 0);
  if (skipped > 0) {
    process.stdout.write(`# ${job.name}: ${skipped} test(s) skipped; a skipped test counts as a failure here\n`);
    failed++;
  }
}
process.exitCode = failed === 0 ? 0 : 1;
