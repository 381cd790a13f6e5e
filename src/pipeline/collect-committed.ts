/**
 * The collect step for a pipeline whose sinks are transactional (exactly-once): a finished job's
 * topics hold commit markers (and perhaps aborted records) beside its records, so offsets cannot
 * count records. Each topic is read with read_committed until it has been quiet for a while (the
 * four at once), and ClickHouse must hold as many rows as the results topic has committed records.
 */
import type { Endpoints } from '../stack/backend.ts';
import { clickhouseClient, waitForCount } from '../stack/clickhouse/client.ts';
import { consumeAll, kafkaClient } from '../stack/kafka/client.ts';
import { readResults } from './clickhouse.ts';
import { ingestShortfall } from './ingest-shortfall.ts';
import type { PipelineOutputs } from './collect.ts';
import type { PipelineNames } from './names.ts';

/** The job is FINISHED (its last checkpoint committed every transaction): quiet this long means read to the end. */
const QUIET_MS = 1_500;
const INGEST_TIMEOUT_MS = 90_000;

export async function collectCommittedOutputs(ep: Pick<Endpoints, 'kafka' | 'clickhouseHttp'>, v: PipelineNames): Promise<PipelineOutputs> {
  const kafka = kafkaClient(ep.kafka);
  const read = async <T>(topic: string): Promise<T[]> => (await consumeAll(kafka, topic, { readUncommitted: false, idleMs: QUIET_MS })).map((m) => JSON.parse(m.value) as T);
  const [dlq, duplicates, late, results] = await Promise.all([
    read<PipelineOutputs['dlq'][number]>(v.dlq_topic),
    read<PipelineOutputs['duplicates'][number]>(v.duplicates_topic),
    read<PipelineOutputs['late'][number]>(v.late_topic),
    read<unknown>(v.results_topic),
  ]);
  const ch = clickhouseClient(ep.clickhouseHttp);
  try {
    const emitted = results.length;
    const landed = await waitForCount(ch, `SELECT count() AS n FROM ${v.results_table}`, emitted, INGEST_TIMEOUT_MS);
    if (landed < emitted) throw await ingestShortfall(ep, v, landed, emitted, INGEST_TIMEOUT_MS);
    return { dlq, duplicates, late, emitted, rows: await readResults(ch, v) };
  } finally {
    await ch.close();
  }
}
