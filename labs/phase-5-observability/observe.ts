/**
 * What the lab reads from Prometheus: the faults it causes and the alert each must fire, and the
 * metrics it compares with the oracle's counts. The alert rules and the data-quality metrics are
 * the stack's (src/observability/); this file only says which of them answers for which fault,
 * and how to narrow a metric to this run.
 */
import type { OracleOutput } from '../../src/ctr/oracle.ts';
import { freshnessLimitSeconds, LAB_THRESHOLDS, seconds } from '../../src/observability/alerts/thresholds.ts';
import { ALERTS, EXPORTER } from '../../src/observability/metrics.ts';
import type { SegmentKind } from './traffic.ts';

export interface Fault {
  id: 'malformed-burst' | 'stop-production';
  title: string;
  /** The traffic segment that is the fault. */
  segment: Exclude<SegmentKind, 'steady' | 'replay'>;
  /** The alert that must fire while the fault lasts and resolve after the fix. */
  alert: string;
  /** Bounds for the lab's waits and checks (s), from the stack's thresholds (the rule's window and `for`) plus SLACK_S. */
  fireWithinS: number;
  resolveWithinS: number;
  explain: string;
}

/**
 * Room on top of a rule's own window and `for`: a scrape interval, an evaluation interval, the
 * exporter's collection and the Kafka engine's flush, on a busy 2-core machine. Generous on
 * purpose: the check asks "does it fire at all, in about the time the rule implies", and the
 * record shows the actual times.
 */
const SLACK_S = 60;
const T = LAB_THRESHOLDS;

export const FAULTS: readonly Fault[] = [
  {
    id: 'malformed-burst',
    title: 'Fault 1: a burst of malformed lines',
    segment: 'malformed-burst',
    alert: ALERTS.dlqShare,
    // The share crosses the threshold once the window holds a few seconds of the burst; it falls back once the window has (nearly) forgotten it.
    fireWithinS: seconds(T.dlqWindow) + seconds(T.dlqFor) + SLACK_S,
    resolveWithinS: seconds(T.dlqWindow) + SLACK_S,
    explain: 'Every event now comes with a malformed line (about half the input goes to the DLQ) until the DLQ-share alert fires; then the steady mix again until it resolves.',
  },
  {
    id: 'stop-production',
    title: 'Fault 2: production stops',
    segment: 'pause',
    alert: ALERTS.resultsStale,
    // The newest window ages past the limit (window + watermark delay + allowance), then `for`; a new window lands about one window after production resumes.
    fireWithinS: freshnessLimitSeconds(T) + seconds(T.resultsStaleFor) + SLACK_S,
    resolveWithinS: T.windowSeconds + T.watermarkDelaySeconds + SLACK_S,
    explain: 'Nothing is produced, so no window closes and the newest result in ClickHouse ages, until the freshness alert fires; then production resumes (event time at the wall clock again) until it resolves.',
  },
];

/** One count the lab reads from Prometheus and the oracle's figure for it. */
export interface MetricCheck {
  name: string;
  explain: string;
  /** Instant query, narrowed to this run (the exporter's `run` label); the value summed over the result's series. */
  query: (runId: string) => string;
  expected: (o: OracleOutput, producedLines: number) => number;
}

const ofRun = (metric: string) => (runId: string) => `sum(${metric}{run="${runId}"})`;

export const METRIC_CHECKS: readonly MetricCheck[] = [
  { name: 'metric: events in = lines produced', explain: 'The input counter of this run equals the lines the lab produced.', query: ofRun(EXPORTER.inputEvents), expected: (_o, produced) => produced },
  { name: 'metric: DLQ = oracle', explain: 'The DLQ counter of this run equals the oracle\'s invalid lines.', query: ofRun(EXPORTER.dlqEvents), expected: (o) => o.counts.dlq },
  { name: 'metric: duplicates = oracle', explain: 'The duplicates counter of this run equals the oracle\'s repeated event_ids.', query: ofRun(EXPORTER.duplicateEvents), expected: (o) => o.counts.duplicates },
  { name: 'metric: late = oracle', explain: 'The late-events counter of this run equals the oracle\'s late events.', query: ofRun(EXPORTER.lateEvents), expected: (o) => o.counts.late },
];

/** Read after the drain, when every window has fired: the results counter against the oracle's windows. */
export const RESULTS_CHECK: MetricCheck = {
  name: 'metric: results = oracle',
  explain: 'After the drain, the results counter of this run equals the oracle\'s windows (one result per product and window).',
  query: ofRun(EXPORTER.resultRecords),
  expected: (o) => o.results.length,
};

/** The DLQ counter per reason for this run (compared with the oracle's tally). */
export const dlqByReasonQuery = (runId: string) => `sum by (reason) (${EXPORTER.dlqEvents}{run="${runId}"})`;
