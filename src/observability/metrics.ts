/**
 * Every metric name the alert rules, the dashboards (site and Grafana) and the tests use, in one
 * catalog (ADR 0072). A name that changes upstream (a Flink or exporter upgrade) changes here once.
 *
 * Sources:
 *   flink     Flink's Prometheus reporter on the JobManager and TaskManager (ADR 0070): names are
 *             flink_<scope>_<metric>, labels job_name, job_id, task_name, operator_name, subtask_index.
 *   kafka     the JMX exporter agent in the broker, rules in src/stack/kafka/jmx-exporter/kafka.yml (ADR 0071).
 *   exporter  the pipeline exporter (src/observability/exporter, ADR 0073): consumer-group lag,
 *             ClickHouse 18.16's system tables, result freshness, data quality, Flink job states.
 *   rules     recording rules of src/observability/alerts/rules.ts (prefix ctr:).
 * `job` (the scrape job) is the stack service's name: flink-jobmanager, flink-taskmanager, kafka,
 * pipeline-exporter, prometheus.
 */

export const FLINK = {
  /** Gauge per job, JobManager: jobs in RUNNING state. */
  runningJobs: 'flink_jobmanager_numRunningJobs',
  registeredTaskManagers: 'flink_jobmanager_numRegisteredTaskManagers',
  slotsAvailable: 'flink_jobmanager_taskSlotsAvailable',
  slotsTotal: 'flink_jobmanager_taskSlotsTotal',
  /** 1 while the job is RUNNING (metrics.job.status.enable: STATE). */
  jobRunningState: 'flink_jobmanager_job_runningState',
  jobRestartingState: 'flink_jobmanager_job_restartingState',
  jobUptime: 'flink_jobmanager_job_uptime',
  jobRestarts: 'flink_jobmanager_job_numRestarts',
  completedCheckpoints: 'flink_jobmanager_job_numberOfCompletedCheckpoints',
  failedCheckpoints: 'flink_jobmanager_job_numberOfFailedCheckpoints',
  inProgressCheckpoints: 'flink_jobmanager_job_numberOfInProgressCheckpoints',
  lastCheckpointDurationMs: 'flink_jobmanager_job_lastCheckpointDuration',
  lastCheckpointSizeBytes: 'flink_jobmanager_job_lastCheckpointSize',
  /** Per task (subtask_index): records in and out, per second and total. */
  taskRecordsInPerSecond: 'flink_taskmanager_job_task_numRecordsInPerSecond',
  taskRecordsOutPerSecond: 'flink_taskmanager_job_task_numRecordsOutPerSecond',
  taskRecordsIn: 'flink_taskmanager_job_task_numRecordsIn',
  taskRecordsOut: 'flink_taskmanager_job_task_numRecordsOut',
  backPressuredMsPerSecond: 'flink_taskmanager_job_task_backPressuredTimeMsPerSecond',
  busyMsPerSecond: 'flink_taskmanager_job_task_busyTimeMsPerSecond',
  /** Per operator: event-time progress (epoch ms; Long.MIN_VALUE before the first watermark). */
  operatorInputWatermark: 'flink_taskmanager_job_task_operator_currentInputWatermark',
  operatorOutputWatermark: 'flink_taskmanager_job_task_operator_currentOutputWatermark',
  /** Source operators (FLIP-33): records not yet read from Kafka (the job's own consumer lag). */
  sourcePendingRecords: 'flink_taskmanager_job_task_operator_pendingRecords',
  /** Window operators: late records dropped (the SQL window aggregation drops them silently). */
  lateRecordsDropped: 'flink_taskmanager_job_task_operator_numLateRecordsDropped',
  operatorRecordsIn: 'flink_taskmanager_job_task_operator_numRecordsIn',
  operatorRecordsOut: 'flink_taskmanager_job_task_operator_numRecordsOut',
  tmHeapUsedBytes: 'flink_taskmanager_Status_JVM_Memory_Heap_Used',
  tmCpuLoad: 'flink_taskmanager_Status_JVM_CPU_Load',
} as const;

