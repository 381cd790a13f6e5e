/**
 * A code-driven Flink job (a Maven project under a lab's job/ folder): the versions it is built
 * against, built into one jar with the files of an overlay folder put in place of the job's own
 * (an exercise's start/ or solution/), cached under .stack/ by content, and run on the stack's
 * cluster through Flink's REST API (/jars/upload, /jars/:id/run), which both backends expose.
 */
import { filesUnder } from '../lab/sql-overlay.ts';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { FLINK_VERSION } from '../stack/flink/config.ts';
import { StackError } from '../stack/errors.ts';
import { repoRoot, stackDir } from '../stack/paths.ts';
import { failureLines, notFound, sh } from '../stack/shell.ts';

/** The Kafka connector the stack's classpath carries (src/stack/flink/pom.xml): the job must build against the same. */
export function flinkKafkaConnectorVersion(): string {
  const pom = readFileSync(join(repoRoot, 'src', 'stack', 'flink', 'pom.xml'), 'utf8');
  const v = /<flink\.kafka\.version>([^<]+)<\/flink\.kafka\.version>/.exec(pom)?.[1];
  if (!v) throw new Error('src/stack/flink/pom.xml has no <flink.kafka.version>');
  return v;
}

/** Maven flags that give a job the stack's versions: one place each (config.ts, the stack's pom). */
export function versionFlags(): string[] {
  return [`-Dflink.version=${FLINK_VERSION}`, `-Dflink.kafka.version=${flinkKafkaConnectorVersion()}`];
}

/** Every file under dir, absolute, in name order (none when dir is missing). */
export function listFiles(dir: string): string[] {
  return existsSync(dir) ? filesUnder(dir).map((f) => join(dir, f)) : [];
}

/**
 * The job's source files with an overlay applied: every file of `overlayDir` replaces the job's
 * main-source file of the same name (wherever it sits under src/main); a name the job does not
 * have is an error, so a typo cannot leave the original in place silently.
 */
export function overlaidSources(jobDir: string, overlayDir?: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of [join(jobDir, 'pom.xml'), ...listFiles(join(jobDir, 'src'))]) files.set(relative(jobDir, f), f);
  if (!overlayDir) return files;
  for (const f of listFiles(overlayDir)) {
    const name = basename(f);
    const target = [...files.keys()].filter((k) => k.startsWith(join('src', 'main')) && basename(k) === name);
    if (target.length !== 1) throw new StackError(`${f}: the job has ${target.length === 0 ? 'no' : 'several'} source file${target.length === 0 ? '' : 's'} named ${name} under src/main: name an overlay file after the job file it replaces.`);
    files.set(target[0] as string, f);
  }
  return files;
}

export interface BuiltJob {
  jar: string;
  /** False when this exact source (overlay included) was built before: Maven did not run. */
  built: boolean;
  ms: number;
}

/**
 * Builds the job (tests skipped: `npm run test:jvm` runs them) into
 * .stack/builds/<name>/<hash of sources and versions>/, reusing a finished build of the same hash.
 */
export async function buildJob(jobDir: string, jarName: string, o: { overlayDir?: string; name: string }): Promise<BuiltJob> {
  const t0 = Date.now();
  const files = overlaidSources(jobDir, o.overlayDir);
  const hash = createHash('sha256').update(versionFlags().join(' '));
  for (const [rel, abs] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(rel).update('\0').update(readFileSync(abs));
  const dir = join(stackDir(), 'builds', o.name, hash.digest('hex').slice(0, 16));
  const jar = join(dir, 'target', jarName);
  const done = join(dir, 'target', '.built');
  if (existsSync(done) && existsSync(jar)) return { jar, built: false, ms: Date.now() - t0 };
  mkdirSync(dir, { recursive: true });
  for (const [rel, abs] of files) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    cpSync(abs, join(dir, rel));
  }
  const out = await sh`mvn -q -B -f ${join(dir, 'pom.xml')} ${versionFlags()} -DskipTests package`;
  if (notFound(out)) throw new StackError('Maven not found: install it (apt-get install maven); it builds the lab\'s Kotlin job.');
  if (!out.ok) throw new StackError(`Maven could not build the job in ${dir}: check that Maven Central is reachable and the sources compile.`, { logTail: failureLines(out) });
  writeFileSync(done, new Date().toISOString());
  return { jar, built: true, ms: Date.now() - t0 };
}

/** Uploads a jar to the cluster (POST /jars/upload) and returns its id there. */
export async function uploadJar(flinkRest: string, jar: string): Promise<string> {
  const form = new FormData();
  form.append('jarfile', new Blob([readFileSync(jar)], { type: 'application/x-java-archive' }), basename(jar));
  const res = await fetch(`${flinkRest}/jars/upload`, { method: 'POST', body: form, signal: AbortSignal.timeout(120_000) });
  const body = (await res.json().catch(() => ({}))) as { filename?: string; status?: string; errors?: string[] };
  if (!res.ok || body.status !== 'success' || !body.filename) throw new Error(`Flink refused the jar ${basename(jar)} (${statSync(jar).size} bytes): HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return basename(body.filename);
}

/** Runs an uploaded jar's main class with `args` (POST /jars/:id/run); returns the job id. */
export async function runJar(flinkRest: string, jarId: string, args: readonly string[], o: { parallelism?: number } = {}): Promise<string> {
  const res = await fetch(`${flinkRest}/jars/${encodeURIComponent(jarId)}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ programArgsList: args, ...(o.parallelism ? { parallelism: o.parallelism } : {}) }),
    signal: AbortSignal.timeout(180_000),
  });
  const body = (await res.json().catch(() => ({}))) as { jobid?: string; errors?: string[] };
  if (!res.ok || !body.jobid) throw new Error(`Flink could not start the job: HTTP ${res.status} ${(body.errors ?? []).join(' ').slice(0, 1500)}`);
  return body.jobid;
}

/** Removes an uploaded jar (DELETE /jars/:id): the cluster keeps every upload otherwise. */
export async function deleteJar(flinkRest: string, jarId: string): Promise<void> {
  await fetch(`${flinkRest}/jars/${encodeURIComponent(jarId)}`, { method: 'DELETE', signal: AbortSignal.timeout(10_000) });
}
