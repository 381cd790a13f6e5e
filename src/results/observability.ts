/**
 * static/results/phase-5-observability.json: what `npm run lab phase-5-observability -- --record`
 * writes (labs/phase-5-observability/record.ts) and what the observability lesson renders
 * (src/components/ObservabilityRun). One type for both, so they cannot drift apart.
 */
import type { AlertChange } from '../observability/alerts-api.ts';
import type { Series } from '../observability/query-api.ts';
import type { LabRecordHeader } from './lab-record.ts';

export interface FaultRecord {
  id: string;
  title: string;
  alert: string;
  /** Epoch ms: the fault began, the alert was first seen firing, the fault was fixed, the alert was gone. */
  startedAt: number;
  firedAt?: number;
  fixedAt?: number;
  resolvedAt?: number;
  /** Seconds from the fault to firing, and from the fix to resolution (the lab polls every second). */
  fireSeconds?: number;
  resolveSeconds?: number;
  fireWithinS: number;
  resolveWithinS: number;
  /** Why it was not run (the short form runs one fault). */
  skipped?: string;
}

export interface CountRecord {
  name: string;
  oracle: string;
  prometheus: string;
  ok: boolean;
}

export interface ObservabilityRecord extends LabRecordHeader {
  /** The pipeline's setup: what the figures depend on. */
  setup: { linesPerSecond: number; delivery: string; checkpointing: string; parallelism: number; scrapeInterval?: string; evaluationInterval?: string };
  prometheus: { version: string; targetsUp: number; targets: number; series: number };
  /** Epoch ms: the window the series cover. */
  window: { start: number; end: number; stepSeconds: number };
  faults: FaultRecord[];
  alertChanges: AlertChange[];
  counts: CountRecord[];
  /** Every dashboard panel's series over the run (panels.ts ids), this run's job only. */
  series: Record<string, Series[]>;
}