export const KAFKA = {
  /** Counters per topic (label topic) and for the broker (no topic label). */
  messagesIn: 'kafka_server_brokertopicmetrics_messagesinpersec_total',
  bytesIn: 'kafka_server_brokertopicmetrics_bytesinpersec_total',
  bytesOut: 'kafka_server_brokertopicmetrics_bytesoutpersec_total',
  partitions: 'kafka_server_replicamanager_partitioncount',
  underReplicatedPartitions: 'kafka_server_replicamanager_underreplicatedpartitions',
  activeControllers: 'kafka_controller_kafkacontroller_activecontrollercount',
  offlinePartitions: 'kafka_controller_kafkacontroller_offlinepartitionscount',
  requests: 'kafka_network_requestmetrics_requests_total',
  /** Per topic and partition: the next offset to be written. */
  logEndOffset: 'kafka_log_log_logendoffset',
} as const;

export const EXPORTER = {
  /** Gauge: records a group has not committed yet, summed over a topic's partitions (labels group, topic). */
  consumerGroupLag: 'ctr_kafka_consumergroup_lag',
  consumerGroupMembers: 'ctr_kafka_consumergroup_members',
  /** Counters per pipeline run (label run = the run id): what came in, and where the bad part went. */
  inputEvents: 'ctr_pipeline_input_events_total',
  dlqEvents: 'ctr_pipeline_dlq_events_total',
  duplicateEvents: 'ctr_pipeline_duplicate_events_total',
  lateEvents: 'ctr_pipeline_late_events_total',
  resultRecords: 'ctr_pipeline_result_records_total',
  /** Gauge per run: the end of the newest window in the run's ClickHouse results table (unix seconds). */
  newestWindowEnd: 'ctr_results_newest_window_end_seconds',
  resultRows: 'ctr_results_rows',
  /** 1 for the state of the newest job of each name (labels job_name, job_id, state); older jobs of a name are left out. */
  flinkJobState: 'ctr_flink_job_state',
  /** Per running job with checkpointing on: its interval and its latest completed checkpoint (unix seconds; the job's start before the first). */
  checkpointInterval: 'ctr_flink_checkpoint_interval_seconds',
  lastCheckpointCompleted: 'ctr_flink_checkpoint_last_completed_seconds',
  /** ClickHouse 18.16's system.events (counters, label event), system.metrics (gauges, label metric). */
  clickhouseEvents: 'ctr_clickhouse_events_total',
  clickhouseMetrics: 'ctr_clickhouse_metric',
  clickhouseUp: 'ctr_clickhouse_up',
  kafkaUp: 'ctr_kafka_up',
  flinkUp: 'ctr_flink_rest_up',
  /** How long the exporter's last collection took. */
  collectSeconds: 'ctr_exporter_collect_seconds',
} as const;

export const RULES = {
  /** Lag per consumer, from both sources: `group` is the Kafka group, or flink:<job_name> for a job's sources. */
  consumerLag: 'ctr:consumer_lag',
  /** Per run: DLQ events / input events over the DLQ window. */
  dlqShare: 'ctr:dlq_share',
  /** Per run: seconds since the end of the newest window in ClickHouse. */
  resultsAge: 'ctr:results_age_seconds',
} as const;

/** The ClickHouse events the dashboards chart (system.events names in 18.16). */
export const CLICKHOUSE_EVENTS = ['InsertedRows', 'InsertedBytes', 'Query', 'InsertQuery', 'SelectQuery', 'MergedRows'] as const;

export const ALERTS = {
  jobNotRunning: 'FlinkJobNotRunning',
  checkpoints: 'FlinkCheckpointsNotCompleting',
  lagGrowing: 'ConsumerLagGrowing',
  dlqShare: 'DlqShareHigh',
  resultsStale: 'ResultsStale',
  lateDropped: 'LateRecordsDropped',
} as const;

export type AlertName = (typeof ALERTS)[keyof typeof ALERTS];
