/**
 * Result latency as the issue defines it: the time a (product, window) row first becomes visible
 * in ClickHouse minus that window's end. A poller asks, every 50 ms, only about windows that are
 * due (now >= window end + 4.5 s: nothing can show up earlier, the watermark waits 5 s) and not
 * complete yet; each row new since the previous poll gets (time the poll was SENT - window end),
 * an upper bound with 50 ms resolution. Idle otherwise, so ClickHouse pays a few tiny queries per
 * window. (ClickHouse 18.16 has no sub-second now(), so a column stamped on insert cannot do this.)
 */
import { WATERMARK_DELAY_MS, WINDOW_MS } from '../../src/ctr/event.ts';
import { type ClickHouseClient, query } from '../../src/stack/clickhouse/client.ts';

export const POLL_MS = 50;
/** A window is due half a second before the watermark can pass its end. */
const DUE_AFTER_MS = WATERMARK_DELAY_MS - 500;
/** A window still incomplete this long after its end is given up (and reported incomplete). */
const GIVE_UP_MS = 60_000;

export interface WindowLatency {
  windowStart: number;
  /** Rows seen so far and the latency (ms after window end) of each. */
  latencies: number[];
  complete: boolean;
  gaveUp: boolean;
}

export class VisibilityPoller {
  private readonly windows = new Map<number, WindowLatency>();
  private timer?: NodeJS.Timeout;
  private busy = false;
  /** The first window the poller tracks (the pipeline's start, rounded up to a window). */
  private next: number;
  lastError?: string;

  constructor(
    private readonly ch: ClickHouseClient,
    private readonly table: string,
    private readonly expectedRows: number,
    fromMs: number,
  ) {
    this.next = Math.ceil(fromMs / WINDOW_MS) * WINDOW_MS;
  }

  start(): void {
    this.timer = setInterval(() => void this.poll(), POLL_MS);
  }

  /** Stops polling and waits for a query in flight, so the caller may close the client. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
  }

  window(ws: number): WindowLatency | undefined {
    return this.windows.get(ws);
  }

  /** Resolves when every window in [fromWs, toWs) is complete or given up, or at the deadline. */
  async settled(fromWs: number, toWs: number, deadline: number): Promise<void> {
    for (;;) {
      let open = false;
      for (let ws = fromWs; ws < toWs; ws += WINDOW_MS) {
        const w = this.windows.get(ws);
        if (!w || (!w.complete && !w.gaveUp)) open = true;
      }
      if (!open || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const sent = Date.now();
      while (this.next + WINDOW_MS + DUE_AFTER_MS <= sent) {
        this.windows.set(this.next, { windowStart: this.next, latencies: [], complete: false, gaveUp: false });
        this.next += WINDOW_MS;
      }
      const open = [...this.windows.values()].filter((w) => !w.complete && !w.gaveUp);
      if (open.length === 0) return;
      const rows = await query<{ ws: number; n: number }>(
        this.ch,
        `SELECT window_start AS ws, count() AS n FROM ${this.table} WHERE window_start IN (${open.map((w) => w.windowStart).join(',')}) GROUP BY window_start`,
      );
      const seen = new Map(rows.map((r) => [Number(r.ws), Number(r.n)]));
      for (const w of open) {
        const n = Math.min(seen.get(w.windowStart) ?? 0, this.expectedRows);
        const latency = sent - (w.windowStart + WINDOW_MS);
        while (w.latencies.length < n) w.latencies.push(latency);
        if (n >= this.expectedRows) w.complete = true;
        else if (latency > GIVE_UP_MS) w.gaveUp = true;
      }
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }
}
