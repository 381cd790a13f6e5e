/**
 * The contract every stack service implements (local backend). Each service module
 * exports its spec(s):
 *   src/stack/kafka/service.ts       export const kafkaService: ServiceSpec
 *   src/stack/clickhouse/service.ts  export const clickhouseService: ServiceSpec
 *   src/stack/flink/service.ts       export const flinkServices: ServiceSpec[]  (jobmanager, taskmanager, sql-gateway)
 *   src/stack/prometheus/service.ts  export const prometheusService, pipelineExporterService: ServiceSpec
 *   src/stack/kafka/extra-broker.ts  export const extraBrokerServices: ServiceSpec[]  (kafka-2, kafka-3)
 * src/stack/stack.ts orders them by `dependsOn`, starts independent ones in parallel,
 * records them in .stack/state.json and stops them by pid.
 */
export type ServiceName =
  | 'kafka'
  | 'clickhouse'
  | 'flink-jobmanager'
  | 'flink-taskmanager'
  | 'sql-gateway'
  | 'prometheus'
  | 'pipeline-exporter'
  // The realistic shape's extras (ADR 0091): started only when a lab or `--profile realistic` names them.
  | 'kafka-2'
  | 'kafka-3'
  | 'flink-taskmanager-2';

/** The default stack: what `npm run stack up` starts and every lab but phase 5 needs at most. */
export const DEFAULT_SERVICE_NAMES: readonly ServiceName[] = ['kafka', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager', 'sql-gateway', 'prometheus', 'pipeline-exporter'];

/** The realistic shape's extra nodes (local backend only): two brokers and a second TaskManager. */
export const REALISTIC_EXTRA_NAMES: readonly ServiceName[] = ['kafka-2', 'kafka-3', 'flink-taskmanager-2'];

export const SERVICE_NAMES: readonly ServiceName[] = [...DEFAULT_SERVICE_NAMES, ...REALISTIC_EXTRA_NAMES];

/** What state.json keeps per running service. */
export interface ServiceRecord {
  name: ServiceName;
  pid: number;
  /** Every port the service listens on, by role (e.g. { broker: 9092, controller: 9093 }). */
  ports: Record<string, number>;
  /** The endpoint a learner or a lab connects to (host:port for Kafka, http://... otherwise). */
  url: string;
  logFile: string;
  version?: string;
  /** The service's own id where it has one (a Flink TaskManager's resource id). */
  instanceId?: string;
  startedAt: string;
}

export interface StartContext {
  /** Ports already handed out during this start (not bound yet); add the ones you take. */
  taken: Set<number>;
  /** The ports of services being repaired, by service and role: a restart takes the same ports again. */
  previousPorts: Partial<Record<ServiceName, Record<string, number>>>;
  /** Services already running, for dependents (the TaskManager needs the JobManager's ports). */
  running: Partial<Record<ServiceName, ServiceRecord>>;
  /** One-line notices, e.g. "port 9092 is busy: Kafka takes 40123". */
  notice: (message: string) => void;
  /** Call right after spawning, before waiting for health: Ctrl-C or a failure can then stop it by pid. */
  spawned: (pid: number) => void;
  /**
   * Optional: call once dependents may start, before this service is fully healthy (the Flink
   * JobManager once its RPC port answers: a TaskManager retries its registration until the
   * resource manager is up). Without this call dependents wait for start() to resolve.
   */
  reachable: (record: ServiceRecord) => void;
}

export interface HealthReport {
  ok: boolean;
  /** Short human text: "1 TaskManager, 2 free slots", "Ok.", or what failed. */
  detail: string;
  version?: string;
}

export interface ServiceSpec {
  name: ServiceName;
  dependsOn: ServiceName[];
  /** Resident memory budget in MiB, for the free-memory preflight. */
  memoryMb: number;
  /** Download/cache work (resolve jars). Must be a no-op once cached. Shared specs may share one promise. */
  prepare?: () => Promise<{ downloaded: boolean }>;
  /** Spawn the process and resolve once it is healthy (a real check, never a sleep). Throw StackError with the log tail on failure. */
  start: (ctx: StartContext) => Promise<ServiceRecord>;
  health: (rec: ServiceRecord) => Promise<HealthReport>;
  /** Defaults to stopPid(rec.pid) with a 20 s grace. */
  stop?: (rec: ServiceRecord) => Promise<void>;
}
