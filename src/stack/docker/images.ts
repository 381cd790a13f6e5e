/**
 * The project's images, built from the Dockerfiles beside this file on `debian:12-slim`:
 *
 *   ctr-labs/kafka       jvm.Dockerfile + the jars of src/stack/kafka/pom.xml
 *   ctr-labs/flink       jvm.Dockerfile + the jars of src/stack/flink/pom.xml and the Kafka
 *                        split reader patch (ADR 0122), first on the class path
 *   ctr-labs/clickhouse  clickhouse.Dockerfile (Debian's clickhouse-server)
 *
 * The jars are the local backend's: Maven resolves the same poms into the same cache
 * (.stack/jars/; in a ctr-labs/maven container where this machine has no Maven, jars.ts), and
 * the build context gets hard links to them. Each tag is a hash of what
 * goes into the context (the Dockerfile, every jar's name and size), so an unchanged context
 * is never built again: the second `up` only asks the engine whether the tag exists.
 *
 * Builds go through dockerode rather than testcontainers' GenericContainer.fromDockerfile():
 * that builder resolves when the build stream ends whether or not a step failed, and then
 * reports only "Failed to build image"; a learner needs the failing step's output.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StackError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { BASE_IMAGE, type Docker, imageExists } from './engine.ts';
import { imageJars, splitReaderPatchJar } from './jars.ts';

export type ProjectImage = 'kafka' | 'flink' | 'clickhouse';

/** Built only where this machine has no Maven: it resolves the poms in a container (jars.ts). */
type HelperImage = 'maven';

export interface ImageInput {
  name: ProjectImage | HelperImage;
  dockerfile: string;
  /** Host paths of the jars to put in /opt/jars (none for ClickHouse). */
  jars: readonly string[];
}

export interface BuiltImage {
  tag: string;
  /** False when the tag was already there: nothing was built. */
  built: boolean;
  /** The jar file names in /opt/jars, sorted: the classpath of the container's JVM. */
  jars: string[];
}

const dockerfile = (name: string) => fileURLToPath(new URL(`./images/${name}.Dockerfile`, import.meta.url));

/** The image tag for a context: ctr-labs/<name>:<first 12 hex of the hash>. Pure, for tests. */
export function imageTag(input: ImageInput, fileSize: (path: string) => number, fileText: (path: string) => string): string {
  const h = createHash('sha256').update(fileText(input.dockerfile));
  for (const jar of [...input.jars].sort()) h.update(`\0${basename(jar)}\0${fileSize(jar)}`);
  return `ctr-labs/${input.name}:${h.digest('hex').slice(0, 12)}`;
}

/** ctr-labs/maven, built when missing; its tag. */
export async function ensureMavenImage(d: Docker, onBuild: (name: ProjectImage | HelperImage, tag: string) => void = () => {}): Promise<string> {
  return (await ensureImage(d, { name: 'maven', dockerfile: dockerfile('maven'), jars: [] }, onBuild)).tag;
}

async function inputFor(d: Docker, name: ProjectImage, onBuild: (name: ProjectImage | HelperImage, tag: string) => void): Promise<ImageInput> {
  const maven = () => ensureMavenImage(d, onBuild);
  if (name === 'kafka') return { name, dockerfile: dockerfile('jvm'), jars: await imageJars(d, name, maven) };
  if (name === 'flink') return { name, dockerfile: dockerfile('jvm'), jars: [...(await imageJars(d, name, maven)), await splitReaderPatchJar(d, maven)] };
  return { name, dockerfile: dockerfile('clickhouse'), jars: [] };
}

async function ensureImage(d: Docker, input: ImageInput, onBuild: (name: ProjectImage | HelperImage, tag: string) => void): Promise<BuiltImage> {
  const tag = imageTag(input, (p) => statSync(p).size, (p) => readFileSync(p, 'utf8'));
  const jars = input.jars.map((j) => basename(j)).sort();
  if (await imageExists(d, tag)) return { tag, built: false, jars };
  onBuild(input.name, tag);
  await requireBase(d);
  await build(d, input, tag);
  return { tag, built: true, jars };
}

