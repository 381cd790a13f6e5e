/**
 * Phase 0, the baseline: a topic, a Flink SQL query submitted through the SQL Gateway, its
 * output read back, the counts per event type checked. Then two classic failures, caused on
 * purpose and diagnosed from what Flink reports: a record that is not JSON, and a job that
 * needs more slots than the cluster has.
 */
import { fileURLToPath } from 'node:url';
import type { InputLine } from '../../src/ctr/line.ts';
import { validateLine } from '../../src/ctr/validate.ts';
import { UsageError } from '../../src/stack/errors.ts';
import { compareCount } from '../../src/lab/compare.ts';
import { defineLab } from '../../src/lab/contract.ts';
import { labLines } from '../../src/lab/dataset.ts';
import { renderSql } from '../../src/lab/sql.ts';
import { type Row, SqlGatewayClient, SqlGatewayError, type SqlGatewaySession } from '../../src/stack/flink/gateway-client.ts';
import { FlinkRestClient, formatJobPhases } from '../../src/stack/flink/rest-client.ts';
import { createTopicsAt, kafkaClient, produceLines } from '../../src/stack/kafka/client.ts';
import { diagnoseSlots, type SlotDiagnosis } from './slots.ts';

const sql = (name: string) => new URL(`./sql/${name}`, import.meta.url);
/** A clean dataset: phase 0 has no data-quality handling yet (that is phase 1). */
const DATASET = { events: 2_000, duplicateRate: 0, malformedRate: 0, lateRate: 0 };
/** The record that breaks the parse-error demo: JSON cut off mid-object. */
const BROKEN_LINE = '{"event_id":"x1","user_id":"u1","product_id":"p01","event_type":"impr';

interface State {
  lines: InputLine[];
  topics: { events: string; broken: string };
  session?: SqlGatewaySession;
  counts: Record<string, number>;
  parseError?: string;
  slots?: SlotDiagnosis;
}

