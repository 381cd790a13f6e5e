/**
 * Start-up flags for each JVM service, on top of its memory and GC flags, chosen by measuring
 * `npm run bench:stack` with each candidate set (ADR 0111). The JobManager, the SQL Gateway and
 * the broker run C1 only (-XX:TieredStopAtLevel=1): on two cores, C2's compiler threads compete
 * with every other start, and these three do little steady hot-loop work. The TaskManager runs the
 * jobs, whose sustained speed the throughput lab measures, so it keeps C2, and compiles methods
 * over 8,000 bytes of bytecode too: the SQL Gateway no longer splits generated code (ADR 0114).
 *
 * CTR_JVM_FLAGS_<SERVICE> replaces one service's set, to measure another (the service's name in
 * capitals, dashes as underscores: CTR_JVM_FLAGS_FLINK_JOBMANAGER="-XX:TieredStopAtLevel=1");
 * an empty value runs it with none. The flags start with -X, so they are part of the class-data
 * archive's key (cds.ts): a new set records its own archive on its first start.
 */
const C1_ONLY = ['-XX:TieredStopAtLevel=1'];
/**
 * The TaskManager compiles methods over 8,000 bytes of bytecode too: the SQL Gateway hands it
 * generated code unsplit (ADR 0114). Both backends use it; the docker backend takes no other flag.
 */
export const COMPILE_LONG_METHODS = ['-XX:-DontCompileHugeMethods'];
const CHOSEN: Readonly<Record<string, readonly string[]>> = {
  kafka: C1_ONLY,
  'flink-jobmanager': C1_ONLY,
  'sql-gateway': C1_ONLY,
  'flink-taskmanager': COMPILE_LONG_METHODS,
};

/** The local backend's JVM services (the realistic shape's extra nodes aside). */
export const JVM_SERVICES = ['kafka', 'flink-jobmanager', 'flink-taskmanager', 'sql-gateway'] as const;

/** The realistic shape's extra nodes (kafka-2, flink-taskmanager-2) take their first node's flags. */
function baseName(service: string): string {
  return service.replace(/-\d+$/, '');
}

export function envName(service: string): string {
  return `CTR_JVM_FLAGS_${baseName(service).toUpperCase().replace(/-/g, '_')}`;
}

export function startupFlags(service: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env[envName(service)];
  if (override !== undefined) return override.split(/\s+/).filter(Boolean);
  return [...(CHOSEN[baseName(service)] ?? [])];
}
