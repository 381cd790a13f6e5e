/**
 * Phase 1, data quality and event time: the full CTR pipeline in Flink SQL, submitted through
 * the SQL Gateway, with a DLQ for malformed lines, deduplication by event_id, 10 s event-time
 * windows with a 5 s watermark, late events routed to their own topic, and results landing in
 * ClickHouse through its Kafka engine. Every number is checked against the reference oracle
 * (src/ctr/oracle.ts), which never calls Flink.
 */
import type { CtrCounts, CtrResult } from '../../src/ctr/event.ts';
import { type OracleOutput, runOracle } from '../../src/ctr/oracle.ts';
import { compareCount, compareResults, compareTally, tally } from '../../src/lab/compare.ts';
import { defineLab } from '../../src/lab/contract.ts';
import { labLines } from '../../src/lab/dataset.ts';
import { loadSqlDir } from '../../src/lab/sql.ts';
import { clickhouseClient, exec, query, waitForCount } from '../../src/stack/clickhouse/client.ts';
import { SqlGatewayClient } from '../../src/stack/flink/gateway-client.ts';
import { FlinkRestClient } from '../../src/stack/flink/rest-client.ts';
import { consumeAll, createTopicsAt, deleteTopicsAt, kafkaClient, produceLines, topicOffsetSpan } from '../../src/stack/kafka/client.ts';
import { pipelineNames, SQL_DIR } from './names.ts';

/** The generated dataset: every kind of mess the pipeline must handle, tricky product ids included. */
const DATASET = { events: 3_000, tricky: true };
const SHORT_EVENTS = 800;

interface Outputs {
  dlq: { payload: string; reason: string }[];
  duplicates: { event_id: string }[];
  late: { event_id: string; window_start: number }[];
  /** Messages on the results topic: one per window Flink emitted. */
  emitted: number;
  /** ClickHouse rows, read with FINAL, in the oracle's order. */
  rows: CtrResult[];
}

interface State {
  lines: string[];
  oracle: OracleOutput;
  vars: Record<string, string>;
  topics: string[];
  jobId?: string;
  out?: Outputs;
}


/** The statements of the ClickHouse SQL files whose name starts with `prefix` (10- create, 90- read, 99- drop). */
function clickhouseSql(vars: Record<string, string>, prefix: string): string[] {
  return loadSqlDir(`${SQL_DIR}clickhouse`, vars)
    .filter((x) => x.file.startsWith(prefix))
    .map((x) => x.sql);
}

const byOracleOrder = (a: CtrResult, b: CtrResult) => (a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : a.window_start - b.window_start);