export default defineLab<State>({
  id: 'phase-0',
  title: 'Baseline: Kafka, one Flink SQL query, its output',
  lesson: '/docs/phase-0-baseline/lab',
  summary: 'Produce events to Kafka, count them per event type with a Flink SQL query submitted through the SQL Gateway, then cause and diagnose a parsing error and a slot shortage.',
  services: ['kafka', 'flink-jobmanager', 'flink-taskmanager', 'sql-gateway'],
  sql: fileURLToPath(new URL('./sql/', import.meta.url)),
  checks: [
    { name: 'impressions counted', explain: 'The query\'s final count for "impression" equals the number of impression events produced.' },
    { name: 'clicks counted', explain: 'The query\'s final count for "click" equals the number of click events produced.' },
    { name: 'parse error detected', explain: 'A job reading a record that is not JSON fails, and the lab finds the deserialization error in what Flink reports.' },
    { name: 'slot shortage detected', explain: 'A job that needs more slots than the cluster has waits; the lab finds it from the REST API (tasks not running, slots needed vs total).' },
  ],
  preflight(options) {
    if (!options.eventsFile) return;
    const lines = labLines(options, DATASET, 0);
    const bad = lines.map((l, i) => ({ i, v: validateLine(l) })).filter((x) => !x.v.ok);
    if (bad.length > 0) {
      const first = bad[0];
      const why = first && !first.v.ok ? `line ${first.i + 1}: ${first.v.reason}` : '';
      throw new UsageError(`phase-0 replays clean events only and ${bad.length} line(s) are invalid (first at ${why}): replay this file with phase-1, which sends them to a DLQ.`);
    }
  },
  init: (ctx) => ({
    lines: labLines(ctx.options, DATASET, 400),
    topics: { events: `${ctx.runId}_events`, broken: `${ctx.runId}_broken` },
    counts: {},
  }),
  steps: [
    {
      id: 'create-topics',
      title: 'Create the topics',
      explain: 'One single-partition topic for the events and one for the broken record. Topics are created explicitly: auto-creation is off on this broker.',
      async run(ctx, s) {
        for (const topic of Object.values(s.topics)) ctx.track.topic(topic);
        await createTopicsAt(ctx.endpoints.kafka, [{ topic: s.topics.events, partitions: 1 }, { topic: s.topics.broken, partitions: 1 }]);
        ctx.note(`${s.topics.events}, ${s.topics.broken}`);
      },
    },
    {
      id: 'produce',
      title: 'Produce the events',
      explain: 'The events go to Kafka in order with kafkajs (idempotent producer, acks=all). The broken topic gets one valid event and one record cut off mid-JSON.',
      async run(ctx, s) {
        const kafka = kafkaClient(ctx.endpoints.kafka);
        const r = await produceLines(kafka, s.topics.events, s.lines);
        const valid = s.lines[0] ?? '{"event_id":"v1","user_id":"u1","product_id":"p01","event_type":"click","ts":1}';
        await produceLines(kafka, s.topics.broken, [valid, BROKEN_LINE]);
        ctx.note(`${r.count} events in ${(r.ms / 1000).toFixed(1)} s`);
      },
    },
    {
      id: 'count',
      title: 'Count events per type with Flink SQL',
      explain: 'Through the SQL Gateway: a table over the topic, then a GROUP BY query. Its output is a changelog; the last row per event type is the count.',
      async run(ctx, s) {
        s.session = await new SqlGatewayClient(ctx.endpoints.sqlGateway).openSession({ 'execution.runtime-mode': 'streaming', 'pipeline.name': ctx.runId }, ctx.runId);
        await s.session.execute(renderSql(sql('events-table.sql'), { table: 'events', topic: s.topics.events, bootstrap: ctx.endpoints.kafka, bounded_mode: 'latest-offset' }));
        const t0 = Date.now();
        const result = await s.session.execute(renderSql(sql('count-by-type.sql'), { table: 'events' }), { timeoutMs: 180_000 });
        const queryMs = Date.now() - t0;
        if (result.jobId) ctx.track.job(result.jobId);
        s.counts = applyChangelog(result.rows);
        ctx.note(`${result.rows.length} changelog rows; final: ${JSON.stringify(s.counts)}`);
        // Where the query's time went (a note, never a failure): planning and submitting, then the job.
        const rest = new FlinkRestClient(ctx.endpoints.flinkRest);
        const phases = result.jobId ? await rest.phasesWhenFinished(result.jobId, 10_000).catch(() => undefined) : undefined;
        ctx.note(`the query took ${(queryMs / 1000).toFixed(1)} s${phases ? `; its job ${formatJobPhases(phases)}` : ''}`);
      },
    },
    {
      id: 'parse-error',
      title: 'Cause and find a parsing error',
      explain: 'The same query over the broken topic. The JSON format fails the job on the record it cannot parse; the lab reads the root cause that Flink reports.',
      async run(ctx, s) {
        const session = required(s.session);
        await session.execute(renderSql(sql('events-table.sql'), { table: 'broken', topic: s.topics.broken, bootstrap: ctx.endpoints.kafka, bounded_mode: 'latest-offset' }));
        try {
          const r = await session.execute(renderSql(sql('count-by-type.sql'), { table: 'broken' }), { timeoutMs: 120_000 });
          if (r.jobId) ctx.track.job(r.jobId);
          s.parseError = undefined;
        } catch (err) {
          if (!(err instanceof SqlGatewayError)) throw err;
          s.parseError = err.detail.rootCause ?? err.message;
        }
        ctx.note(s.parseError ? `Flink says: ${s.parseError.slice(0, 200)}` : 'the job did not fail');
      },
    },
    {
      id: 'slot-shortage',
      title: 'Cause and find a slot shortage',
      explain: 'A job with a parallelism one higher than the cluster\'s slots. It is accepted but its tasks cannot all be scheduled; the lab compares what the job needs with /overview, then cancels it.',
      async run(ctx, s) {
        const session = required(s.session);
        const rest = new FlinkRestClient(ctx.endpoints.flinkRest);
        const { slotsTotal } = await rest.overview();
        await session.execute(renderSql(sql('blackhole-sink.sql'), { table: 'discard' }));
        await session.execute(renderSql(sql('events-table.sql'), { table: 'endless', topic: s.topics.events, bootstrap: ctx.endpoints.kafka, bounded_mode: 'unbounded' }));
        const r = await session.execute('INSERT INTO discard SELECT * FROM endless', { executionConfig: { 'parallelism.default': String(slotsTotal + 1) } });
        if (!r.jobId) throw new Error('the INSERT returned no job id');
        ctx.track.job(r.jobId);
        // Reported once the shortage is certain (ADR 0034); 60 s only bounds the watch.
        // 1 s: three fresh reads of the job (the REST API's job cache lives 0.5 s, ADR 0112).
        s.slots = await diagnoseSlots(rest, r.jobId, { waitMs: 60_000, settleMs: 1_000 });
        ctx.note(s.slots.message);
      },
    },
  ],
  async evaluate(_ctx, s) {
    const expected = { impression: 0, click: 0 };
    for (const line of s.lines) {
      const v = validateLine(line);
      if (v.ok) expected[v.event.event_type]++;
    }
    return [
      compareCount('impressions counted', expected.impression, s.counts.impression ?? 0),
      compareCount('clicks counted', expected.click, s.counts.click ?? 0),
      {
        name: 'parse error detected',
        expected: 'job fails: JSON deserialization error',
        actual: s.parseError ? s.parseError.slice(0, 120) : 'no error reported',
        ok: !!s.parseError && /deserializ|json/i.test(s.parseError),
      },
      {
        name: 'slot shortage detected',
        expected: 'job needs more slots than exist: fails or waits',
        actual: s.slots?.message ?? 'not diagnosed',
        ok: !!s.slots?.short,
      },
    ];
  },
  report(s) {
    const valid = s.lines.filter((l) => validateLine(l).ok).length;
    return { counts: { produced: s.lines.length, valid, dlq: 0, duplicates: 0, late: 0 }, results: [] };
  },
  async cleanup(_ctx, s) {
    // The topics and jobs are tracked (ctx.track): the runner cancels and deletes them after this.
    await s.session?.close();
  },
});

/** Final value per key of a changelog: +I/+U set it, -U/-D remove it. */
export function applyChangelog(rows: readonly Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) {
    const [key, value] = row.fields as [string, number];
    if (row.kind === 'INSERT' || row.kind === 'UPDATE_AFTER') out[key] = Number(value);
    else delete out[key];
  }
  return out;
}

function required<T>(v: T | undefined): T {
  if (v === undefined) throw new Error('an earlier step did not run');
  return v;
}
