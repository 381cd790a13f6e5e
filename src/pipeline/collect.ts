/**
 * Phase 1's collect step: what a finished (bounded) run left behind. Reads the DLQ, duplicates and
 * late-events topics while ClickHouse ingests every results message, then the results with FINAL.
 */
import type { CtrResult } from '../ctr/event.ts';
import type { Endpoints } from '../stack/backend.ts';
import { clickhouseClient, waitForCount } from '../stack/clickhouse/client.ts';
import { kafkaClient, topicOffsetSpan } from '../stack/kafka/client.ts';
import { readResults } from './clickhouse.ts';
import { ingestShortfall } from './ingest-shortfall.ts';
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
    // The side topics are read while ClickHouse ingests: its read cycle is most of this step (ADR 0037).
    // One after the other: kafkajs's admin is not safe for concurrent offset lookups (in CI, two at
    // once made one of them fail inside kafkajs: "Cannot destructure property 'partitions' of 'high.pop(...)'").
    const sideTopics = async () => ({
      dlq: await readJsonTopic<PipelineOutputs['dlq'][number]>(kafka, admin, v.dlq_topic),
      duplicates: await readJsonTopic<PipelineOutputs['duplicates'][number]>(kafka, admin, v.duplicates_topic),
      late: await readJsonTopic<PipelineOutputs['late'][number]>(kafka, admin, v.late_topic),
    });
    const [landed, side] = await Promise.all([waitForCount(ch, `SELECT count() AS n FROM ${v.results_table}`, emitted, INGEST_TIMEOUT_MS), sideTopics()]);
    if (landed < emitted) throw await ingestShortfall(ep, v, landed, emitted, INGEST_TIMEOUT_MS);
    return { ...side, emitted, rows: await readResults(ch, v) };
  } finally {
    await ch.close();
    await admin.disconnect();
  }
}
