/**
 * The error a collect step throws when ClickHouse has not ingested every results record in time.
 * It says what tells a stalled Kafka table from a starved one: the ClickHouse consumer group's
 * state and uncommitted records on the results topic, and how busy the server's background
 * schedule pool is (on 18.16 it runs every Kafka table's reads, 16 threads by default). Each
 * part that cannot be read says why instead, so the error itself never fails.
 */
import type { Endpoints } from '../stack/backend.ts';
import { clickhouseClient, query } from '../stack/clickhouse/client.ts';
import { consumeAll, groupLag, kafkaClient } from '../stack/kafka/client.ts';
import type { PipelineNames } from './names.ts';

export type IngestNames = Pick<PipelineNames, 'results_table' | 'results_topic' | 'clickhouse_group'>;

export interface IngestState {
  /** The group's state as the broker reports it (Stable, Empty, PreparingRebalance, ...) and its member count. */
  group: string;
  /** Records on the results topic the group has not committed. */
  lag: string;
  /** Kafka engine tables on the server, and the schedule pool's busy threads of its size. */
  server: string;
  /** Committed results messages that are not one JSON object (a JSONEachRow table stops at the first; ADR 0123), or "none". */
  unreadable?: string;
}

/** How many unreadable messages the error quotes, and how much of each. */
const QUOTED = 3;
const QUOTE_CHARS = 120;

/**
 * The messages of a results topic that a JSONEachRow Kafka table cannot read as one row: not one
 * JSON object. ClickHouse 18.16 fails every read that meets such a message and reads it again,
 * ingesting nothing behind it (ADR 0123). An empty message is skipped by the table, so not listed.
 */
export function unreadableMessages(messages: readonly { partition: number; offset: string; value: string }[]): string {
  const bad = messages.filter((m) => {
    if (m.value === '') return false;
    try {
      const v: unknown = JSON.parse(m.value);
      return typeof v !== 'object' || v === null || Array.isArray(v);
    } catch {
      return true;
    }
  });
  if (bad.length === 0) return 'none';
  const quoted = bad.slice(0, QUOTED).map((m) => `partition ${m.partition} offset ${m.offset}: ${JSON.stringify(m.value.slice(0, QUOTE_CHARS))}`);
  return `${bad.length} (${quoted.join('; ')}${bad.length > QUOTED ? '; ...' : ''})`;
}

/** One sentence for the error: what the next reader needs first. */
export function shortfallMessage(landed: number, expected: number, timeoutMs: number, v: IngestNames, s: IngestState): string {
  return (
    `ClickHouse ingested ${landed} of ${expected} results records into ${v.results_table} within ${timeoutMs / 1000} s ` +
    `(consumer group ${v.clickhouse_group}: ${s.group}, ${s.lag}; server: ${s.server}` +
    (s.unreadable === undefined ? '' : `; messages it cannot read as a row: ${s.unreadable}`) +
    `): see the runbook /runbooks/no-results-in-clickhouse`
  );
}

const unavailable = (err: unknown) => `unavailable: ${(err as Error).message}`;

export async function ingestState(ep: Pick<Endpoints, 'kafka' | 'clickhouseHttp'>, v: IngestNames): Promise<IngestState> {
  const kafka = kafkaClient(ep.kafka);
  const admin = kafka.admin();
  const ch = clickhouseClient(ep.clickhouseHttp, { quiet: true });
  try {
    await admin.connect();
    const [group, lag, server, unreadable] = await Promise.all([
      admin.describeGroups([v.clickhouse_group]).then(
        (d) => `${d.groups[0]?.state ?? 'unknown'} with ${d.groups[0]?.members.length ?? 0} member(s)`,
        unavailable,
      ),
      groupLag(admin, v.clickhouse_group, v.results_topic).then((n) => `${n} record(s) not committed`, unavailable),
      query<{ tables: string; busy: string; size: string }>(
        ch,
        "SELECT (SELECT count() FROM system.tables WHERE engine = 'Kafka') AS tables, (SELECT value FROM system.metrics WHERE metric = 'BackgroundSchedulePoolTask') AS busy, (SELECT value FROM system.settings WHERE name = 'background_schedule_pool_size') AS size",
      ).then(([r]) => `${r?.tables} Kafka table(s), schedule pool ${r?.busy} of ${r?.size} threads busy`, unavailable),
      consumeAll(kafka, v.results_topic, { idleMs: 1_000, timeoutMs: 15_000 }).then(unreadableMessages, unavailable),
    ]);
    return { group, lag, server, unreadable };
  } catch (err) {
    const why = unavailable(err);
    return { group: why, lag: why, server: why };
  } finally {
    await admin.disconnect().catch(() => undefined);
    await ch.close();
  }
}

/** The shortfall as an Error, with the state read now. */
export async function ingestShortfall(ep: Pick<Endpoints, 'kafka' | 'clickhouseHttp'>, v: IngestNames, landed: number, expected: number, timeoutMs: number): Promise<Error> {
  return new Error(shortfallMessage(landed, expected, timeoutMs, v, await ingestState(ep, v)));
}
