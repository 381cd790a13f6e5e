/**
 * Warms a fresh SQL Gateway's planner, so a lab's first submission is as fast as its second
 * (ADR 0033). A cold gateway spends seconds loading and JIT-compiling Calcite, the planner's
 * rules and the code generator on its first statement; this plans one statement shaped like the
 * labs' (a Kafka source with a watermark, a deduplication, a 10 s tumbling window, a Kafka sink)
 * with EXPLAIN JSON_EXECUTION_PLAN, which runs the optimizer and the translation to a stream
 * graph, in a throwaway session. Nothing connects to Kafka and no job is submitted.
 *
 * It runs in the background from the moment the gateway is healthy, while the rest of the stack
 * starts (warmingListener) or, on a stack that was already running, while a lab creates its topics
 * and tables; SqlGatewaySession.executeStatement waits for it only if it is still running then.
 */
import type { UpResult } from '../backend.ts';
import type { StackListener } from '../events.ts';
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

/** CTR_GATEWAY_WARMUP=off skips every warm-up (to measure what it saves). */
export function warmupEnabled(): boolean {
  return process.env.CTR_GATEWAY_WARMUP !== 'off';
}

/**
 * Wraps a stack listener: when the SQL Gateway turns healthy during a start, its warm-up begins at
 * once, overlapping the services still starting (a lab then finds the planner warm instead of
 * waiting for it; ADR 0033), and `onWarmup` gets the warm-up's promise. The caller wraps its
 * listener only when warmupEnabled(), as it warms an already running gateway itself.
 */
export function warmingListener(next: StackListener | undefined, onWarmup: (warmup: Promise<WarmupResult>) => void): StackListener {
  return (event) => {
    next?.(event);
    if (event.kind === 'phase' && event.service === 'sql-gateway' && event.phase === 'healthy' && event.url) {
      const warmup = warmGateway(event.url);
      // Handled here too: a start that fails later must not leave it unhandled.
      warmup.catch(() => {});
      onWarmup(warmup);
    }
  };
}

/**
 * After a `stack up`: warms the gateway it started (one it kept was warmed when it started), so the
 * next lab's first statement plans warm. Undefined when it started none or warm-ups are off.
 */
export function warmStartedGateway(result: UpResult): Promise<WarmupResult> | undefined {
  const gateway = result.services.find((s) => s.name === 'sql-gateway');
  if (!gateway || !result.startedNow.includes('sql-gateway') || !warmupEnabled()) return undefined;
  return warmGateway(gateway.url);
}

/** One line on a warm-up's outcome, for the lab runner's note and `stack up`'s output alike. */
export async function describeWarmup(warmup: Promise<WarmupResult>, done = ''): Promise<string> {
  try {
    return `SQL Gateway planner warmed in ${((await warmup).ms / 1000).toFixed(1)} s${done}`;
  } catch (err) {
    return `SQL Gateway warm-up failed (the first statement plans cold): ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
  }
}

export { afterWarmup };
