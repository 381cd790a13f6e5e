/**
 * The pipeline's dashboard, once: rows of panels, each a PromQL query. Three things read this
 * list and nothing else, so they cannot drift apart: the live dashboard page on the site
 * (src/components/LiveDashboard), the Grafana dashboard (grafana.ts writes
 * static/grafana/ctr-pipeline.json) and the phase-5 observability lab, which checks that every
 * panel returns series after its run.
 *
 * Metric names come from the catalog (metrics.ts), where each says which exporter serves it.
 * A query filters on the run with `$run` (a regex over run ids: the exporter's `run` label, the
 * end of a Flink job's name, the start of a topic's): Grafana fills it from a dashboard variable,
 * the site and the lab through renderQuery().
 */
import { EXPORTER, FLINK, KAFKA, RULES } from './metrics.ts';

export type Unit = 'short' | 'ops' | 's' | 'ms' | 'bytes' | 'percentunit';

export interface Panel {
  /** Stable id: the Grafana panel's title is `title`, its id follows the list's order. */
  id: string;
  title: string;
  /** PromQL; `$run` stands for a regex over run ids. */
  query: string;
  /** Legend per series: Grafana's `{{label}}` syntax, which the site's charts follow too. */
  legend: string;
  unit: Unit;
  /** One sentence for the page: what the line means and when to worry. */
  explain: string;
}

export interface Row {
  id: string;
  title: string;
  panels: Panel[];
}

/** Flink's metrics carry the job's name, which ends with the run id (src/pipeline/names.ts). */
const job = '{job_name=~".*$run.*"}';
/** The exporter's and the rules' series carry the run id itself. */
const run = '{run=~"$run"}';
/** Two or more series on one panel: each gets a `what` label for its legend (`or` keeps them all, their label sets differ). */
const named = (expr: string, what: string) => `label_replace(${expr}, "what", "${what}", "", "")`;
/** Rate windows: long enough for a few scrapes, short enough to show a lab's faults. */
const W = '[30s]';
const perRun = (counter: string) => `sum by (run) (rate(${counter}${run}${W}))`;

