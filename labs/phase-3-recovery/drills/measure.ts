/**
 * How a drill is timed: when ClickHouse first shows each window, how fresh it was before the
 * fault, and when the job was whole again. Pure functions apart from the ClickHouse poller.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { clickhouseClient, query } from '../../../src/stack/clickhouse/client.ts';
import type { Endpoints } from '../../../src/stack/index.ts';
import { percentile } from '../../../src/bench/stats.ts';

/** One change of the job's state: `running` = the job RUNNING with every task RUNNING. */
export interface TimelinePoint {
  at: number;
  running: boolean;
}

/** Polls the raw ClickHouse results table every 500 ms, noting when each (product_id, window_start) first lands. */
export function observeClickhouse(ep: Endpoints, table: string): { firstSeen: Map<string, number>; stop: () => Promise<void> } {
  const firstSeen = new Map<string, number>();
  const ch = clickhouseClient(ep.clickhouseHttp, { quiet: true });
  let on = true;
  const loop = (async () => {
    while (on) {
      try {
        for (const r of await query<{ product_id: string; window_start: number }>(ch, `SELECT product_id, window_start FROM ${table}`)) {
          const k = `${r.product_id}@${r.window_start}`;
          if (!firstSeen.has(k)) firstSeen.set(k, Date.now());
        }
      } catch {
        /* the table is not there yet, or ClickHouse is down (drill 3): try again */
      }
      await sleep(500);
    }
  })();
  let stopped: Promise<void> | undefined;
  return {
    firstSeen,
    stop: () =>
      (stopped ??= (async () => {
        on = false;
        await loop;
        await ch.close();
      })()),
  };
}

// The project's nearest-rank percentile; re-exported for the drill's callers.
export { percentile };

/** Window close (keyed by window_start) -> first seen in ClickHouse, for windows seen before the fault (ms). */
export function visibilityBefore(firstSeen: ReadonlyMap<string, number>, close: ReadonlyMap<number, number>, faultAt: number): number[] {
  return [...firstSeen.entries()].flatMap(([k, at]) => {
    const c = close.get(Number(k.slice(k.lastIndexOf('@') + 1)));
    return c === undefined || at > faultAt ? [] : [at - c];
  });
}

/** How far behind the input ClickHouse may be and still count as caught up: the pre-fault p95 + 1 s (8 s without samples). */
export function catchUpTarget(firstSeen: ReadonlyMap<string, number>, close: ReadonlyMap<number, number>, faultAt: number): number {
  const lags = visibilityBefore(firstSeen, close, faultAt);
  return (lags.length ? percentile(lags, 95) : 8_000) + 1_000;
}

/**
 * When the pipeline was whole again: the broken part back (`restoredAt`) and, if the job went down
 * after the fault, the moment its tasks all ran again for the last time before catch-up. A lost
 * TaskManager is noticed only after missed heartbeats, so for it the job must be seen failing first.
 */
export function recoveryFrom(
  timeline: readonly TimelinePoint[],
  fault: { at: number; restoredAt: number; jobRestarts: boolean },
  caughtUp: number | undefined,
): { noticedAt?: number; recoveredAt?: number } {
  const after = timeline.filter((t) => t.at > fault.at && (caughtUp === undefined || t.at <= caughtUp));
  const noticedAt = after.find((t) => !t.running)?.at;
  const lastDown = [...after].reverse().find((t) => !t.running);
  if (fault.jobRestarts && noticedAt === undefined) return {};
  if (!lastDown) return { noticedAt, recoveredAt: fault.restoredAt };
  const backUp = after.find((t) => t.at > lastDown.at && t.running)?.at;
  return { noticedAt, recoveredAt: backUp === undefined ? undefined : Math.max(backUp, fault.restoredAt) };
}

/**
 * The producer's longest wait between two acknowledged batches from the last batch before the
 * fault on: how long the host could not write, and when it could again (`gapMs` 0 with fewer than
 * two batches). Batches go out every 100 ms when nothing is in the way.
 */
export function longestProducerGap(batches: readonly { at: number }[], faultAt: number): { gapMs: number; resumedAt?: number } {
  const start = batches.reduce((i, b, j) => (b.at <= faultAt ? j : i), 0);
  let best: { gapMs: number; resumedAt?: number } = { gapMs: 0 };
  for (let i = start + 1; i < batches.length; i++) {
    const gap = (batches[i] as { at: number }).at - (batches[i - 1] as { at: number }).at;
    if (gap > best.gapMs) best = { gapMs: gap, resumedAt: (batches[i] as { at: number }).at };
  }
  return best;
}