export default defineLab<State>({
  id: 'phase-1',
  title: 'Data quality and event time: the CTR pipeline, checked against the oracle',
  lesson: '/docs/phase-1-data-quality/lab',
  summary:
    'Malformed lines to a DLQ with a reason, duplicates dropped and counted, 10 s event-time windows with a 5 s watermark, late events routed aside, CTR per product and window into ClickHouse; every row and count compared with the reference oracle.',
  services: ['kafka', 'clickhouse', 'flink-jobmanager', 'flink-taskmanager', 'sql-gateway'],
  checks: [
    { name: 'ClickHouse rows equal the oracle', explain: 'Every (product_id, window_start) row read with FINAL has the oracle\'s impressions, clicks and ctr; missing, extra and differing rows are listed.' },
    { name: 'each window emitted once', explain: 'The results topic holds exactly one message per window the oracle computes: no window fired twice, none missing.' },
    { name: 'DLQ count', explain: 'Lines on the DLQ topic equal the oracle\'s invalid lines.' },
    { name: 'DLQ reasons', explain: 'The DLQ reasons, counted per reason, equal the oracle\'s.' },
    { name: 'duplicates count', explain: 'Events on the duplicates topic equal the oracle\'s repeated event_ids.' },
    { name: 'late count', explain: 'Events on the late-events topic equal the oracle\'s late events (window closed when they arrived).' },
  ],
  init(ctx) {
    const lines = labLines(ctx.options, DATASET, SHORT_EVENTS);
    const vars = pipelineNames(ctx.runId, ctx.endpoints, `ctr-phase-1 ${ctx.runId}`);
    return { lines, oracle: runOracle(lines), vars, topics: [vars.input_topic, vars.dlq_topic, vars.duplicates_topic, vars.late_topic, vars.results_topic] as string[] };
  },
  steps: [
    {
      id: 'create-topics',
      title: 'Create the topics',
      explain: 'Input, DLQ, duplicates, late events and results: one partition each, so a replay keeps its order and the watermark never waits for an idle partition.',
      async run(ctx, s) {
        await createTopicsAt(ctx.endpoints.kafka, s.topics.map((topic) => ({ topic, partitions: 1 })));
        ctx.note(s.topics.join(', '));
      },
    },
    {
      id: 'produce',
      title: 'Produce the input lines',
      explain: 'Every line goes to Kafka as is, valid or not, in order. The input is complete before the job starts: the bounded read stops at the offsets it finds at start.',
      async run(ctx, s) {
        const r = await produceLines(kafkaClient(ctx.endpoints.kafka), s.vars.input_topic as string, s.lines);
        const c = s.oracle.counts;
        ctx.note(`${r.count} lines in ${(r.ms / 1000).toFixed(1)} s (the oracle expects ${c.valid} valid, ${c.dlq} DLQ, ${c.duplicates} duplicates, ${c.late} late, ${s.oracle.results.length} windows)`);
      },
    },
    {
      id: 'clickhouse-tables',
      title: 'Create the ClickHouse tables',
      explain: 'A ReplacingMergeTree keyed by (product_id, window_start), a Kafka engine table on the results topic, and the materialized view that moves rows from one to the other.',
      async run(ctx, s) {
        const ch = clickhouseClient(ctx.endpoints.clickhouseHttp);
        try {
          for (const sql of clickhouseSql(s.vars, '10-')) await exec(ch, sql);
        } finally {
          await ch.close();
        }
      },
    },
    {
      id: 'submit',
      title: 'Submit the pipeline through the SQL Gateway',
      explain: 'Session settings, the source table that validates each raw line, the sinks, the views, then one statement set: a single Flink job with four outputs.',
      async run(ctx, s) {
        const session = await new SqlGatewayClient(ctx.endpoints.sqlGateway).openSession({}, ctx.runId);
        try {
          for (const { sql } of loadSqlDir(`${SQL_DIR}flink`, s.vars)) {
            const r = await session.execute(sql);
            if (r.jobId) s.jobId = r.jobId;
          }
        } finally {
          await session.close().catch(() => {});
        }
        if (!s.jobId) throw new Error('the statement set returned no Flink job id');
        ctx.note(`job ${s.jobId}`);
      },
    },
    {
      id: 'run-job',
      title: 'Let the job read to the end',
      explain: 'A bounded read: at the end of the input Flink emits a final watermark, every open window fires, and the job finishes.',
      async run(ctx, s) {
        await new FlinkRestClient(ctx.endpoints.flinkRest).waitForJob(s.jobId as string, { states: ['FINISHED'], timeoutMs: 300_000 });
      },
    },
    {
      id: 'collect',
      title: 'Collect the outputs',
      explain: 'Wait until ClickHouse has ingested every results message, read the results with FINAL, and read the DLQ, duplicates and late-events topics.',
      async run(ctx, s) {
        const kafka = kafkaClient(ctx.endpoints.kafka);
        const admin = kafka.admin();
        await admin.connect();
        const ch = clickhouseClient(ctx.endpoints.clickhouseHttp);
        try {
          const span = (t: string | undefined) => topicOffsetSpan(admin, t as string);
          const [nDlq, nDup, nLate, emitted] = await Promise.all([span(s.vars.dlq_topic), span(s.vars.duplicates_topic), span(s.vars.late_topic), span(s.vars.results_topic)]);
          const landed = await waitForCount(ch, `SELECT count() AS n FROM ${s.vars.results_table}`, emitted, 90_000);
          if (landed < emitted) throw new Error(`ClickHouse ingested ${landed} of ${emitted} results messages within 90 s: see the runbook /runbooks/no-results-in-clickhouse`);
          const read = async <T>(topic: string | undefined, n: number): Promise<T[]> =>
            n === 0 ? [] : (await consumeAll(kafka, topic as string, { expected: n, timeoutMs: 60_000 })).map((m) => JSON.parse(m.value) as T);
          const [readSql = ''] = clickhouseSql(s.vars, '90-');
          const raw = await query<Record<string, unknown>>(ch, readSql);
          s.out = {
            dlq: await read(s.vars.dlq_topic, nDlq),
            duplicates: await read(s.vars.duplicates_topic, nDup),
            late: await read(s.vars.late_topic, nLate),
            emitted,
            rows: raw
              .map((r) => ({ product_id: String(r.product_id), window_start: Number(r.window_start), impressions: Number(r.impressions), clicks: Number(r.clicks), ctr: r.ctr === null ? null : Number(r.ctr) }))
              .sort(byOracleOrder),
          };
          ctx.note(`${s.out.rows.length} rows in ClickHouse; ${nDlq} DLQ, ${nDup} duplicates, ${nLate} late`);
        } finally {
          await ch.close();
          await admin.disconnect();
        }
      },
    },
  ],
  async evaluate(_ctx, s) {
    const out = s.out as Outputs;
    const o = s.oracle;
    return [
      compareResults('ClickHouse rows equal the oracle', o.results, out.rows),
      compareCount('each window emitted once', o.results.length, out.emitted),
      compareCount('DLQ count', o.counts.dlq, out.dlq.length),
      compareTally('DLQ reasons', tally(o.dlq, (d) => d.reason), tally(out.dlq, (d) => d.reason)),
      compareCount('duplicates count', o.counts.duplicates, out.duplicates.length),
      compareCount('late count', o.counts.late, out.late.length),
    ];
  },
  report(s) {
    const out = s.out;
    const produced = s.lines.length;
    const counts: CtrCounts = out
      ? { produced, valid: produced - out.dlq.length - out.duplicates.length, dlq: out.dlq.length, duplicates: out.duplicates.length, late: out.late.length }
      : { produced, valid: 0, dlq: 0, duplicates: 0, late: 0 };
    return { counts, results: out?.rows ?? [] };
  },
  async cleanup(ctx, s) {
    if (s.jobId) await new FlinkRestClient(ctx.endpoints.flinkRest).cancelJob(s.jobId).catch(() => {});
    const ch = clickhouseClient(ctx.endpoints.clickhouseHttp);
    try {
      for (const sql of clickhouseSql(s.vars, '99-')) await exec(ch, sql);
    } finally {
      await ch.close();
    }
    await deleteTopicsAt(ctx.endpoints.kafka, s.topics);
  },
});