/** Builds what is missing, one image at a time (the JVM images share their JDK layer). */
export async function ensureImages(d: Docker, names: readonly ProjectImage[], onBuild: (name: ProjectImage | HelperImage, tag: string) => void): Promise<Record<ProjectImage, BuiltImage | undefined>> {
  const out: Record<ProjectImage, BuiltImage | undefined> = { kafka: undefined, flink: undefined, clickhouse: undefined };
  for (const name of names) out[name] = await ensureImage(d, await inputFor(d, name, onBuild), onBuild);
  return out;
}

/** The context: Dockerfile + jars/ (hard links into the jar cache, copies across file systems). */
function assembleContext(input: ImageInput): { dir: string; files: string[] } {
  const dir = join(repoRoot, '.stack', 'images', input.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'jars'), { recursive: true });
  copyFileSync(input.dockerfile, join(dir, 'Dockerfile'));
  const files = ['Dockerfile'];
  for (const jar of input.jars) {
    const target = join(dir, 'jars', basename(jar));
    try {
      linkSync(jar, target);
    } catch {
      copyFileSync(jar, target);
    }
    files.push(`jars/${basename(jar)}`);
  }
  return { dir, files };
}

interface BuildMessage {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

async function build(d: Docker, input: ImageInput, tag: string): Promise<void> {
  const { dir, files } = assembleContext(input);
  const lines: string[] = [];
  let failure: string | undefined;
  try {
    const stream = await d.buildImage({ context: dir, src: files }, { t: tag, labels: { 'ctr-labs.image': input.name }, rm: true, forcerm: true });
    await new Promise<void>((resolve, reject) => {
      d.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (msg: BuildMessage) => {
          if (msg.stream) lines.push(...msg.stream.split('\n').filter((l) => l.trim()));
          if (msg.error) failure = msg.errorDetail?.message ?? msg.error;
          if (lines.length > 200) lines.splice(0, lines.length - 200);
        },
      );
    });
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failure !== undefined || !(await imageExists(d, tag))) {
    throw new StackError(`Building ${tag} from ${basename(input.dockerfile)} failed (${failure ?? 'no image was tagged'}): the lines below show the failing step; a step that downloads needs the Debian mirror.`, {
      service: `${input.name} image build`,
      logTail: lines.slice(-25).join('\n'),
    });
  }
}

/** The base image, pulled when a registry answers; else one sentence saying how to make it. */
async function requireBase(d: Docker): Promise<void> {
  if (await imageExists(d, BASE_IMAGE)) return;
  try {
    const stream = await d.pull(BASE_IMAGE);
    await new Promise<void>((resolve, reject) => d.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    throw new StackError(
      `The base image ${BASE_IMAGE} is missing and could not be pulled (${err instanceof Error ? err.message.split('\n')[0] : String(err)}): on a machine without a registry, make it from the Debian mirror with \`bash .ci/docker-engine\` (debootstrap + docker import).`,
    );
  }
}

/**
 * Removes every image the project built (label ctr-labs.image: kafka, flink, clickhouse and the
 * maven helper), and with them the layers they shared (the JDK layer): what `bench:stack --cold`
 * does so that the next `up` builds as on a machine that never ran the stack (the base image and
 * the jar cache stay). Refused while any container, of any stack dir, runs from one of them.
 */
export async function removeProjectImages(d: Docker): Promise<string[]> {
  const images = await d.listImages({ filters: { label: ['ctr-labs.image'] } });
  const ids = new Set(images.map((i) => i.Id));
  const users = (await d.listContainers({ all: true })).filter((c) => ids.has(c.ImageID) || /^ctr-labs\//.test(c.Image));
  if (users.length > 0) {
    throw new StackError(`The project's images are in use by ${users.length} container(s) (${users.slice(0, 3).map((c) => c.Names[0]?.replace(/^\//, '')).join(', ')}): stop those stacks first, then measure a cold start.`);
  }
  const removed: string[] = [];
  for (const img of images) {
    for (const tag of img.RepoTags ?? []) {
      await d.getImage(tag).remove();
      removed.push(tag);
    }
  }
  return removed;
}
