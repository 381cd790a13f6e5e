/**
 * The five services as containers: which image, which ports to publish, the container's
 * command and files (render.ts), and the readiness wait, which is the local backend's health
 * check: Kafka answers metadata; the JobManager's REST answers; a new TaskManager is registered
 * with free slots; the SQL Gateway answers /v1/info; ClickHouse answers /ping.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { ping, serverVersion } from '../clickhouse/client.ts';
import { StackError } from '../errors.ts';
import { SqlGatewayClient } from '../flink/gateway-client.ts';
import { FlinkRestClient } from '../flink/rest-client.ts';
import { describeBroker } from '../kafka/client.ts';
import { clusterIdFromBytes, KAFKA_VERSION, versionFromJars } from '../kafka/config.ts';
import { choosePort } from '../ports.ts';
import type { ServiceName } from '../service.ts';
import { HealthWait } from './health-wait.ts';
import type { BuiltImage, ProjectImage } from './images.ts';
import { ALIAS, type ContainerPlan, clickhousePlan, CPATH, flinkPlan, kafkaPlan, PORT } from './render.ts';
import type { ContainerRecord } from './state.ts';

export interface DockerStartContext {
  network: string;
  stackId: string;
  /** The host folder mounted at /stack-shared in the Flink containers. */
  sharedHostDir: string;
  images: Partial<Record<ProjectImage, BuiltImage>>;
  /** An image to run instead of ctr-labs/clickhouse (--clickhouse-image), with `clickhouse server` inside. */
  clickhouseImage?: string;
  running: Partial<Record<ServiceName, ContainerRecord>>;
  /** Host ports handed out in this start (not bound yet). */
  taken: Set<number>;
  /** Ports of services being re-created: they come back where clients look for them. */
  previousPorts: Partial<Record<ServiceName, Record<string, number>>>;
  notice: (message: string) => void;
  labels: Record<string, string>;
}

interface Published {
  role: string;
  container: number;
  /** The documented default on the host. */
  preferred: number;
  what: string;
}

export interface ContainerSpec {
  name: ServiceName;
  dependsOn: ServiceName[];
  image: ProjectImage;
  publish: Published[];
  /** Seconds `docker stop` waits before it kills (ClickHouse 18.16 takes ~15 s with a Kafka table whose broker is gone). */
  stopGraceSeconds: number;
  /** Mounts <stack dir>/shared at /stack-shared (Flink: checkpoints, savepoints, profiles). */
  shared?: boolean;
  url: (ports: Record<string, number>, ctx: Pick<DockerStartContext, 'running'>) => string;
  plan: (ctx: DockerStartContext, ports: Record<string, number>) => ContainerPlan;
  /** The wait for this start (prepared before the container starts: a TaskManager must be new). */
  readiness: (ctx: Pick<DockerStartContext, 'running'>, url: string) => Promise<HealthWait<Partial<ContainerRecord>>>;
}

const START_TIMEOUT_MS = { kafka: 90_000, flink: 120_000, clickhouse: 60_000 };

function jobManager(ctx: Pick<DockerStartContext, 'running'>, who: ServiceName): ContainerRecord {
  const jm = ctx.running['flink-jobmanager'];
  if (!jm) throw new StackError(`${who} needs the Flink JobManager, which is not running: run npm run stack -- up --backend docker.`, { service: who });
  return jm;
}

function image(ctx: DockerStartContext, name: ProjectImage): BuiltImage {
  const built = ctx.images[name];
  if (!built) throw new Error(`image ${name} was not prepared`);
  return built;
}

function newClusterId(): string {
  for (;;) {
    const id = clusterIdFromBytes(randomBytes(16));
    if (id) return id;
  }
}

export const kafkaContainer: ContainerSpec = {
  name: 'kafka',
  dependsOn: [],
  image: 'kafka',
  publish: [{ role: 'broker', container: PORT.kafkaExternal, preferred: 9092, what: 'the Kafka broker' }],
  stopGraceSeconds: 20,
  url: (ports) => `127.0.0.1:${ports.broker}`,
  plan: (_ctx, ports) => kafkaPlan({ externalHostPort: ports.broker ?? PORT.kafkaExternal, clusterId: newClusterId(), level: process.env.DEBUG ? 'DEBUG' : 'INFO' }),
  readiness: async (_ctx, url) =>
    new HealthWait('kafka', `its broker answering metadata requests on ${url}`, async () => (await describeBroker(url)).brokers.length > 0 && {}, START_TIMEOUT_MS.kafka),
};

export const clickhouseContainer: ContainerSpec = {
  name: 'clickhouse',
  dependsOn: [],
  image: 'clickhouse',
  publish: [
    { role: 'http', container: PORT.clickhouseHttp, preferred: 8123, what: 'ClickHouse HTTP' },
    { role: 'tcp', container: PORT.clickhouseTcp, preferred: 9000, what: 'ClickHouse native TCP' },
  ],
  stopGraceSeconds: 20,
  url: (ports) => `http://127.0.0.1:${ports.http}`,
  plan: (ctx) => clickhousePlan(ctx.clickhouseImage ? 'official' : 'project'),
  readiness: async (_ctx, url) =>
    new HealthWait('clickhouse', `GET ${url}/ping answering Ok.`, async () => (await ping(url)) && { version: await serverVersion(url) }, START_TIMEOUT_MS.clickhouse),
};

