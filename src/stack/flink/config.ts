/**
 * Pure rendering of the local Flink cluster's configuration: config.yaml, log4j properties,
 * and the JVM command lines of the JobManager, TaskManager and SQL Gateway.
 * No I/O here: service.ts writes the strings and spawns the processes.
 */

/** The Flink release the pom resolves; keep in step with src/stack/flink/pom.xml. */
export const FLINK_VERSION = '1.20.3';

export const MAIN_CLASS = {
  jobmanager: 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint',
  taskmanager: 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
  gateway: 'org.apache.flink.table.gateway.SqlGateway',
} as const;

export type FlinkRole = keyof typeof MAIN_CLASS;

/**
 * Flink 1.20's own Java 17 options: the distribution ships them in conf/config.yaml as
 * `env.java.default-opts.all` and bin/config.sh puts them on every JVM it starts.
 * (apache/flink flink-dist/src/main/resources/config.yaml)
 */
export const JAVA17_OPENS: readonly string[] = [
  '--add-exports=java.base/sun.net.util=ALL-UNNAMED',
  '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED',
  '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.net=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens=java.base/java.text=ALL-UNNAMED',
  '--add-opens=java.base/java.time=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED',
];

/** Sizes in MiB. Every component is explicit, so the JVM flags follow by addition (see jvmMemoryArgs). */
export interface JobManagerMemory {
  heap: number;
  offHeap: number;
  metaspace: number;
  overhead: number;
}

export interface TaskManagerMemory {
  frameworkHeap: number;
  taskHeap: number;
  frameworkOffHeap: number;
  taskOffHeap: number;
  network: number;
  managed: number;
  metaspace: number;
  overhead: number;
}

/**
 * JobManager: a 1 GiB process, Flink's own split of jobmanager.memory.process.size=1024m
 * (448 heap + 128 off-heap + 256 metaspace + 192 overhead).
 */
export const DEFAULT_JM_MEMORY: JobManagerMemory = { heap: 448, offHeap: 128, metaspace: 256, overhead: 192 };

/**
 * TaskManager: a 1.5 GiB process (1536 MiB). Managed memory is small but not zero (RocksDB
 * and batch operators use it; window aggregations fail with 0); the task heap, where the
 * hashmap state backend keeps window state, gets the rest.
 */
export const DEFAULT_TM_MEMORY: TaskManagerMemory = {
  frameworkHeap: 128,
  taskHeap: 480,
  frameworkOffHeap: 128,
  taskOffHeap: 0,
  network: 96,
  managed: 256,
  metaspace: 256,
  overhead: 192,
};

/** The SQL Gateway is a plain client JVM (it plans SQL, the cluster runs it). */
export const DEFAULT_GATEWAY_HEAP_MB = 384;

/**
 * Heartbeats between the JobManager and its TaskManagers. A dead TaskManager (kill -9: its RPCs
 * fail at once) is declared lost after `heartbeat.rpc-failure-threshold` (2) failed heartbeats,
 * 2-4 s at this interval (10-20 s, measured 11-16 s, with Flink's 10 s default); a hung one
 * (frozen: its RPCs neither answer nor fail) only when no heartbeat came for the timeout.
 * The recovery lab's "frozen TaskManager" drill holds its pause longer than the timeout.
 */
export const HEARTBEAT_INTERVAL_MS = 2_000;
export const HEARTBEAT_TIMEOUT_MS = 10_000;
/** web.refresh-interval: the REST API's job-state cache and the web UI's polling (ADR 0112). */
export const REST_REFRESH_MS = 500;

export function jmProcessMb(m: JobManagerMemory): number {
  return m.heap + m.offHeap + m.metaspace + m.overhead;
}

export function tmProcessMb(m: TaskManagerMemory): number {
  return m.frameworkHeap + m.taskHeap + m.frameworkOffHeap + m.taskOffHeap + m.network + m.managed + m.metaspace + m.overhead;
}

export interface FlinkPorts {
  /** JobManager REST + web UI (documented default 8081). */
  rest: number;
  /** JobManager RPC, which the TaskManager dials (Flink's default 6123). */
  rpc: number;
  /** SQL Gateway REST endpoint (documented default 8083); only the gateway's own config needs it. */
  gateway?: number;
  /**
   * The Prometheus reporter's port for this process (JobManager 9249, TaskManager 9250 by default;
   * ADR 0070). Absent: no reporter (the SQL Gateway, the container backend).
   */
  metrics?: number;
}

