/**
 * The pipeline's dashboard, once: rows of panels, each a PromQL query. Three things read this
 * list and nothing else, so they cannot drift apart: the live dashboard page on the site
 * (src/components/LiveDashboard), the Grafana dashboard (grafana.ts writes
 * static/grafana/ctr-pipeline.json) and the phase-5 observability lab, which checks that every
 * panel returns series after its run.
 *
 * Metric names come from the catalog (metrics.ts), where each says which exporter serves it.
 * A query filters on the Flink job with `$job` (a regex): Grafana fills it from a dashboard
 * variable, the site and the lab through renderQuery().
 */
import { M } from './panel-metrics.ts';

export type Unit = 'short' | 'ops' | 's' | 'ms' | 'bytes' | 'percentunit';

export interface Panel {
  /** Stable id: the Grafana panel's title is `title`, its id follows the list's order. */
  id: string;
  title: string;
  /** PromQL; `$job` stands for a regex over Flink job names. */
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

const job = '{job_name=~"$job"}';
const jobAnd = (labels: string) => `{job_name=~"$job",${labels}}`;
/** Two series on one panel: each gets a `what` label for its legend (`or` keeps both, their label sets differ). */
const named = (expr: string, what: string) => `label_replace(${expr}, "what", "${what}", "", "")`;

export const DASHBOARD_ROWS: readonly Row[] = [
  {
    id: 'job-health',
    title: 'Job health',
    panels: [
      { id: 'running-jobs', title: 'Running jobs', query: M.runningJobs, legend: 'running jobs', unit: 'short', explain: 'Jobs the JobManager reports RUNNING; 0 while a job should run is the first thing to look at.' },
      { id: 'job-uptime', title: 'Job uptime', query: `${M.jobUptime}${job} / 1000`, legend: '{{job_name}}', unit: 's', explain: 'Seconds since the job last (re)started: a saw-tooth means restarts.' },
      { id: 'job-restarts', title: 'Restarts', query: `${M.jobRestarts}${job}`, legend: '{{job_name}}', unit: 'short', explain: 'Restarts since submission: each one is a failure the restart strategy absorbed.' },
      { id: 'taskmanagers', title: 'TaskManagers and free slots', query: `${named(M.taskManagers, 'TaskManagers')} or ${named(M.freeSlots, 'free slots')}`, legend: '{{what}}', unit: 'short', explain: 'Registered TaskManagers and free slots: a killed TaskManager drops the first line until it comes back.' },
    ],
  },
  {
    id: 'throughput',
    title: 'Throughput in and out',
    panels: [
      { id: 'records-in', title: 'Records read from Kafka', query: `sum by (job_name) (${M.operatorRecordsOutPerSecond}${jobAnd('operator_name=~"Source.*"')})`, legend: '{{job_name}}', unit: 'ops', explain: 'Lines per second the Kafka source hands to the job: the input rate.' },
      { id: 'records-out', title: 'Records written per sink', query: `sum by (job_name, operator_name) (${M.operatorRecordsInPerSecond}${jobAnd('operator_name=~".*Writer.*"')})`, legend: '{{operator_name}}', unit: 'ops', explain: 'Records per second into each Kafka sink (results, DLQ, duplicates, late): the output rate.' },
    ],
  },
  {
    id: 'freshness',
    title: 'Watermark lag and result freshness',
    panels: [
      { id: 'watermark-lag', title: 'Watermark lag', query: `time() - max by (job_name) (${M.outputWatermark}${job}) / 1000`, legend: '{{job_name}}', unit: 's', explain: 'Wall clock minus the job\'s newest watermark: how far event time trails real time (at least the 5 s watermark delay; it grows when input stops or the job stalls).' },
      { id: 'result-freshness', title: 'Result freshness', query: `time() - ${M.newestWindowEnd} / 1000`, legend: '{{table}}', unit: 's', explain: 'Wall clock minus the end of the newest window in ClickHouse: the age of the freshest CTR a reader can see.' },
    ],
  },
  {
    id: 'data-quality',
    title: 'Data quality',
    panels: [
      { id: 'dlq-by-reason', title: 'DLQ by reason', query: `sum by (reason) (rate(${M.dlqEvents}[1m]))`, legend: '{{reason}}', unit: 'ops', explain: 'Malformed lines per second sent to the DLQ, per reason: a burst of one reason points at one broken producer.' },
      { id: 'dlq-share', title: 'DLQ share of input', query: `sum(rate(${M.dlqEvents}[1m])) / sum(rate(${M.inputEvents}[1m]))`, legend: 'DLQ share', unit: 'percentunit', explain: 'The DLQ\'s share of all input lines: the figure the DLQ-share alert watches.' },
      { id: 'duplicates-late', title: 'Duplicates and late events', query: `${named(`sum(rate(${M.duplicateEvents}[1m]))`, 'duplicates')} or ${named(`sum(rate(${M.lateEvents}[1m]))`, 'late')}`, legend: '{{what}}', unit: 'ops', explain: 'Events per second dropped as duplicates and routed to the late topic.' },
      { id: 'late-dropped', title: 'Late records dropped by windows', query: `sum by (job_name) (${M.lateRecordsDropped}${job})`, legend: '{{job_name}}', unit: 'short', explain: 'Flink\'s own count of late rows its window operators dropped; the pipeline routes late events before the window, so this should stay at 0.' },
    ],
  },
  {
    id: 'kafka-lag',
    title: 'Kafka consumer lag',
    panels: [
      { id: 'consumer-lag', title: 'Consumer lag per group', query: `sum by (group) (${M.consumerLag})`, legend: '{{group}}', unit: 'short', explain: 'Messages written but not yet read, per consumer group: the Flink job\'s and ClickHouse\'s. Growing lag means a consumer cannot keep up or stopped.' },
    ],
  },
  {
    id: 'checkpoints',
    title: 'Checkpoints',
    panels: [
      { id: 'checkpoints-completed', title: 'Checkpoints completed and failed', query: `${named(`${M.checkpointsCompleted}${job}`, 'completed')} or ${named(`${M.checkpointsFailed}${job}`, 'failed')}`, legend: '{{job_name}} {{what}}', unit: 'short', explain: 'Completed and failed checkpoints since the job started: the completed line must keep climbing, one step per interval.' },
      { id: 'checkpoint-duration', title: 'Last checkpoint duration', query: `${M.checkpointDuration}${job}`, legend: '{{job_name}}', unit: 'ms', explain: 'How long the last checkpoint took; near the interval means checkpoints will queue.' },
      { id: 'checkpoint-size', title: 'Last checkpoint size', query: `${M.checkpointSize}${job}`, legend: '{{job_name}}', unit: 'bytes', explain: 'State size of the last checkpoint: dedup and window state.' },
    ],
  },
  {
    id: 'clickhouse',
    title: 'ClickHouse ingestion',
    panels: [
      { id: 'clickhouse-rows', title: 'Rows ingested per second', query: `sum(rate(${M.clickhouseRows}[1m]))`, legend: 'rows/s', unit: 'ops', explain: 'Result rows per second the Kafka engine table and its materialized view insert into the results table.' },
    ],
  },
];

/** Every panel, in dashboard order. */
export function allPanels(): Panel[] {
  return DASHBOARD_ROWS.flatMap((r) => r.panels);
}

/** The query with `$job` replaced by a regex over job names (`.+`: every job). */
export function renderQuery(query: string, vars: { job?: string } = {}): string {
  return query.replaceAll('$job', vars.job ?? '.+');
}

/** A Grafana-style legend (`{{job_name}} {{what}}`) filled from a series' labels; blank when no label matched. */
export function legendOf(legend: string, labels: Record<string, string>): string {
  const text = legend.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => labels[k] ?? '').trim();
  return text || Object.entries(labels).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}=${v}`).join(', ') || 'value';
}