export const jobManagerContainer: ContainerSpec = {
  name: 'flink-jobmanager',
  dependsOn: [],
  image: 'flink',
  publish: [{ role: 'rest', container: PORT.flinkRest, preferred: 8081, what: 'the Flink JobManager REST API' }],
  stopGraceSeconds: 10,
  shared: true,
  url: (ports) => `http://127.0.0.1:${ports.rest}`,
  plan: (ctx) => flinkPlan('flink-jobmanager', image(ctx, 'flink').jars),
  readiness: async (_ctx, url) => {
    const api = new FlinkRestClient(url, 2_000);
    return new HealthWait('flink-jobmanager', `its REST API answering on ${url}/overview`, async () => ({ version: (await api.overview()).version }), START_TIMEOUT_MS.flink);
  },
};

export const taskManagerContainer: ContainerSpec = {
  name: 'flink-taskmanager',
  dependsOn: ['flink-jobmanager'],
  image: 'flink',
  publish: [],
  stopGraceSeconds: 10,
  shared: true,
  url: (_ports, ctx) => jobManager(ctx, 'flink-taskmanager').url,
  plan: (ctx) => flinkPlan('flink-taskmanager', image(ctx, 'flink').jars),
  readiness: async (ctx, url) => {
    const jm = jobManager(ctx, 'flink-taskmanager');
    const api = new FlinkRestClient(url, 2_000);
    // A TaskManager that died recently stays listed until its heartbeat times out: wait for a new one.
    const before = new Set((await api.taskManagers().catch(() => [])).map((t) => t.id));
    return new HealthWait(
      'flink-taskmanager',
      `registering with the JobManager at ${url} with free slots`,
      async () => {
        const tm = (await api.taskManagers()).find((t) => !before.has(t.id) && t.slotsNumber > 0);
        return tm && { instanceId: tm.id, version: jm.version };
      },
      START_TIMEOUT_MS.flink,
    );
  },
};

export const sqlGatewayContainer: ContainerSpec = {
  name: 'sql-gateway',
  dependsOn: ['flink-jobmanager'],
  image: 'flink',
  publish: [{ role: 'rest', container: PORT.gateway, preferred: 8083, what: 'the Flink SQL Gateway' }],
  stopGraceSeconds: 10,
  shared: true,
  url: (ports) => `http://127.0.0.1:${ports.rest}`,
  plan: (ctx) => flinkPlan('sql-gateway', image(ctx, 'flink').jars),
  readiness: async (_ctx, url) => {
    const client = new SqlGatewayClient(url, { requestTimeoutMs: 2_000 });
    return new HealthWait('sql-gateway', `answering on ${url}/v1/info`, async () => ({ version: (await client.info()).version }), START_TIMEOUT_MS.flink);
  },
};

/** In a valid start order; the TaskManager and the gateway depend on the JobManager only. */
export const CONTAINERS: readonly ContainerSpec[] = [kafkaContainer, clickhouseContainer, jobManagerContainer, taskManagerContainer, sqlGatewayContainer];

export function containerSpec(name: ServiceName): ContainerSpec {
  const spec = CONTAINERS.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown service ${name}`);
  return spec;
}

export const containerName = (stackId: string, service: ServiceName): string => `ctr-${stackId}-${ALIAS[service]}`;

/** The previous host port when re-created, else the documented default, else any free one (with a notice). */
async function hostPort(ctx: DockerStartContext, service: ServiceName, p: Published): Promise<number> {
  const preferred = ctx.previousPorts[service]?.[p.role] ?? p.preferred;
  const choice = await choosePort(preferred, ctx.taken);
  ctx.taken.add(choice.port);
  if (choice.moved) ctx.notice(`port ${preferred} is busy: ${p.what} takes ${choice.port}`);
  return choice.port;
}

/**
 * Creates and starts one service's container and waits for its health check. `created` is
 * called with the container id as soon as the engine has one, so a failure (or Ctrl-C) can
 * remove it even while the wait runs.
 */
export async function startContainer(spec: ContainerSpec, ctx: DockerStartContext, created: (id: string) => void): Promise<ContainerRecord> {
  const ports: Record<string, number> = {};
  for (const p of spec.publish) ports[p.role] = await hostPort(ctx, spec.name, p);
  const url = spec.url(ports, ctx);
  const plan = spec.plan(ctx, ports);
  const imageTag = spec.name === 'clickhouse' && ctx.clickhouseImage ? ctx.clickhouseImage : image(ctx, spec.image).tag;
  const name = containerName(ctx.stackId, spec.name);
  // Loaded here, not at the top: testcontainers costs every local-backend command 0.4 s to import.
  const { StackContainer } = await import('./container.ts');
  const container = new (class extends StackContainer {
    protected override async containerCreated(id: string): Promise<void> {
      created(id);
    }
  })(imageTag)
    .withName(name)
    .onNetwork(ctx.network, ALIAS[spec.name])
    .withHostname(ALIAS[spec.name])
    .withLabels({ ...ctx.labels, 'ctr-labs.service': spec.name })
    .withCommand(plan.command)
    .withEnvironment(plan.env)
    .withCopyContentToContainer(plan.files.map((f) => ({ content: f.content, target: f.target })));
  if (spec.name === 'clickhouse' && ctx.clickhouseImage) container.withEntrypoint([]);
  for (const p of spec.publish) container.publishOnLoopback(p.container, ports[p.role] as number);
  if (spec.shared) {
    mkdirSync(ctx.sharedHostDir, { recursive: true });
    container.withBindMounts([{ source: ctx.sharedHostDir, target: CPATH.shared, mode: 'rw' }]);
  }
  const wait = await spec.readiness(ctx, url);
  const started = await container.withWaitStrategy(wait).start();
  return {
    name: spec.name,
    containerId: started.getId(),
    containerName: name,
    image: imageTag,
    ports,
    url,
    version: spec.name === 'kafka' ? (versionFromJars(image(ctx, 'kafka').jars) ?? KAFKA_VERSION) : undefined,
    ...wait.value,
    startedAt: new Date().toISOString(),
  };
}
