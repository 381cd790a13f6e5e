import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { StackError } from './errors.ts';
import { exists } from './paths.ts';
import { failureLines, notFound, sh } from './shell.ts';

export interface ResolvedJars {
  dir: string;
  jars: string[];
  /** False when the cache already matched the pom: nothing was downloaded. */
  downloaded: boolean;
}

/**
 * Resolves a pom's dependencies into outDir with Maven (jars cached in ~/.m2 and copied).
 * A marker holding the pom's hash makes the second call a no-op: no Maven, no network.
 */
export async function resolveJars(pomPath: string, outDir: string): Promise<ResolvedJars> {
  const hash = createHash('sha256').update(readFileSync(pomPath)).digest('hex');
  const marker = join(outDir, '.resolved');
  if (exists(marker) && readFileSync(marker, 'utf8') === hash) {
    return { dir: outDir, jars: listJars(outDir), downloaded: false };
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const out = await sh`mvn -q -B -f ${pomPath} dependency:copy-dependencies -DoutputDirectory=${outDir} -DincludeScope=runtime`;
  if (notFound(out)) {
    throw new StackError('Maven not found: install it (apt-get install maven); the stack resolves Kafka and Flink jars from Maven Central with it.');
  }
  if (!out.ok) {
    throw new StackError(`Maven could not resolve ${pomPath}: check that Maven Central is reachable.`, { logTail: failureLines(out) });
  }
  writeFileSync(marker, hash);
  return { dir: outDir, jars: listJars(outDir), downloaded: true };
}

function listJars(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.jar')).sort().map((f) => join(dir, f));
}

export interface BuiltJar {
  jar: string;
  /** False when the sources and the pom were unchanged since the last build: Maven did not run. */
  built: boolean;
}

/**
 * Builds a small jar project (`mvn package`) and returns target/<finalName>.jar. A marker holding
 * a hash of the pom and every file under src/ skips Maven when nothing changed.
 */
export async function buildJar(pomPath: string, jarName: string): Promise<BuiltJar> {
  const root = join(pomPath, '..');
  const jar = join(root, 'target', jarName);
  const digest = projectDigest(pomPath);
  const marker = join(root, 'target', '.built');
  if (exists(jar) && exists(marker) && readFileSync(marker, 'utf8') === digest) return { jar, built: false };
  const out = await sh`mvn -q -B -f ${pomPath} package`;
  if (notFound(out)) throw new StackError('Maven not found: install it (apt-get install maven); it builds the lab\'s Java code.');
  if (!out.ok) {
    throw new StackError(`Maven could not build ${pomPath}: check that Maven Central is reachable and the Java sources compile.`, { logTail: failureLines(out) });
  }
  writeFileSync(marker, digest);
  return { jar, built: true };
}

/** A hash of a jar project's pom and every file under its src/: what its build depends on. */
export function projectDigest(pomPath: string): string {
  const root = join(pomPath, '..');
  const hash = createHash('sha256').update(readFileSync(pomPath));
  for (const f of listFiles(join(root, 'src'))) hash.update(relative(root, f)).update(readFileSync(f));
  return hash.digest('hex');
}

function listFiles(dir: string): string[] {
  if (!exists(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => (d.isDirectory() ? listFiles(join(dir, d.name)) : [join(dir, d.name)]));
}

/**
 * `resolveJars` for one pom, at most once per process (callers share the promise); a failure is
 * forgotten, so the next call tries again.
 */
export function jarsOnce(pomPath: string, outDir: () => string): () => Promise<ResolvedJars> {
  let pending: Promise<ResolvedJars> | undefined;
  return () => {
    pending ??= resolveJars(pomPath, outDir()).catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}

/** `buildJar` for one project, at most once per process (callers share the promise); a failure is forgotten, so the next call tries again. */
export function builtJarOnce(pomPath: string, jarName: string): () => Promise<BuiltJar> {
  let pending: Promise<BuiltJar> | undefined;
  return () => {
    pending ??= buildJar(pomPath, jarName).catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
