/**
 * Run-specific names and phase 1's values for every placeholder of the pipeline SQL
 * (labs/phase-1/sql, README.md there lists them), so runs sharing a stack never meet. Other
 * renderings start from these and change values, never the files: the recovery drills
 * (streaming.ts), the throughput lab's configurations.
 */
import { fillPlaceholders, readSql } from '../lab/sql.ts';
import type { Endpoints } from '../stack/backend.ts';
import { PIPELINE_SQL } from './render.ts';

/** The text of the source's `line_bytes BYTES` column, as flink/dlq-reason.sql's `line` placeholder. */
const LINE_TEXT = "DECODE(line_bytes, 'UTF-8')";

/** Every placeholder has a value; a rendering may add its own (an index signature keeps them typed as strings). */
export interface PipelineNames {
  [placeholder: string]: string;
  prefix: string;
  source_table: string;
  dlq_table: string;
  duplicates_table: string;
  late_table: string;
  results_table: string;
  input_topic: string;
  dlq_topic: string;
  duplicates_topic: string;
  late_topic: string;
  results_topic: string;
  bootstrap_servers: string;
  consumer_group: string;
  pipeline_name: string;
  queue_table: string;
  mv_name: string;
  clickhouse_group: string;
}

export function pipelineNames(runId: string, ep: Pick<Endpoints, 'internal'>, pipelineName: string): PipelineNames {
  return {
    prefix: `${runId}_`,
    source_table: `${runId}_src`,
    dlq_table: `${runId}_dlq`,
    duplicates_table: `${runId}_dup`,
    late_table: `${runId}_late`,
    results_table: `${runId}_results`,
    input_topic: `${runId}_events`,
    dlq_topic: `${runId}_dlq`,
    duplicates_topic: `${runId}_duplicates`,
    late_topic: `${runId}_late`,
    results_topic: `${runId}_results`,
    // The pipeline's own traffic (Flink, ClickHouse's Kafka engine) uses the stack's internal address.
    bootstrap_servers: ep.internal.kafka,
    consumer_group: `${runId}_flink`,
    pipeline_name: pipelineName,
    queue_table: `${runId}_queue`,
    mv_name: `${runId}_mv`,
    clickhouse_group: `${runId}_clickhouse`,
    // The validation expression, over the line's text: the source's column is the line's bytes.
    dlq_reason: fillPlaceholders(readSql(`${PIPELINE_SQL}flink/dlq-reason.sql`), { line: LINE_TEXT }, 'flink/dlq-reason.sql').trimEnd(),
    // Phase 1's read: earliest -> the offsets current at job start, no auto-commit, a watermark
    // after every event. The recovery drills read unbounded; the throughput lab from a point in
    // time or a slice of offsets, with periodic watermarks.
    startup_mode: 'earliest-offset',
    bounded_mode: 'latest-offset',
    scan_offsets: '',
    auto_commit: 'false',
    watermark_emit: 'on-event',
    // No state TTL: dedup remembers every event_id (the throughput lab bounds it, ADR 0019).
    state_ttl: '0 ms',
    // Phase 1's delivery; the recovery drills write exactly-once (transactions).
    delivery_guarantee: 'at-least-once',
    txn_prefix: runId.replace(/_/g, '-'),
    txn_timeout_ms: '600000',
    // Extra Kafka engine settings in ClickHouse (the throughput lab's block size); none in phase 1.
    kafka_settings: '',
  };
}
