/**
 * Phase 1's collect step: what a finished (bounded) run left behind. Waits until ClickHouse has
 * ingested every results message, then reads the results with FINAL and the DLQ, duplicates and
 * late-events topics.
 */
import type { CtrResult } from '../ctr/event.ts';
import type { Endpoints } from '../stack/backend.ts';
import { clickhouseClient, waitForCount } from '../stack/clickhouse/client.ts';
import { kafkaClient, topicOffsetSpan } from '../stack/kafka/client.ts';
import { readResults } from './clickhouse.ts';
import type { PipelineNames } from './names.ts';
import { readJsonTopic } from './topics.ts';

export interface PipelineOutputs {
  /** As Flink writes them, and as ingestion writes too_large ones (with `bytes`): src/ctr/line.ts. */
  dlq: { payload: string; reason: string; bytes?: number }[];
  duplicates: { event_id: string }[];
  late: { event_id: string; window_start: number }[];
  /** Messages on the results topic: one per window Flink emitted. */
  emitted: number;
  /** ClickHouse rows, read with FINAL, in the oracle's order. */
  rows: CtrResult[];
}

/** Rows land in ClickHouse about 0-2.5 s after the job finishes; this is the limit. */
const INGEST_TIMEOUT_MS = 90_000;

export async function collectOutputs(ep: Pick<Endpoints, 'kafka' | 'clickhouseHttp'>, v: PipelineNames): Promise<PipelineOutputs> {
  const kafka = kafkaClient(ep.kafka);
  const admin = kafka.admin();
  await admin.connect();
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    const emitted = await topicOffsetSpan(admin, v.results_topic);
    const landed = await waitForCount(ch, `SELECT count() AS n FROM ${v.results_table}`, emitted, INGEST_TIMEOUT_MS);
    if (landed < emitted) throw new Error(`ClickHouse ingested ${landed} of ${emitted} results messages within ${INGEST_TIMEOUT_MS / 1000} s: see the runbook /runbooks/no-results-in-clickhouse`);
    return {
      dlq: await readJsonTopic(kafka, admin, v.dlq_topic),
      duplicates: await readJsonTopic(kafka, admin, v.duplicates_topic),
      late: await readJsonTopic(kafka, admin, v.late_topic),
      emitted,
      rows: await readResults(ch, v),
    };
  } finally {
    await ch.close();
    await admin.disconnect();
  }
}
