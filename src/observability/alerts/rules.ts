/**
 * The alert rules (ADR 0074): one rule group of recording rules and alerts, rendered to
 * Prometheus' YAML for a threshold profile (thresholds.ts). The stack's Prometheus loads the lab
 * profile (.stack/conf/prometheus/alerts.yml); `promtool test rules` checks the same rendering
 * (test/alerts). Each alert names the runbook that handles it (runbook_url), and the runbooks say
 * which alert sends a reader there.
 */
import { stringify } from 'yaml';
import { ALERTS, EXPORTER, FLINK, RULES } from '../metrics.ts';
import { type Thresholds, freshnessLimitSeconds } from './thresholds.ts';

/** The site's runbook pages (docusaurus.config.ts: url + the runbooks route). */
export const RUNBOOK_BASE_URL = 'https://ctr-labs.example/runbooks/';

/**
 * Which runbooks each alert sends its reader to (files runbooks/<slug>.md, each naming the alert;
 * test/alerts holds them together). ConsumerLagGrowing picks by its group: ClickHouse's Kafka
 * engine group (<run>_clickhouse) to the ClickHouse runbook, any other to backpressure and lag.
 */
export const RUNBOOKS: Record<(typeof ALERTS)[keyof typeof ALERTS], readonly string[]> = {
  FlinkJobNotRunning: ['flink-job-failed'],
  FlinkCheckpointsNotCompleting: ['checkpoints-failing'],
  ConsumerLagGrowing: ['backpressure-and-lag', 'no-results-in-clickhouse'],
  DlqShareHigh: ['invalid-events'],
  ResultsStale: ['no-results-in-clickhouse'],
  LateRecordsDropped: ['invalid-events'],
};

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'page' | 'ticket' };
  annotations: { summary: string; description: string; runbook_url: string };
}

const runbook = (alert: keyof typeof RUNBOOKS) => `${RUNBOOK_BASE_URL}${RUNBOOKS[alert][0]}`;

export function recordingRules(t: Thresholds): RecordingRule[] {
  return [
    {
      record: RULES.consumerLag,
      // Kafka groups that commit (ClickHouse's Kafka engine) from the exporter; a Flink job's sources
      // from their own pendingRecords (the SQL job commits no offsets without checkpoints).
      expr: `sum by (group) (${EXPORTER.consumerGroupLag})\nor\nlabel_replace(sum by (job_name) (${FLINK.sourcePendingRecords} >= 0), "group", "flink:$1", "job_name", "(.+)")`,
    },
    {
      record: RULES.dlqShare,
      expr: `sum by (run) (rate(${EXPORTER.dlqEvents}[${t.dlqWindow}]))\n/\nsum by (run) (rate(${EXPORTER.inputEvents}[${t.dlqWindow}]))`,
    },
    { record: RULES.resultsAge, expr: `time() - max by (run) (${EXPORTER.newestWindowEnd})` },
  ];
}

export function alertRules(t: Thresholds): AlertRule[] {
  const limit = freshnessLimitSeconds(t);
  return [
    {
      alert: ALERTS.jobNotRunning,
      expr: `max by (job_name) (${EXPORTER.flinkJobState}{state=~"FAILING|FAILED|RESTARTING|SUSPENDED"}) == 1`,
      for: t.jobNotRunningFor,
      labels: { severity: 'page' },
      annotations: {
        summary: 'Flink job {{ $labels.job_name }} is not running',
        description: `The newest job named {{ $labels.job_name }} has been failing, failed or restarting for ${t.jobNotRunningFor}: no events are processed.`,
        runbook_url: runbook('FlinkJobNotRunning'),
      },
    },
    {
      alert: ALERTS.checkpoints,
      expr: `(time() - max by (job_name) (${EXPORTER.lastCheckpointCompleted}))\n> ${t.checkpointIntervalsMissed} * max by (job_name) (${EXPORTER.checkpointInterval})`,
      for: '0s',
      labels: { severity: 'page' },
      annotations: {
        summary: `Job {{ $labels.job_name }} completed no checkpoint in ${t.checkpointIntervalsMissed} intervals`,
        description: `No checkpoint completed for more than ${t.checkpointIntervalsMissed} checkpoint intervals: a restart now would replay everything since the last one.`,
        runbook_url: runbook('FlinkCheckpointsNotCompleting'),
      },
    },
    {
      alert: ALERTS.lagGrowing,
      expr: `delta(${RULES.consumerLag}[${t.lagWindow}]) > 0 and ${RULES.consumerLag} > 0`,
      for: t.lagGrowingFor,
      labels: { severity: 'ticket' },
      annotations: {
        summary: 'Consumer lag of {{ $labels.group }} is growing',
        description: `The lag of {{ $labels.group }} has grown over every ${t.lagWindow} for ${t.lagGrowingFor}: the consumer is stopped or slower than its producers.`,
        runbook_url: `{{ if match "_clickhouse$" $labels.group }}${RUNBOOK_BASE_URL}no-results-in-clickhouse{{ else }}${RUNBOOK_BASE_URL}backpressure-and-lag{{ end }}`,
      },
    },
    {
      alert: ALERTS.dlqShare,
      expr: `${RULES.dlqShare} > ${t.dlqShare}`,
      for: t.dlqFor,
      labels: { severity: 'ticket' },
      annotations: {
        summary: 'Run {{ $labels.run }} sends too many events to the DLQ',
        description: `More than ${t.dlqShare * 100}% of the input events of {{ $labels.run }} went to the dead-letter topic over ${t.dlqWindow}: a producer sends malformed events.`,
        runbook_url: runbook('DlqShareHigh'),
      },
    },
    {
      alert: ALERTS.resultsStale,
      expr: `${RULES.resultsAge} > ${limit}\nand ${RULES.resultsAge} < ${t.freshnessHorizonSeconds}`,
      for: t.resultsStaleFor,
      labels: { severity: 'page' },
      annotations: {
        summary: 'The results of {{ $labels.run }} are stale',
        description: `The newest window in ClickHouse ended more than ${limit} s ago (window ${t.windowSeconds} s + watermark ${t.watermarkDelaySeconds} s + allowance ${t.freshnessAllowanceSeconds} s): events stopped arriving, or the pipeline stopped writing.`,
        runbook_url: runbook('ResultsStale'),
      },
    },
    {
      alert: ALERTS.lateDropped,
      expr: `sum by (job_name) (increase(${FLINK.lateRecordsDropped}[${t.lateWindow}])) > 0`,
      for: t.lateFor,
      labels: { severity: 'ticket' },
      annotations: {
        summary: 'Job {{ $labels.job_name }} dropped late records',
        description: `A window operator of {{ $labels.job_name }} dropped late records in the last ${t.lateWindow}: events were lost without reaching the late-events topic.`,
        runbook_url: runbook('LateRecordsDropped'),
      },
    },
  ];
}

/** The rule file Prometheus and promtool read. */
export function renderAlertRules(t: Thresholds): string {
  const doc = { groups: [{ name: 'ctr-pipeline', rules: [...recordingRules(t), ...alertRules(t)] }] };
  return `# Generated by src/observability/alerts/rules.ts (${t.profile} thresholds, src/observability/alerts/thresholds.ts).\n${stringify(doc, { lineWidth: 0 })}`;
}
