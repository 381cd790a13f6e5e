/**
 * The seam between the labs and whatever runs the services (ADR 0024). Labs, the runner, the
 * watchdog, the drills, the benchmarks, the CLI and the runbook tests talk to the stack through
 * this interface only: never through pids, /proc or .stack/ paths. The local-process backend
 * (src/stack/local/backend.ts) implements it today; a container backend implements the same.
 */
import type { StackListener } from './events.ts';
import type { HealthReport, ServiceName } from './service.ts';

export type BackendName = 'local' | 'docker';

export interface Endpoints {
  /** host:port of the Kafka broker listener for clients in this process (never the controller's). */
  kafka: string;
  /**
   * Every running broker, comma-separated, node 1 first ("127.0.0.1:9092,127.0.0.1:9094,..."): a
   * client given this list survives one broker's stop (ADR 0092). The same as `kafka` with one
   * broker. Optional only so that hand-made Endpoints in tests need not spell it: the backends
   * always set it; read it through bootstrapServers().
   */
  kafkaBootstrap?: string;
  clickhouseHttp: string;
  flinkRest: string;
  sqlGateway: string;
  /** Prometheus' HTTP API and web UI (http://127.0.0.1:9090): the stack's metrics and alerts (ADR 0070). */
  prometheus: string;
  /**
   * The addresses the stack's own services use to reach each other: what a Flink job and
   * ClickHouse's Kafka engine are given as bootstrap servers. The same as `kafka` on the local
   * backend; a network alias (kafka:9092) between containers.
   */
  internal: { kafka: string; /** Every running broker as the services reach them (see kafkaBootstrap). */ kafkaBootstrap?: string };
}

/** A running service as any backend describes it. */
export interface ServiceInfo {
  name: ServiceName;
  url: string;
  version?: string;
  /** Where it runs, for people: "pid 1234" locally, "container 3f2a9c" in Docker. */
  where: string;
}

export type UpOutcome = 'started' | 'kept' | 'repaired';

export interface UpResult {
  services: (ServiceInfo & { outcome: UpOutcome; ms: number })[];
  /** The services this call started: what a lab must stop when it is done. */
  startedNow: ServiceName[];
  totalMs: number;
}

export interface UpOptions {
  /** Start only these and what they depend on (default: the default stack, without the realistic shape's extras). */
  services?: readonly ServiceName[];
  listener?: StackListener;
  /** Aborted by Ctrl-C: everything started so far is stopped before up() rejects. */
  signal?: AbortSignal;
}

export interface DownResult {
  stopped: { name: ServiceName; outcome: string }[];
}

export interface StatusRow {
  name: ServiceName;
  state: 'running' | 'unhealthy' | 'dead' | 'not started';
  info?: ServiceInfo;
  health?: HealthReport;
  rssBytes?: number;
  /** The last log lines of a service that is dead or unhealthy. */
  logTail?: string;
}

export interface ServiceUsage {
  /** CPU seconds the service has used since it started (user + system). */
  cpuSeconds: number;
  rssBytes?: number;
}

/**
 * Faults only some backends can cause (containers: issue 18). A frozen service is alive but
 * answers nothing (every process stopped by the engine's cgroup freezer): `dead()` does not report
 * it, health checks time out. A service cut off from the stack's network keeps running, but the
 * other services (and, on Docker, the host) cannot reach it. `up()` repairs both.
 */
export interface BackendFaults {
  pause(service: ServiceName): Promise<{ at: number; where: string }>;
  unpause(service: ServiceName): Promise<{ at: number }>;
  disconnect(service: ServiceName): Promise<{ at: number; where: string }>;
  reconnect(service: ServiceName): Promise<{ at: number }>;
}

export interface StackBackend {
  readonly name: BackendName;
  /** Starts what is not running and repairs what is sick; keeps what is healthy. Nothing is left half-started on failure. */
  up(opts?: UpOptions): Promise<UpResult>;
  /** Stops what the stack started (only `only`, when given), dependents first. */
  down(opts?: { only?: readonly ServiceName[]; listener?: StackListener }): Promise<DownResult>;
  status(): Promise<StatusRow[]>;
  /** The running stack's addresses; throws one sentence saying what to do when a service is not running. */
  endpoints(): Endpoints;
  /** The services started and recorded that are gone now, with a sentence and their log tail (the lab watchdog asks). */
  dead(): Promise<{ name: ServiceName; message: string; logTail: string }[]>;
  /** Ends one service at once (kill -9; a container kill), keeping its record so the next up() repairs it on the same ports. */
  kill(service: ServiceName): Promise<{ at: number; where: string }>;
  /** The last `lines` lines of one service's log. */
  logs(service: ServiceName, lines?: number): Promise<string>;
  /** CPU and memory of one running service, or undefined when it does not run. */
  usage(service: ServiceName): Promise<ServiceUsage | undefined>;
  /** Runs `jcmd` against a JVM service (e.g. JFR.start) and returns its output; `file` arguments are paths the service sees. */
  jcmd(service: ServiceName, args: readonly string[]): Promise<string>;
  /**
   * A directory both the services and this process read and write (checkpoints, savepoints, a
   * profile): `internal` is the path the services use, `host` the path this process uses.
   */
  sharedDir(name: string): { internal: string; host: string };
  /** Pause and network faults, where the backend can cause them (the docker backend); absent otherwise. */
  readonly faults?: BackendFaults;
}