export interface FlinkDirs {
  /** Scratch space: io.tmp.dirs, blob storage, the process working dirs. */
  tmp: string;
  /** Web UI jar uploads. */
  web: string;
  /** Flink's plugin dir (FLINK_PLUGINS_DIR); empty, but its absence is logged as a warning. */
  plugins: string;
  checkpoints: string;
  savepoints: string;
}

export interface FlinkConfigInput {
  ports: FlinkPorts;
  dirs: FlinkDirs;
  /** Every socket binds here; 127.0.0.1 keeps the stack off the network. */
  host?: string;
  slots?: number;
  parallelism?: number;
  jmMemory?: JobManagerMemory;
  tmMemory?: TaskManagerMemory;
  /**
   * The TaskManager's resource id (`taskmanager.resource-id`), the id the REST API lists it by.
   * Unset: Flink makes one from host and port (the default TaskManager). The realistic shape's
   * second TaskManager sets one, so two TaskManagers starting together each find their own.
   */
  resourceId?: string;
}

/** A YAML scalar that survives any path or value (double-quoted JSON string is valid YAML). */
function scalar(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The flat key/value view of the configuration, in the order it is written. */
export function flinkConfigEntries(input: FlinkConfigInput): [string, string | number | boolean][] {
  const host = input.host ?? '127.0.0.1';
  const jm = input.jmMemory ?? DEFAULT_JM_MEMORY;
  const tm = input.tmMemory ?? DEFAULT_TM_MEMORY;
  const mb = (n: number) => `${n}m`;
  const entries: [string, string | number | boolean][] = [
    ['jobmanager.rpc.address', host],
    ['jobmanager.rpc.port', input.ports.rpc],
    ['jobmanager.bind-host', host],
    ['jobmanager.memory.heap.size', mb(jm.heap)],
    ['jobmanager.memory.off-heap.size', mb(jm.offHeap)],
    ['jobmanager.memory.jvm-metaspace.size', mb(jm.metaspace)],
    ['jobmanager.memory.jvm-overhead.min', mb(jm.overhead)],
    ['jobmanager.memory.jvm-overhead.max', mb(jm.overhead)],
    ['jobmanager.execution.failover-strategy', 'region'],
    // Failure drills (HEARTBEAT_INTERVAL_MS above): a kill -9'd TaskManager is noticed in 2-4 s; the
    // timeout covers a hung (not dead) process; 10 s is plenty on loopback (FINDINGS.md, diff 4).
    ['heartbeat.interval', HEARTBEAT_INTERVAL_MS],
    ['heartbeat.timeout', HEARTBEAT_TIMEOUT_MS],
    ['taskmanager.host', host],
    ['taskmanager.bind-host', host],
    // 0 = any free port, chosen by the OS at bind time (no race); bound to taskmanager.bind-host.
    ['taskmanager.rpc.port', '0'],
    ['taskmanager.data.port', 0],
    ['taskmanager.numberOfTaskSlots', input.slots ?? 2],
    // TaskManagerRunner insists on a complete resource spec (bin/taskmanager.sh passes it as
    // -D options computed by BashJavaUtils); cpu.cores defaults to the slot count there.
    ['taskmanager.cpu.cores', input.slots ?? 2],
    ['taskmanager.memory.framework.heap.size', mb(tm.frameworkHeap)],
    ['taskmanager.memory.task.heap.size', mb(tm.taskHeap)],
    ['taskmanager.memory.framework.off-heap.size', mb(tm.frameworkOffHeap)],
    ['taskmanager.memory.task.off-heap.size', mb(tm.taskOffHeap)],
    ['taskmanager.memory.network.min', mb(tm.network)],
    ['taskmanager.memory.network.max', mb(tm.network)],
    ['taskmanager.memory.managed.size', mb(tm.managed)],
    ['taskmanager.memory.jvm-metaspace.size', mb(tm.metaspace)],
    ['taskmanager.memory.jvm-overhead.min', mb(tm.overhead)],
    ['taskmanager.memory.jvm-overhead.max', mb(tm.overhead)],
    ['blob.server.port', '0'],
    ['rest.address', host],
    ['rest.bind-address', host],
    ['rest.port', input.ports.rest],
    ['parallelism.default', input.parallelism ?? 1],
    ['io.tmp.dirs', input.dirs.tmp],
    // How long the REST API serves a job's state from its cache (ExecutionGraphCache's time to
    // live; Flink's default 3 s): every "wait until FINISHED / CANCELED" saw a state up to 3 s
    // old. The web UI polls at this interval too. ADR 0112.
    ['web.refresh-interval', REST_REFRESH_MS],
    ['web.tmpdir', input.dirs.web],
    ['web.upload.dir', input.dirs.web],
    // Flink 1.20 names (state.checkpoints.dir / state.savepoints.dir are deprecated there).
    ['execution.checkpointing.dir', `file://${input.dirs.checkpoints}`],
    ['execution.checkpointing.savepoint-dir', `file://${input.dirs.savepoints}`],
  ];
  if (input.ports.metrics !== undefined) {
    entries.push(
      // The reporter jar sits in the plugins dir (src/stack/flink/prometheus-reporter/pom.xml).
      // It binds every interface: the reporter has no host option in Flink 1.20 (ADR 0070).
      ['metrics.reporter.prom.factory.class', 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory'],
      ['metrics.reporter.prom.port', String(input.ports.metrics)],
      // Label values as Flink has them ("ctr-phase-3 demo", not "ctr_phase_3_demo"): the same
      // job_name as the REST API, which the pipeline exporter reports (ADR 0072).
      ['metrics.reporter.prom.filterLabelValueCharacters', false],
      // One gauge per job status (runningState = 1 while RUNNING) beside the default time gauges:
      // the job-health row and the JobNotRunning alert read them (ADR 0072).
      ['metrics.job.status.enable', 'STATE;CURRENT_TIME'],
    );
  }
  if (input.resourceId !== undefined) entries.push(['taskmanager.resource-id', input.resourceId]);
  if (input.ports.gateway !== undefined) {
    entries.push(
      ['sql-gateway.endpoint.rest.address', host],
      ['sql-gateway.endpoint.rest.bind-address', host],
      ['sql-gateway.endpoint.rest.port', input.ports.gateway],
      // The planner's generated code is compiled as it is, not split into methods of at most 4,000
      // characters first: the splitter parses each class with ANTLR, and that was most of phase 1's
      // job statement (4.0-5.3 s -> 1.1-2.0 s). The TaskManager JIT-compiles the longer methods
      // (jvm-flags.ts). ADR 0114.
      ['table.generated-code.max-length', GENERATED_CODE_UNSPLIT],
    );
  }
  return entries;
}

/**
 * config.yaml in Flink 1.20's standard YAML format. Flat dotted keys are valid there
 * ("jobmanager.rpc.port: 6123" and nested maps mean the same).
 */
/** Above any class's length: Flink splits generated code only when a class is longer than this. */
export const GENERATED_CODE_UNSPLIT = 2_147_483_647;

export function renderConfigYaml(input: FlinkConfigInput): string {
  const lines = [
    '# Generated by src/stack/flink/config.ts: edits are overwritten at the next start.',
    `# Flink ${FLINK_VERSION} local session cluster; everything binds ${input.host ?? '127.0.0.1'}.`,
    ...flinkConfigEntries(input).map(([k, v]) => `${k}: ${scalar(v)}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * log4j2 properties: everything to the console, which service.ts sends to the service's
 * log file (.stack/logs/<service>.log), so one file holds the JVM's output and Flink's log.
 */
export function renderLog4jProperties(level: 'INFO' | 'WARN' | 'DEBUG' = 'INFO'): string {
  return `${[
    '# Generated by src/stack/flink/config.ts',
    'monitorInterval = 30',
    `rootLogger.level = ${level}`,
    'rootLogger.appenderRef.console.ref = ConsoleAppender',
    'logger.kafka.name = org.apache.kafka',
    'logger.kafka.level = WARN',
    'logger.pekko.name = org.apache.pekko',
    'logger.pekko.level = INFO',
    'logger.zookeeper.name = org.apache.zookeeper',
    'logger.zookeeper.level = WARN',
    'logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline',
    'logger.netty.level = OFF',
    'appender.console.name = ConsoleAppender',
    'appender.console.type = CONSOLE',
    'appender.console.layout.type = PatternLayout',
    'appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n',
  ].join('\n')}\n`;
}

const MiB = 1024 * 1024;

/**
 * The memory flags bin/taskmanager.sh and bin/jobmanager.sh would compute with
 * BashJavaUtils GET_TM_RESOURCE_PARAMS / GET_JM_RESOURCE_PARAMS for the explicit sizes above:
 * heap = framework + task heap; direct = framework + task off-heap + network.
 */
export function jvmMemoryArgs(role: FlinkRole, mem: { jm?: JobManagerMemory; tm?: TaskManagerMemory; gatewayHeapMb?: number } = {}): string[] {
  if (role === 'jobmanager') {
    const m = mem.jm ?? DEFAULT_JM_MEMORY;
    return [`-Xmx${m.heap * MiB}`, `-Xms${m.heap * MiB}`, `-XX:MaxMetaspaceSize=${m.metaspace * MiB}`];
  }
  if (role === 'taskmanager') {
    const m = mem.tm ?? DEFAULT_TM_MEMORY;
    const heap = (m.frameworkHeap + m.taskHeap) * MiB;
    const direct = (m.frameworkOffHeap + m.taskOffHeap + m.network) * MiB;
    return [`-Xmx${heap}`, `-Xms${heap}`, `-XX:MaxDirectMemorySize=${direct}`, `-XX:MaxMetaspaceSize=${m.metaspace * MiB}`];
  }
  const heap = mem.gatewayHeapMb ?? DEFAULT_GATEWAY_HEAP_MB;
  return [`-Xmx${heap}m`, `-Xms${Math.min(heap, 128)}m`];
}

/** Parses BashJavaUtils output: the JVM flags line and the dynamic properties line. */
export function parseBashJavaUtils(output: string): { jvmArgs: string[]; dynamicProperties: Record<string, string> } {
  const results = output
    .split('\n')
    .filter((l) => l.startsWith('BASH_JAVA_UTILS_EXEC_RESULT:'))
    .map((l) => l.slice('BASH_JAVA_UTILS_EXEC_RESULT:'.length).trim());
  if (results.length < 2) throw new Error(`BashJavaUtils printed ${results.length} result lines, expected 2`);
  const jvmArgs = (results[0] ?? '').split(/\s+/).filter(Boolean);
  const dynamicProperties: Record<string, string> = {};
  for (const m of (results[1] ?? '').matchAll(/-D\s+([^=\s]+)=(\S*)/g)) dynamicProperties[m[1] ?? ''] = m[2] ?? '';
  return { jvmArgs, dynamicProperties };
}

export interface JavaCommandInput {
  role: FlinkRole;
  confDir: string;
  classpath: readonly string[];
  /** Where the web UI's log view looks (log4j itself writes to stdout). */
  logFile: string;
  jmMemory?: JobManagerMemory;
  tmMemory?: TaskManagerMemory;
  gatewayHeapMb?: number;
}

/** The java arguments (without the java binary) for one of the three processes. */
export function javaArgs(input: JavaCommandInput): string[] {
  const log4j = `file:${input.confDir}/log4j.properties`;
  const args = [
    ...jvmMemoryArgs(input.role, { jm: input.jmMemory, tm: input.tmMemory, gatewayHeapMb: input.gatewayHeapMb }),
    '-XX:+IgnoreUnrecognizedVMOptions',
    ...JAVA17_OPENS,
    `-Dlog.file=${input.logFile}`,
    `-Dlog4j.configuration=${log4j}`,
    `-Dlog4j.configurationFile=${log4j}`,
    '-classpath',
    input.classpath.join(':'),
    MAIN_CLASS[input.role],
  ];
  // The cluster entrypoints take --configDir; the SQL Gateway reads FLINK_CONF_DIR instead
  // (given --configDir it stops parsing its -D options).
  if (input.role === 'jobmanager') args.push('--configDir', input.confDir, '--executionMode', 'cluster');
  if (input.role === 'taskmanager') args.push('--configDir', input.confDir);
  return args;
}

/** Environment for the process: the gateway finds its config through FLINK_CONF_DIR. */
export function javaEnv(confDir: string, pluginsDir: string): Record<string, string> {
  return { FLINK_CONF_DIR: confDir, FLINK_PLUGINS_DIR: pluginsDir };
}
