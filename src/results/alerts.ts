/**
 * static/results/alerts.json: what `npm run bench:alerts -- --record` writes
 * (src/cli/alert-drills.ts) after causing each fault on the running stack and timing its alert
 * through Prometheus' HTTP API (ADR 0075). The observability lesson renders it.
 */
import type { MachineInfo } from '../bench/machine.ts';
import type { Thresholds } from '../observability/alerts/thresholds.ts';
import type { AlertName } from '../observability/metrics.ts';

export interface AlertDrillResult {
  /** The fault's id: "dlq-burst", "clickhouse-consumer-stopped", "producing-stopped", "taskmanager-killed". */
  id: string;
  alert: AlertName;
  /** What was done to cause it, for people ("300 malformed lines at once"). */
  fault: string;
  /** What ended it ("ATTACH TABLE ... (the consumer resumes)"). */
  fix: string;
  /** Seconds from the fault to the alert's state `firing` in GET /api/v1/alerts; null if it never fired. */
  firedAfterSeconds: number | null;
  /** Seconds from the fault to `pending` (the expression true, its `for:` not yet over); null if never seen. */
  pendingAfterSeconds: number | null;
  /** The limit the live test holds `firedAfterSeconds` to. */
  fireLimitSeconds: number;
  /** Seconds from the fix to the alert gone from /api/v1/alerts; null if it never resolved. */
  resolvedAfterSeconds: number | null;
  resolveLimitSeconds: number;
  /** Fired and resolved within the limits. */
  passed: boolean;
}

export interface AlertsRecord {
  recordedAt: string;
  command: string;
  machine: MachineInfo & { loadAverage1m: number };
  /** The running services' versions, prometheus and pipeline-exporter included. */
  versions: Record<string, string>;
  prometheus: { scrapeIntervalSeconds: number; evaluationIntervalSeconds: number; series: number };
  /** The thresholds the stack's Prometheus ran with (the lab profile), and the lesson's production values. */
  thresholds: { lab: Thresholds; production: Thresholds };
  /** The live traffic during the drills. */
  stream: { eventsPerSecond: number; products: number; checkpointInterval: string; restartAttempts: number };
  /** The DLQ per reason as Prometheus reported it, against the oracle's counts for the same lines. */
  dlqCheck: { reasons: { reason: string; oracle: number; metric: number }[]; equal: boolean };
  drills: AlertDrillResult[];
  durationSeconds: number;
}
