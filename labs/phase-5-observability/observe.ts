/**
 * What the lab reads from Prometheus: the faults it causes and the alert each must fire, and the
 * metrics it compares with the oracle's counts. The alert rules and the data-quality metrics are
 * the stack's (src/observability/); this file only says which of them answers for which fault,
 * and how to narrow a metric to this run.
 */
import type { OracleOutput } from '../../src/ctr/oracle.ts';
import type { PipelineNames } from '../../src/pipeline/names.ts';
import { M } from '../../src/observability/panel-metrics.ts';
import type { SegmentKind } from './traffic.ts';

export interface Fault {
  id: 'malformed-burst' | 'stop-production';
  title: string;
  /** The traffic segment that is the fault. */
  segment: Exclude<SegmentKind, 'steady' | 'replay'>;
  /** The alert that must fire while the fault lasts and resolve after the fix. */
  alert: string;
  /** Bounds for the lab's waits and checks (s): the rule's `for` plus its window plus scrape and evaluation intervals, with room for a busy machine. */
  fireWithinS: number;
  resolveWithinS: number;
  explain: string;
}

export const FAULTS: readonly Fault[] = [
  {
    id: 'malformed-burst',
    title: 'Fault 1: a burst of malformed lines',
    segment: 'malformed-burst',
    alert: 'DlqShareHigh',
    fireWithinS: 150,
    resolveWithinS: 180,
    explain: 'Every event now comes with a malformed line (about half the input goes to the DLQ) until the DLQ-share alert fires; then the steady mix again until it resolves.',
  },
  {
    id: 'stop-production',
    title: 'Fault 2: production stops',
    segment: 'pause',
    alert: 'ResultsStale',
    fireWithinS: 150,
    resolveWithinS: 150,
    explain: 'Nothing is produced, so no window closes and the newest result in ClickHouse ages, until the freshness alert fires; then production resumes (event time at the wall clock again) until it resolves.',
  },
];

/** One count the lab reads from Prometheus and the oracle's figure for it. */
export interface MetricCheck {
  name: string;
  explain: string;
  /** Instant query, narrowed to this run; the value summed over the result's series. */
  query: (v: PipelineNames, jobName: string) => string;
  expected: (o: OracleOutput, producedLines: number) => number;
}

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export const METRIC_CHECKS: readonly MetricCheck[] = [
  {
    name: 'metric: lines read = lines produced',
    explain: 'The Kafka source\'s records out (Flink\'s numRecordsOut of the source operator) equals the lines the lab produced.',
    query: (_v, job) => `sum(flink_taskmanager_job_task_operator_numRecordsOut{job_name="${esc(job)}",operator_name=~"Source.*"})`,
    expected: (_o, produced) => produced,
  },
  {
    name: 'metric: DLQ lines = oracle',
    explain: 'The DLQ counter for this run\'s DLQ topic equals the oracle\'s invalid lines.',
    query: (v) => `sum(${M.dlqEvents}{topic="${esc(v.dlq_topic)}"})`,
    expected: (o) => o.counts.dlq,
  },
  {
    name: 'metric: duplicates = oracle',
    explain: 'The duplicates counter for this run equals the oracle\'s repeated event_ids.',
    query: (v) => `sum(${M.duplicateEvents}{topic="${esc(v.duplicates_topic)}"})`,
    expected: (o) => o.counts.duplicates,
  },
  {
    name: 'metric: late events = oracle',
    explain: 'The late-events counter for this run equals the oracle\'s late events.',
    query: (v) => `sum(${M.lateEvents}{topic="${esc(v.late_topic)}"})`,
    expected: (o) => o.counts.late,
  },
];

/** The DLQ counter per reason for this run (compared with the oracle's tally). */
export const dlqByReasonQuery = (v: PipelineNames) => `sum by (reason) (${M.dlqEvents}{topic="${esc(v.dlq_topic)}"})`;
