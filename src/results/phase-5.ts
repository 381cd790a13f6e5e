/**
 * static/results/phase-5.json: what `npm run lab phase-5 -- --record` writes (labs/phase-5/record.ts)
 * and what the phase-5 lesson renders (src/components/Phase5Run). One type for both.
 */
import type { AlertChange } from '../observability/alerts-api.ts';
import type { LabRecordHeader } from './lab-record.ts';

export interface Phase5RunRecord {
  id: string;
  title: string;
  /** Lines replayed, event time spanned, and the replay's pace. */
  lines: number;
  eventTimeSeconds: number;
  speedup: number;
  replaySeconds: number;
  rule: boolean;
  counts: { clickhouseRows: number; icebergRows: number; dlq: number; futureTs: number; duplicates: number; late: number };
  /** The checks of this run: name, expected, actual, ok (skipped ones say why in `actual`). */
  checks: { name: string; expected: string; actual: string; ok: boolean; skipped?: boolean }[];
}

export interface Phase5DrillRecord {
  kind: 'broker' | 'taskmanager';
  service: string;
  /** Fault to back in service. */
  seconds: number;
  /** The job's restarts over the whole run (its exception history). */
  restarts: number;
  /** Broker: in-sync copies per partition of the input topic, fewest seen while it was down, and after. */
  isrDuring?: number;
  isrAfter?: number;
  /** TaskManager: kill to every task running again. */
  recoveredSeconds?: number;
  /** Prometheus meanwhile: the run's alert changes, and the TaskManagers the JobManager counted. */
  alerts: AlertChange[];
  taskManagers?: { min: number; max: number };
}

/** The broken clock's two runs side by side: the same burst, the rule on and off. */
export interface ClockComparison {
  burstEvents: number;
  ruleOn?: { futureTs: number; late: number; lateAfter: number; after: number; windowsAfter: number };
  ruleOff?: { futureTs: number; late: number; lateAfter: number; after: number; windowsAfter: number };
}

export interface Phase5Record extends LabRecordHeader {
  setup: { partitions: number; replicationFactor: number; minInsyncReplicas: number; parallelism: number; taskManagers: number; checkpointing: string; delivery: string; watermarks: Record<string, string> };
  runs: Phase5RunRecord[];
  drills: Phase5DrillRecord[];
  clock: ClockComparison;
}
