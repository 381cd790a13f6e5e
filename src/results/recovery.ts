/**
 * static/results/phase-3-recovery.json (the local backend) and phase-3-recovery-docker.json
 * (`--backend docker`, src/results/files.ts): what `npm run lab phase-3-recovery -- --record` writes
 * (labs/phase-3-recovery/lab.ts record()) and what the recovery page renders
 * (src/components/RecoveryResults). One type for both, so they cannot drift apart.
 */
import type { MachineInfo } from '../bench/machine.ts';
import type { BackendName } from '../stack/backend.ts';

export interface SideCount {
  /** Records a read_committed consumer sees: what counts. */
  committed: number;
  /** Records including those of aborted transactions: what a read_uncommitted consumer would see. */
  uncommitted: number;
  expected: number;
}

export type SideTopic = 'results' | 'dlq' | 'duplicates' | 'late';

export interface RecoveryDrillRecord {
  number: number;
  id: string;
  name: string;
  /** Runs only on this backend (it needs the backend's pause and network faults, ADR 0030). */
  only_on?: BackendName;
  /** Why this run did not run the drill (a backend without those faults); `passed` is then true and means nothing. */
  skipped?: string;
  passed: boolean;
  verdict: string;
  lines?: number;
  fault_after_lines?: number;
  restored_seconds?: number;
  /** How long the fault was held (the freeze, the network cut). */
  held_seconds?: number;
  /** The producer's longest wait for an acknowledgement after the fault: how long the host could not write. */
  producer_stall_seconds?: number;
  noticed_seconds?: number;
  recovery_seconds?: number;
  catch_up_seconds?: number;
  expected_rows?: number;
  actual_rows?: number;
  raw_rows?: number;
  side?: Record<SideTopic, SideCount>;
  input?: { expected: number; actual: number; missing: number; extra: number };
  /** ClickHouse visibility before the fault: window close -> row first seen (ms). */
  visibility_ms_before_fault?: { p50: number; p95: number; n: number };
  checkpoints?: { completed?: number; failed?: number; restored?: string };
  /** How often the job restarted after the fault (attempts that found no slot count too). */
  restarts?: number;
  timeline?: { seconds: number; event: string }[];
}

export interface RecoveryRecord {
  recordedAt: string;
  command: string;
  /** The backend the drills ran on (absent in records made before there were two: local). */
  backend?: BackendName;
  form: 'short' | 'full';
  passed: boolean;
  durationSeconds: number;
  machine: MachineInfo & { loadAverage1m?: number };
  versions: Record<string, string>;
  goal: { taskmanager_recovery_seconds: number };
  stream: { events_per_second: number; partitions: number; checkpoint_interval: string; state_backend: string };
  drills: RecoveryDrillRecord[];
}
