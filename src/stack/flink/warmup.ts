/**
 * Warms a fresh SQL Gateway's planner, so a lab's first submission is as fast as its second
 * (ADR 0033). A cold gateway spends seconds loading and JIT-compiling Calcite, the planner's
 * rules and the code generator on its first statement; this plans one statement shaped like the
 * labs' (a Kafka source with a watermark, a deduplication, a 10 s tumbling window, a Kafka sink)
 * with EXPLAIN JSON_EXECUTION_PLAN, which runs the optimizer and the translation to a stream
 * graph, in a throwaway session. Nothing connects to Kafka and no job is submitted.
 *
 * It runs in the background: the runner starts it while a lab creates its topics and tables,
 * and SqlGatewaySession.executeStatement waits for it only if it is still running then.
 */
import { afterWarmup, registerWarmup } from './warmup-gate.ts';
import { SqlGatewayClient } from './gateway-client.ts';

const WARMUP_SQL = [
  `CREATE TEMPORARY TABLE warmup_source (
    line_bytes BYTES,
    rt AS TO_TIMESTAMP_LTZ(CAST(JSON_VALUE(DECODE(line_bytes, 'UTF-8'), '$.ts') AS BIGINT), 3),
    WATERMARK FOR rt AS rt - INTERVAL '5' SECOND
  ) WITH ('connector' = 'kafka', 'topic' = 'warmup', 'properties.bootstrap.servers' = '127.0.0.1:1', 'format' = 'raw', 'scan.startup.mode' = 'earliest-offset')`,
  `CREATE TEMPORARY TABLE warmup_sink (
    product_id STRING, window_start TIMESTAMP(3), impressions BIGINT, clicks BIGINT, ctr DOUBLE
  ) WITH ('connector' = 'kafka', 'topic' = 'warmup-out', 'properties.bootstrap.servers' = '127.0.0.1:1', 'format' = 'json')`,
  `CREATE TEMPORARY VIEW warmup_events AS
   SELECT rt, JSON_VALUE(DECODE(line_bytes, 'UTF-8'), '$.event_id') AS event_id,
          JSON_VALUE(DECODE(line_bytes, 'UTF-8'), '$.product_id') AS product_id,
          JSON_VALUE(DECODE(line_bytes, 'UTF-8'), '$.event_type') AS event_type
   FROM warmup_source`,
  `EXPLAIN JSON_EXECUTION_PLAN INSERT INTO warmup_sink
   SELECT product_id, window_start, COUNT(*) FILTER (WHERE event_type = 'impression'), COUNT(*) FILTER (WHERE event_type = 'click'),
          CAST(COUNT(*) FILTER (WHERE event_type = 'click') AS DOUBLE) / NULLIF(COUNT(*) FILTER (WHERE event_type = 'impression'), 0)
   FROM TABLE(TUMBLE(TABLE warmup_events, DESCRIPTOR(rt), INTERVAL '10' SECOND))
   GROUP BY product_id, window_start, window_end`,
  `EXPLAIN JSON_EXECUTION_PLAN
   SELECT event_id, product_id, event_type, rt FROM (
     SELECT *, ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY rt) AS n FROM warmup_events
   ) WHERE n = 1`,
];

export interface WarmupResult {
  ms: number;
}

async function plan(baseUrl: string): Promise<WarmupResult> {
  const t0 = Date.now();
  const client = new SqlGatewayClient(baseUrl, { requestTimeoutMs: 60_000 });
  const session = await client.openSession({ 'execution.runtime-mode': 'streaming' }, 'warmup');
  try {
    for (const statement of WARMUP_SQL) {
      // Straight to the REST API: executeStatement would wait for this very warm-up.
      const op = await session.submitUnwaited(statement);
      await session.fetchResults(op, { timeoutMs: 60_000 }, statement);
    }
  } finally {
    await session.close().catch(() => {});
  }
  return { ms: Date.now() - t0 };
}

/** Starts a warm-up of the gateway at baseUrl in the background; statements sent meanwhile wait for it. */
export function warmGateway(baseUrl: string): Promise<WarmupResult> {
  const url = baseUrl.replace(/\/+$/, '');
  const p = plan(url);
  registerWarmup(url, p);
  return p;
}

export { afterWarmup };
