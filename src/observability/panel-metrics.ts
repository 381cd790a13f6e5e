/**
 * The metric names the dashboard's panels read, by what they mean. Flink's come from its
 * Prometheus reporter (flink-metrics-prometheus: scope `jobmanager_job_`, `taskmanager_job_task_operator_`
 * and the metric's own name, with labels job_name, task_name, operator_name...); the
 * others from the exporters the stack runs.
 */
export const M = {
  runningJobs: 'flink_jobmanager_numRunningJobs',
  taskManagers: 'flink_jobmanager_numRegisteredTaskManagers',
  freeSlots: 'flink_jobmanager_taskSlotsAvailable',
  jobUptime: 'flink_jobmanager_job_uptime',
  jobRestarts: 'flink_jobmanager_job_numRestarts',
  operatorRecordsInPerSecond: 'flink_taskmanager_job_task_operator_numRecordsInPerSecond',
  operatorRecordsOutPerSecond: 'flink_taskmanager_job_task_operator_numRecordsOutPerSecond',
  outputWatermark: 'flink_taskmanager_job_task_operator_currentOutputWatermark',
  lateRecordsDropped: 'flink_taskmanager_job_task_operator_numLateRecordsDropped',
  checkpointsCompleted: 'flink_jobmanager_job_numberOfCompletedCheckpoints',
  checkpointsFailed: 'flink_jobmanager_job_numberOfFailedCheckpoints',
  checkpointDuration: 'flink_jobmanager_job_lastCheckpointDuration',
  checkpointSize: 'flink_jobmanager_job_lastCheckpointSize',
  // Provisional until the catalog names them (obs-core): data quality, lag, ClickHouse.
  inputEvents: 'ctr_input_events_total',
  dlqEvents: 'ctr_dlq_events_total',
  duplicateEvents: 'ctr_duplicate_events_total',
  lateEvents: 'ctr_late_events_total',
  consumerLag: 'kafka_consumergroup_lag',
  newestWindowEnd: 'ctr_clickhouse_newest_window_end_ms',
  clickhouseRows: 'ctr_clickhouse_rows_total',
} as const;
