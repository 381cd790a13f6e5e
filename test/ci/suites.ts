/**
 * `npm test`: every suite, in an order shaped for many labs (ADR 0035), with the time of each
 * part printed as a table at the end (and appended to $CI_TIMINGS_FILE for .ci/run's table).
 *
 *   typecheck, unit, alerts,  no stack (alerts: promtool test rules, test/alerts; jvm: Maven
 *   jvm, python, dags         Surefire runs the Kotlin job's harness and MiniCluster tests; python:
 *                             pytest on the PyFlink job's functions; dags: pytest on phase 4's
 *                             Airflow DAGs, import errors and structure)
 *   live suites, one stack    started once; every folder under test/ that needs the local stack
 *                             (all but unit, alerts, jvm, docker, e2e, ci) runs against it in one node --test
 *                             process per folder: labs and runbooks reuse it, and test/stack runs
 *                             last, because its smoke test ends by proving `stack down` leaves no
 *                             process behind. A new lab (labs/<id>/lab.ts) is picked up by
 *                             test/labs; a new *.test.ts file or folder here, by the globs.
 *   docker                    the container backend, its own stack; the site's build (CPU-bound)
 *                             runs alongside it, since the docker suite mostly waits on the Debian
 *                             mirror and its containers
 *   e2e                       the built site in a browser, last, with no stack running
 *
 * Stops at the first failing part, as `a && b && c` did; the table still prints.
 */
import { appendFileSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import Table from 'cli-table3';
import { loadavg } from 'node:os';
import { ensureStack, stackBackend } from '../../src/stack/index.ts';
import { formatStackEvent } from '../../src/cli/output.ts';
import { repoRoot } from '../../src/stack/paths.ts';

/** Folders with suites of their own below; every other folder under test/ is a live suite. */
const NOT_LIVE = new Set(['unit', 'jvm', 'docker', 'e2e', 'ci', 'alerts']);
/** Live suites that must run last, in this order (see above). */
const LAST = ['stack'];

interface Part {
  name: string;
  ms: number;
  ok: boolean;
  load: number;
}

const parts: Part[] = [];
const log = (s: string) => process.stdout.write(`${s}\n`);

function run(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit' });
    child.once('exit', (code) => resolve(code === 0));
    child.once('error', () => resolve(false));
  });
}

async function timed(name: string, fn: () => Promise<boolean>): Promise<boolean> {
  const load = Number(loadavg()[0]?.toFixed(2));
  const t0 = Date.now();
  log(`\n=== ${name} ===`);
  let ok = false;
  try {
    ok = await fn();
  } catch (err) {
    log(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const part = { name, ms: Date.now() - t0, ok, load };
  parts.push(part);
  if (process.env.CI_TIMINGS_FILE) appendFileSync(process.env.CI_TIMINGS_FILE, `npm test: ${name}\t${part.ms}\t${ok ? 'ok' : 'FAILED'}\t${load}\n`);
  return ok;
}

const npm = (script: string) => () => run('npm', ['run', '-s', script]);

/** `npm run build` in the background while `fn` runs, its output kept in a file and shown when it fails. */
function withSiteBuild(fn: () => Promise<boolean>): () => Promise<boolean> {
  return async () => {
    const logFile = join(repoRoot, '.stack', 'logs', 'site-build.log');
    mkdirSync(dirname(logFile), { recursive: true });
    const out = openSync(logFile, 'w');
    const t0 = Date.now();
    let builtAt = 0;
    const built = new Promise<boolean>((resolve) => {
      const child = spawn('npm', ['run', '-s', 'build'], { cwd: repoRoot, stdio: ['ignore', out, out] });
      child.once('exit', (code) => {
        builtAt = Date.now();
        resolve(code === 0);
      });
      child.once('error', () => resolve(false));
    });
    const ok = await fn();
    const siteOk = await built;
    closeSync(out);
    log(`site build (alongside): ${siteOk ? 'ok' : 'FAILED'} in ${((builtAt - t0) / 1000).toFixed(1)} s; its output: ${logFile}`);
    if (!siteOk) log(readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'));
    return ok && siteOk;
  };
}
const nodeTest = (folder: string) => () =>
  run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', `test/${folder}/**/*.test.ts`]);

export function liveSuites(folders: readonly string[]): string[] {
  const live = folders.filter((f) => !NOT_LIVE.has(f));
  return [...live.filter((f) => !LAST.includes(f)).sort(), ...LAST.filter((f) => live.includes(f))];
}

async function main(): Promise<number> {
  const folders = readdirSync(join(repoRoot, 'test'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const steps: [string, () => Promise<boolean>][] = [
    ['typecheck', npm('typecheck')],
    ['unit', npm('test:unit')],
    ['alerts (promtool test rules)', npm('test:alerts')],
    ['jvm (Maven Surefire: the Kotlin job, no cluster)', npm('test:jvm')],
    ['python (pytest: the PyFlink job, no cluster)', npm('test:python')],
    ['dags (pytest: the Airflow DAGs import, their structure)', npm('test:dags')],
    [
      'stack up (shared by the live suites)',
      async () => {
        // Started here and left running: each live suite's ensureStack() reuses it, and the smoke
        // test (test/stack, last) stops it.
        await ensureStack(stackBackend('local'), { listener: (e) => log(`# ${formatStackEvent(e)}`) });
        return true;
      },
    ],
    ...liveSuites(folders).map((f): [string, () => Promise<boolean>] => [f, nodeTest(f)]),
    // The site's build (CPU) overlaps the docker suite (image builds wait on the Debian mirror, the
    // replays on their containers); the browser tests then run alone, against the built site.
    ['docker, with the site build alongside', withSiteBuild(npm('test:docker'))],
    ['e2e (browser, nothing else running)', () => run('npx', ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts'])],
  ];
  let failed = false;
  for (const [name, fn] of steps) {
    if (!(await timed(name, fn))) {
      failed = true;
      break;
    }
  }
  if (failed) await stackBackend('local').down().catch(() => undefined);
  const table = new Table({ head: ['part', 'time', 'result', 'load 1m at start'], style: { head: [], border: [] } });
  for (const p of parts) table.push([p.name, `${(p.ms / 1000).toFixed(1)} s`, p.ok ? 'ok' : 'FAILED', String(p.load)]);
  table.push(['total', `${(parts.reduce((n, p) => n + p.ms, 0) / 1000).toFixed(1)} s`, failed ? 'FAILED' : 'ok', '']);
  log(`\nnpm test, part by part:\n${table.toString()}`);
  return failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.CTR_SHARED_STACK = '1';
  process.exitCode = await main();
}
