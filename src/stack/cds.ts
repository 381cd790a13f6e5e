/**
 * Class-data sharing (AppCDS) for the stack's JVMs: the classes a service loaded at its last
 * start, parsed and verified once, mapped from a file at the next start instead of read from
 * the jars again (ADR 0031).
 *
 * Java 17 has no -XX:+AutoCreateSharedArchive (that is JDK 19), so the two halves are ours:
 * a start that finds no archive runs with -XX:ArchiveClassesAtExit (the JVM writes a dynamic
 * archive on top of the JDK's own classes.jsa when it exits, including on SIGTERM: `stack down`);
 * a start that finds one maps it with -XX:SharedArchiveFile. The archive's name carries a hash
 * of everything it is only valid for: the JVM (binary and libjvm), the jars (paths, sizes,
 * mtimes) and the JVM's layout flags (heap, GC, metaspace). New jars or a new JVM make a new name; the stale file is removed.
 * A file the JVM cannot use is not fatal: -Xshare:auto (the default) starts without it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { repoRoot } from './paths.ts';

/** CTR_CDS=off starts every JVM without an archive (to compare, or to rule CDS out). */
export function cdsEnabled(): boolean {
  return (process.env.CTR_CDS ?? 'on') !== 'off';
}

/**
 * Shared by every stack dir of this checkout, like the jars (a test's scratch stack maps the same
 * archives): an archive depends on the JVM, the class path and the JVM flags, never on a stack's
 * ports or paths.
 */
export function cdsDir(): string {
  return process.env.CTR_CDS_DIR ?? join(repoRoot, '.stack', 'cds');
}

/** The flags an archive's layout depends on (heap, GC, metaspace, modules); not -D paths or ports. */
function layoutFlags(jvmArgs: readonly string[]): string[] {
  return jvmArgs.filter((a) => a.startsWith('-X') || a.startsWith('--add-'));
}

/** The java binary's real file and its libjvm: a JDK upgrade changes their size or mtime. */
function jvmFingerprint(javaCommand: string): string {
  const found = javaCommand.includes('/') ? javaCommand : (process.env.PATH ?? '').split(delimiter).map((d) => join(d, javaCommand)).find((p) => existsSync(p));
  if (!found) return javaCommand;
  const real = realpathSync(found);
  const libjvm = join(dirname(dirname(real)), 'lib', 'server', 'libjvm.so');
  return [real, ...[real, libjvm].filter(existsSync).map((f) => `${statSync(f).size}:${statSync(f).mtimeMs}`)].join('|');
}

/** Every jar on the class path, a `dir/*` entry expanded as the launcher would. */
function jarFingerprint(classpath: readonly string[]): string {
  const files = classpath.flatMap((entry) => {
    if (!entry.endsWith('/*')) return [entry];
    const dir = entry.slice(0, -2);
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jar')).sort().map((f) => join(dir, f)) : [];
  });
  return files.map((f) => (existsSync(f) ? `${f}:${statSync(f).size}:${statSync(f).mtimeMs}` : `${f}:missing`)).join('|');
}

export interface CdsChoice {
  /** The flag to put before the main class (none when CDS is off). */
  args: string[];
  /** 'use': mapped from an archive; 'record': this run writes one at exit; 'off': CTR_CDS=off. */
  mode: 'use' | 'record' | 'off';
  archive?: string;
}

/**
 * The CDS flag for one JVM service. `jvmArgs` are the other JVM flags (heap size changes the
 * archive's compressed-oops layout, so they are part of the key).
 */
export function cdsArgs(service: string, input: { java: string; classpath: readonly string[]; jvmArgs: readonly string[] }): CdsChoice {
  if (!cdsEnabled()) return { args: [], mode: 'off' };
  const key = createHash('sha256')
    .update([jvmFingerprint(input.java), jarFingerprint(input.classpath), layoutFlags(input.jvmArgs).join(' ')].join('\n'))
    .digest('hex')
    .slice(0, 16);
  const dir = cdsDir();
  mkdirSync(dir, { recursive: true });
  const archive = join(dir, `${service}-${key}.jsa`);
  // Archives of older jars or another JVM for this service: never valid again.
  for (const f of readdirSync(dir)) if (f.startsWith(`${service}-`) && f.endsWith('.jsa') && join(dir, f) !== archive) rmSync(join(dir, f), { force: true });
  if (existsSync(archive) && statSync(archive).size > 0) return { args: [`-XX:SharedArchiveFile=${archive}`], mode: 'use', archive };
  return { args: [`-XX:ArchiveClassesAtExit=${archive}`], mode: 'record', archive };
}