export const DASHBOARD_ROWS: readonly Row[] = [
  {
    id: 'job-health',
    title: 'Job health',
    panels: [
      { id: 'job-running', title: 'Job running', query: `max by (job_name) (${FLINK.jobRunningState}${job})`, legend: '{{job_name}}', unit: 'short', explain: '1 while the job is RUNNING (Flink\'s job status gauge); the line stops when the job ends and drops to 0 while it restarts.' },
      { id: 'job-uptime', title: 'Job uptime', query: `max by (job_name) (${FLINK.jobUptime}${job}) / 1000`, legend: '{{job_name}}', unit: 's', explain: 'Seconds since the job last (re)started: a saw-tooth means restarts.' },
      { id: 'job-restarts', title: 'Restarts', query: `max by (job_name) (${FLINK.jobRestarts}${job})`, legend: '{{job_name}}', unit: 'short', explain: 'Restarts since submission: each one is a failure the restart strategy absorbed.' },
      { id: 'taskmanagers', title: 'TaskManagers and free slots', query: `${named(`max(${FLINK.registeredTaskManagers})`, 'TaskManagers')} or ${named(`max(${FLINK.slotsAvailable})`, 'free slots')}`, legend: '{{what}}', unit: 'short', explain: 'Registered TaskManagers and free task slots: a killed TaskManager drops the first line until a new one registers.' },
    ],
  },
  {
    id: 'throughput',
    title: 'Throughput in and out',
    panels: [
      { id: 'events-in', title: 'Events in', query: perRun(EXPORTER.inputEvents), legend: '{{run}}', unit: 'ops', explain: 'Lines per second arriving on the run\'s input topic: what the producers send.' },
      {
        id: 'records-out',
        title: 'Records out, per output',
        query: [
          named(perRun(EXPORTER.resultRecords), 'results'),
          named(perRun(EXPORTER.dlqEvents), 'DLQ'),
          named(perRun(EXPORTER.duplicateEvents), 'duplicates'),
          named(perRun(EXPORTER.lateEvents), 'late'),
        ].join(' or '),
        legend: '{{what}}',
        unit: 'ops',
        explain: 'Records per second the job writes to each output topic: one result per product and closed window, and the lines it set aside.',
      },
      { id: 'kafka-messages-in', title: 'Kafka: messages in per topic', query: `sum by (topic) (rate(${KAFKA.messagesIn}{topic=~"$run.*"}${W}))`, legend: '{{topic}}', unit: 'ops', explain: 'The broker\'s own count of messages written, per topic of the run: the same flows seen from Kafka.' },
    ],
  },
  {
    id: 'freshness',
    title: 'Watermark lag and result freshness',
    panels: [
      {
        id: 'watermark-lag',
        title: 'Watermark lag',
        // > 0 leaves out Long.MIN_VALUE, what an operator reports before its first watermark.
        query: `time() - max by (job_name) (${FLINK.operatorOutputWatermark}${job} > 0) / 1000`,
        legend: '{{job_name}}',
        unit: 's',
        explain: 'Wall clock minus the job\'s newest watermark: how far event time trails real time. At least the 5 s watermark delay; it climbs when input stops or the job stalls.',
      },
      { id: 'results-age', title: 'Result freshness', query: `${RULES.resultsAge}${run}`, legend: '{{run}}', unit: 's', explain: 'Wall clock minus the end of the newest window in ClickHouse: the age of the freshest CTR a reader can see (the ResultsStale alert watches it).' },
    ],
  },
  {
    id: 'data-quality',
    title: 'Data quality',
    panels: [
      { id: 'dlq-by-reason', title: 'DLQ by reason', query: `sum by (reason) (rate(${EXPORTER.dlqEvents}${run}${W}))`, legend: '{{reason}}', unit: 'ops', explain: 'Malformed lines per second sent to the DLQ, per reason: a burst of one reason points at one broken producer.' },
      { id: 'dlq-share', title: 'DLQ share of input', query: `${RULES.dlqShare}${run}`, legend: '{{run}}', unit: 'percentunit', explain: 'The DLQ\'s share of the input over the alert\'s window: what the DlqShareHigh alert compares with its threshold.' },
      { id: 'duplicates-late', title: 'Duplicates and late events', query: `${named(perRun(EXPORTER.duplicateEvents), 'duplicates')} or ${named(perRun(EXPORTER.lateEvents), 'late')}`, legend: '{{what}}', unit: 'ops', explain: 'Events per second dropped as duplicates, and routed to the late-events topic because their window had closed.' },
      { id: 'late-dropped', title: 'Late records dropped by windows', query: `sum by (job_name) (${FLINK.lateRecordsDropped}${job})`, legend: '{{job_name}}', unit: 'short', explain: 'Flink\'s own count of late rows its window operators dropped. The pipeline routes late events before the window, so this must stay 0; anything else is silent loss (LateRecordsDropped).' },
    ],
  },
  {
    id: 'kafka-lag',
    title: 'Kafka consumer lag',
    panels: [
      { id: 'consumer-lag', title: 'Consumer lag per group', query: `max by (group) (${RULES.consumerLag}{group=~".*$run.*"})`, legend: '{{group}}', unit: 'short', explain: 'Records written but not yet read, per consumer: the Flink job\'s sources (flink:<job>) and ClickHouse\'s Kafka engine. Lag that keeps growing means a consumer stopped or cannot keep up (ConsumerLagGrowing).' },
    ],
  },
  {
    id: 'checkpoints',
    title: 'Checkpoints',
    panels: [
      { id: 'checkpoints-completed', title: 'Checkpoints completed and failed', query: `${named(`max by (job_name) (${FLINK.completedCheckpoints}${job})`, 'completed')} or ${named(`max by (job_name) (${FLINK.failedCheckpoints}${job})`, 'failed')}`, legend: '{{what}}', unit: 'short', explain: 'Completed and failed checkpoints since the job started: the completed line climbs one step per interval.' },
      { id: 'checkpoint-age', title: 'Seconds since the last checkpoint', query: `time() - max by (job_name) (${EXPORTER.lastCheckpointCompleted}${job})`, legend: '{{job_name}}', unit: 's', explain: 'A saw-tooth between 0 and the interval; above three intervals the FlinkCheckpointsNotCompleting alert fires.' },
      { id: 'checkpoint-duration', title: 'Last checkpoint duration', query: `max by (job_name) (${FLINK.lastCheckpointDurationMs}${job})`, legend: '{{job_name}}', unit: 'ms', explain: 'How long the last checkpoint took; near the interval means checkpoints queue up.' },
      { id: 'checkpoint-size', title: 'Last checkpoint size', query: `max by (job_name) (${FLINK.lastCheckpointSizeBytes}${job})`, legend: '{{job_name}}', unit: 'bytes', explain: 'State size of the last checkpoint: the dedup set and the open windows.' },
    ],
  },
  {
    id: 'clickhouse',
    title: 'ClickHouse ingestion',
    panels: [
      { id: 'clickhouse-inserted', title: 'Rows inserted per second (server)', query: `sum(rate(${EXPORTER.clickhouseEvents}{event="InsertedRows"}${W}))`, legend: 'inserted rows/s', unit: 'ops', explain: 'Every row ClickHouse inserts, all tables (system.events InsertedRows): the Kafka engine\'s materialized views among them.' },
      { id: 'results-rows', title: 'Result rows per run', query: `max by (run) (${EXPORTER.resultRows}${run})`, legend: '{{run}}', unit: 'short', explain: 'Rows in the run\'s results table: one per product and window (a re-emitted window replaces its row at merge time).' },
    ],
  },
];

/** Every panel, in dashboard order. */
export function allPanels(): Panel[] {
  return DASHBOARD_ROWS.flatMap((r) => r.panels);
}

/** The query with `$run` replaced by a regex over run ids (`.+`: every run). */
export function renderQuery(query: string, vars: { run?: string } = {}): string {
  return query.replaceAll('$run', vars.run ?? '.+');
}

/** A Grafana-style legend (`{{job_name}} {{what}}`) filled from a series' labels; blank when no label matched. */
export function legendOf(legend: string, labels: Record<string, string>): string {
  const text = legend.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => labels[k] ?? '').trim();
  return text || Object.entries(labels).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}=${v}`).join(', ') || 'value';
}
