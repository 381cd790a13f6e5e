import { StackError } from './errors.ts';
import { sh } from './shell.ts';

export const MIN_JAVA = 17;

/** JAVA_HOME's java when set, else the one on PATH. */
export function javaBin(): string {
  return process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
}

/** Parses the major version from `java -version` output ("17.0.15", "1.8.0_392", "21"). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

/** What `java -version` prints (to stderr), or undefined when java does not run. */
async function versionOutput(): Promise<string | undefined> {
  const out = await sh`${javaBin()} -version`;
  return out.ok ? `${out.stderr}${out.stdout}` : undefined;
}

export async function javaMajor(): Promise<number | undefined> {
  const text = await versionOutput();
  return text === undefined ? undefined : parseJavaMajor(text);
}

/** The full version java reports ("17.0.15"), or undefined when java does not run. */
export async function javaVersion(): Promise<string | undefined> {
  const text = await versionOutput();
  return text === undefined ? undefined : /version "([^"]+)"/.exec(text)?.[1];
}

export async function requireJava(): Promise<void> {
  const major = await javaMajor();
  if (major === undefined && process.env.JAVA_HOME) {
    throw new StackError(`JAVA_HOME is ${process.env.JAVA_HOME} but ${javaBin()} does not run: point JAVA_HOME at a Java ${MIN_JAVA}+ install or unset it.`);
  }
  if (major === undefined) {
    throw new StackError(`Java not found: install Java ${MIN_JAVA} (apt-get install openjdk-17-jre-headless) or set JAVA_HOME.`);
  }
  if (major < MIN_JAVA) {
    throw new StackError(`Java ${major} is too old: install Java ${MIN_JAVA} or newer (apt-get install openjdk-17-jre-headless) and put it first on PATH or in JAVA_HOME.`);
  }
}
