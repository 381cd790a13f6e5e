/**
 * A steady stream into the pipeline, and when its windows can close: what a long-running test
 * (a recovery drill) needs to know how fresh the results should be at any moment.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { type CtrResult, WATERMARK_DELAY_MS, WINDOW_MS } from '../ctr/event.ts';
import type { InputLine } from '../ctr/line.ts';
import { runOracle } from '../ctr/oracle.ts';
import { validateLine } from '../ctr/validate.ts';
import { orderedProducer } from '../stack/kafka/client.ts';
import { type IngestTopics, ingestRequests } from './ingest.ts';

export interface ProductionLog {
  /** Lines sent so far (acknowledged). */
  sent: number;
  /** One entry per acknowledged batch: wall time and the count after it. */
  batches: { at: number; sent: number }[];
  done: Promise<void>;
  stop: () => void;
}

/**
 * Sends `lines` at `ratePerSecond`, in batches every `tickMs`, in order (idempotent producer,
 * acks=all, one request in flight), line i to input partition i % `partitions`; a too_large line's
 * DLQ record goes to the DLQ topic instead (ingest.ts). A send that fails (broker down) is retried
 * until it succeeds, so nothing is skipped and order is kept.
 */
export function produceSteadily(kafka: Kafka, topics: IngestTopics, lines: readonly InputLine[], ratePerSecond: number, partitions = 1, tickMs = 100): ProductionLog {
  const log: ProductionLog = { sent: 0, batches: [], done: Promise.resolve(), stop: () => {} };
  let stopped = false;
  log.stop = () => {
    stopped = true;
  };
  const perTick = Math.max(1, Math.round((ratePerSecond * tickMs) / 1000));
  log.done = (async () => {
    const producer = orderedProducer(kafka);
    await producer.connect();
    try {
      const t0 = Date.now();
      let tick = 0;
      while (log.sent < lines.length && !stopped) {
        for (const r of ingestRequests(lines, log.sent, Math.min(lines.length, log.sent + perTick), topics)) {
          // Each partition keeps the input's order; the DLQ topic has one.
          const messages = r.messages.map((m) => ({ value: m.value, ...(r.topic === topics.input_topic ? { partition: m.index % partitions } : {}) }));
          for (;;) {
            try {
              await producer.send({ topic: r.topic, acks: -1, messages });
              break;
            } catch {
              // The broker is down (a drill killed it): the same request again, so order and count hold.
              if (stopped) return;
              await sleep(200);
            }
          }
          log.sent = r.end;
        }
        log.batches.push({ at: Date.now(), sent: log.sent });
        tick++;
        const wait = t0 + tick * tickMs - Date.now();
        if (wait > 0) await sleep(wait);
      }
    } finally {
      await producer.disconnect().catch(() => {});
    }
  })();
  return log;
}

/** The largest ts of a valid line among `lines` (-Infinity when none is valid). */
function maxValidTs(lines: readonly InputLine[]): number {
  let maxTs = -Infinity;
  for (const l of lines) {
    const c = validateLine(l);
    if (c.ok) maxTs = Math.max(maxTs, c.event.ts);
  }
  return maxTs;
}

const closedBy = (windowStart: number, maxTs: number) => windowStart + WINDOW_MS <= maxTs - WATERMARK_DELAY_MS;

/**
 * When each window could first close: the wall time of the batch after which the input's max ts
 * (valid lines) reached window_end + 5 s. Keyed by window_start.
 */
export function windowCloseTimes(lines: readonly InputLine[], log: ProductionLog): Map<number, number> {
  const starts = [...new Set(runOracle(lines).results.map((r) => r.window_start))].sort((a, b) => a - b);
  const closeAt = new Map<number, number>();
  let maxTs = -Infinity;
  let bi = 0;
  let p = 0;
  for (let i = 0; i < lines.length; i++) {
    maxTs = Math.max(maxTs, maxValidTs([lines[i] as InputLine]));
    while (bi < log.batches.length && (log.batches[bi] as { sent: number }).sent < i + 1) bi++;
    const at = log.batches[bi]?.at;
    if (at === undefined) break;
    while (p < starts.length && closedBy(starts[p] as number, maxTs)) closeAt.set(starts[p++] as number, at);
  }
  return closeAt;
}

/** The oracle's windows that are closed after the first `n` lines (end <= max ts - 5 s). */
export function closedWindowsAfter(lines: readonly InputLine[], n: number): CtrResult[] {
  const prefix = lines.slice(0, n);
  const maxTs = maxValidTs(prefix);
  return runOracle(prefix).results.filter((r) => closedBy(r.window_start, maxTs));
}
