/**
 * static/results/phase-3-recovery.json: what `npm run lab phase-3-recovery -- --record` writes
 * (labs/phase-3-recovery/lab.ts record()) and what the recovery page renders
 * (src/components/RecoveryResults). One type for both, so they cannot drift apart.
 */
import type { MachineInfo } from '../bench/machine.ts';

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
  passed: boolean;
  verdict: string;
  lines?: number;
  fault_after_lines?: number;
  restored_seconds?: number;
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
  timeline?: { seconds: number; event: string }[];
}

export interface RecoveryRecord {
  recordedAt: string;
  command: string;
  form: 'short' | 'full';
  passed: boolean;
  durationSeconds: number;
  machine: MachineInfo & { loadAverage1m?: number };
  versions: Record<string, string>;
  goal: { taskmanager_recovery_seconds: number };
  stream: { events_per_second: number; partitions: number; checkpoint_interval: string; state_backend: string };
  drills: RecoveryDrillRecord[];
}
