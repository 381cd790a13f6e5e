/**
 * The Kafka and Flink jars for the images, from the same poms into the same cache
 * (.stack/jars/<name>/, with the same `.resolved` marker) as the local backend: with Maven on
 * this machine when it has one (src/stack/maven.ts), else with Maven in a container
 * (ctr-labs/maven), so a learner with only Docker and Node can build the images.
 *
 * A Maven repository volume (ctr-labs-m2) keeps the downloads between runs. Extra CA
 * certificates of this machine (/usr/local/share/ca-certificates: a corporate proxy's, or a
 * sandbox's egress proxy's) are trusted inside that container only; the images never see them.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackError } from '../errors.ts';
import { SPLIT_READER_PATCH_JAR } from '../flink/classpath.ts';
import { flinkJars, splitReaderPatch, splitReaderPatchPom } from '../flink/service.ts';
import { kafkaJars } from '../kafka/service.ts';
import { repoRoot, stackPaths } from '../paths.ts';
import { notFound, sh } from '../shell.ts';
import { projectDigest } from '../maven.ts';
import { demuxLogs } from './logs.ts';
import type { Docker } from './engine.ts';

export type JarSet = 'kafka' | 'flink';

const EXTRA_CA_DIR = '/usr/local/share/ca-certificates';

let hostMaven: Promise<boolean> | undefined;

/** Whether to resolve with this machine's Maven: yes when `mvn` runs, unless CTR_MAVEN_IN_DOCKER=1. */
export function useHostMaven(): Promise<boolean> {
  if (process.env.CTR_MAVEN_IN_DOCKER === '1') return Promise.resolve(false);
  hostMaven ??= (async () => {
    const out = await sh`mvn -v`.timeout(20_000);
    return out.ok && !notFound(out);
  })();
  return hostMaven;
}

/** The jars of one pom, resolved by this machine's Maven, or by `resolveInContainer` with the given Maven image. */
export async function imageJars(d: Docker, name: JarSet, mavenImage: () => Promise<string>): Promise<string[]> {
  if (await useHostMaven()) return (name === 'kafka' ? await kafkaJars() : await flinkJars()).jars;
  return resolveInContainer(d, name, mavenImage);
}

function listJars(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.jar')).sort().map((f) => join(dir, f));
}

/** `mvn dependency:copy-dependencies` in ctr-labs/maven, into the jar cache; a no-op once the marker matches the pom. */
export async function resolveInContainer(d: Docker, name: JarSet, mavenImage: () => Promise<string>): Promise<string[]> {
  const pom = fileURLToPath(new URL(`../${name}/pom.xml`, import.meta.url));
  const out = stackPaths.jars(name);
  const hash = createHash('sha256').update(readFileSync(pom)).digest('hex');
  const marker = join(out, '.resolved');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return listJars(out);

  const work = join(repoRoot, '.stack', 'images', `maven-${name}`);
  rmSync(out, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  mkdirSync(work, { recursive: true });
  copyFileSync(pom, join(work, 'pom.xml'));
  try {
    await mavenInContainer(d, await mavenImage(), { work, out, job: `maven-${name}`, service: `${name} jars`, what: `resolve ${name}'s pom`, mvn: 'dependency:copy-dependencies -DoutputDirectory=/out -DincludeScope=runtime' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  writeFileSync(marker, hash);
  return listJars(out);
}

/**
 * Runs `mvn -q -B -f /work/pom.xml <mvn>` in a ctr-labs/maven container, with `work` at /work and
 * `out` at /out (both left owned by this user) and the ctr-labs-m2 volume as its repository; a
 * non-zero exit throws with the container's last lines.
 */
async function mavenInContainer(d: Docker, image: string, o: { work: string; out: string; job: string; service: string; what: string; mvn: string }): Promise<void> {
  const cas = existsSync(EXTRA_CA_DIR) && readdirSync(EXTRA_CA_DIR).some((f) => f.endsWith('.crt'));
  const owner = typeof process.getuid === 'function' ? `${process.getuid()}:${process.getgid?.() ?? 0}` : '';
  const script = [cas ? 'update-ca-certificates >/dev/null' : '', `mvn -q -B -f /work/pom.xml ${o.mvn}`, owner ? `chown -R ${owner} /out /work` : ''].filter(Boolean).join(' && ');
  const container = await d.createContainer({
    Image: image,
    Cmd: ['bash', '-c', script],
    Labels: { 'ctr-labs.job': o.job },
    HostConfig: {
      Binds: [`${o.work}:/work`, `${o.out}:/out`, 'ctr-labs-m2:/root/.m2', ...(cas ? [`${EXTRA_CA_DIR}:${EXTRA_CA_DIR}:ro`] : [])],
    },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (StatusCode !== 0) {
      const raw = (await container.logs({ stdout: true, stderr: true, tail: 30, follow: false })) as unknown as Buffer;
      throw new StackError(`Maven (in a ctr-labs/maven container) could not ${o.what} (exit ${StatusCode}): check that containers reach Maven Central.`, {
        service: o.service,
        logTail: demuxLogs(raw).trimEnd(),
      });
    }
  } finally {
    await container.remove({ force: true });
  }
}

/**
 * The patched Kafka split reader's jar (ADR 0122) for the Flink image: built by this machine's
 * Maven (the local backend's build), or else in a ctr-labs/maven container into
 * .stack/jars/flink-patch/, again only when the project's files change.
 */
export async function splitReaderPatchJar(d: Docker, mavenImage: () => Promise<string>): Promise<string> {
  if (await useHostMaven()) return (await splitReaderPatch()).jar;
  const out = stackPaths.jars('flink-patch');
  const jar = join(out, SPLIT_READER_PATCH_JAR);
  const digest = projectDigest(splitReaderPatchPom);
  const marker = join(out, '.built');
  if (existsSync(jar) && existsSync(marker) && readFileSync(marker, 'utf8') === digest) return jar;
  const work = join(repoRoot, '.stack', 'images', 'maven-flink-patch');
  rmSync(out, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(dirname(splitReaderPatchPom), 'src'), join(work, 'src'), { recursive: true });
  copyFileSync(splitReaderPatchPom, join(work, 'pom.xml'));
  try {
    await mavenInContainer(d, await mavenImage(), { work, out, job: 'maven-flink-patch', service: 'flink split reader patch', what: 'build the Kafka split reader patch', mvn: `package && cp /work/target/${SPLIT_READER_PATCH_JAR} /out/` });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  writeFileSync(marker, digest);
  return jar;
}

