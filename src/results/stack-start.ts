/**
 * static/results/stack-start.json (the local backend) and stack-start-docker.json (the docker
 * backend; the name comes from src/results/files.ts): what `npm run bench:stack -- [--backend
 * docker] --record` writes (src/cli/bench-stack.ts) and what the stack page renders
 * (src/components/StackStartResults). One type for both backends.
 */
import type { CpuReference } from '../bench/cpu-reference.ts';
import type { MachineInfo } from '../bench/machine.ts';
import type { BackendName } from '../stack/backend.ts';

export interface StackStartRun {
  totalMs: number;
  perServiceMs: Record<string, number>;
  rssMiB: Record<string, number>;
  /** The 1-minute load average when the run began (absent in files recorded before it was kept). */
  loadAverage1m?: number;
  /** The SQL Gateway planner's warm-up that `stack up` runs once all is healthy (ADR 0033); absent when none ran. */
  warmupMs?: number;
  /** CPU seconds each service had used when all were healthy (ADR 0124); absent in files recorded before. */
  cpuSeconds?: Record<string, number>;
  /** The share of the machine's CPU time that was busy from launch to all healthy, 0-1 (1 = every core). */
  machineBusy?: number;
}

export interface StackStartRecord {
  recordedAt: string;
  command: string;
  /** The backend measured (absent in the local file recorded before there were two). */
  backend?: BackendName;
  /** The container engine, on the docker backend: "Docker 20.10.24 (overlay2, amd64)". */
  engine?: string;
  machine: MachineInfo & { loadAverage1m?: number; cpuReference?: CpuReference };
  /** Whether the JVMs mapped class-data sharing archives (ADR 0031); absent before there were any. */
  cds?: 'on' | 'off';
  versions: Record<string, string>;
  /** Each JVM service's start-up flags (ADR 0111), on the local backend; absent in files recorded before they were chosen. */
  jvmStartupFlags?: Record<string, string[]>;
  /** Warm starts: everything the stack builds or downloads is already there. */
  runs: StackStartRun[];
  warm_start_median_ms: number;
  /** The profile measured, when not the default stack (`--profile realistic`, ADR 0091). */
  profile?: string;
  /** Each service's resident memory after start, the median over the warm runs (profiles other than default). */
  rss_median_mib?: Record<string, number>;
  /** One cold start (`--cold`), before the warm ones: what was not there, and how long building it took. */
  cold?: StackStartRun & { what: string; imagesMs?: number };
}

/** A run's CPU seconds over every service, or undefined for a run recorded before they were kept. */
export function totalCpuSeconds(run: StackStartRun): number | undefined {
  return run.cpuSeconds ? Object.values(run.cpuSeconds).reduce((a, b) => a + b, 0) : undefined;
}
