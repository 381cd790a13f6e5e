import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Endpoints } from '../../src/stack/index.ts';

/** The phase-1 SQL folder: flink/ and clickhouse/ statements, plus the dlq-reason.sql fragment. */
export const SQL_DIR = fileURLToPath(new URL('./sql/', import.meta.url));

/**
 * Run-specific names for every placeholder of the phase-1 SQL files, so runs sharing a stack
 * never meet. Later phases that reuse this SQL start from these and add their own.
 */
export function pipelineNames(runId: string, ep: Endpoints, pipelineName: string): Record<string, string> {
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
    dlq_reason: readFileSync(`${SQL_DIR}flink/dlq-reason.sql`, 'utf8').trimEnd(),
    // Phase 1's read and delivery; the recovery drills override these (unbounded, exactly-once).
    startup_mode: 'earliest-offset',
    bounded_mode: 'latest-offset',
    auto_commit: 'false',
    delivery_guarantee: 'at-least-once',
    txn_prefix: runId.replace(/_/g, '-'),
    txn_timeout_ms: '600000',
  };
}
