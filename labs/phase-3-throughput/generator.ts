/**
 * The Node side of the load generator (job/src/main/java/.../CtrLoadGen.java): spawn it, set its
 * rate, read its once-a-second status, stop it and read its exact per-window counts.
 *
 * The JVM is a child of the lab (not detached): it dies with stdin EOF when the lab dies, and
 * stop()/kill() end it by pid. -Xmx256m bounds its memory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface GenStatus {
  t: number;
  /** Target events/s; -1 = unthrottled. */
  target: number;
  /** Unique events built and handed to the producer (duplicates not included). */
  events: number;
  dups: number;
  /** Records the broker acknowledged (events + dups). */
  acked: number;
  errors: number;
  /** Events the schedule dropped because sending fell more than 0.5 s behind. */
  skipped: number;
  first_error: string;
  done?: boolean;
}

/** The generator's exact counts: window start (ms) -> per product [impressions, clicks]. */
export interface GenCounts {
  products: number;
  windows: Map<number, { impressions: number; clicks: number }[]>;
}

export interface GeneratorOptions {
  jar: string;
  /** Kafka's client jars (the stack's jar cache: kafkaJars() in src/stack/kafka/service.ts). */
  kafkaJarsDir: string;
  brokers: string;
  topic: string;
  /** Partitions of the topic (the generator sends event i to partition i % partitions). */
  partitions: number;
  runId: string;
  products: number;
  dupEvery: number;
  maxSeconds: number;
  countsOut: string;
  seed: number;
}

export class LoadGenerator {
  private readonly child: ChildProcess;
  private last?: GenStatus;
  private readonly exited: Promise<number | null>;
  private stderr = '';

  constructor(private readonly o: GeneratorOptions) {
    const cp = `${o.jar}:${join(o.kafkaJarsDir, '*')}`;
    const args = ['-Xmx256m', '-XX:+UseParallelGC', '-cp', cp, 'labs.ctr.loadgen.CtrLoadGen'];
    const flags = { brokers: o.brokers, topic: o.topic, partitions: o.partitions, 'run-id': o.runId, products: o.products, 'dup-every': o.dupEvery, 'max-seconds': o.maxSeconds, 'counts-out': o.countsOut, seed: o.seed };
    for (const [k, v] of Object.entries(flags)) args.push(`--${k}`, String(v));
    this.child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    // 'close', not 'exit': 'exit' can come before the last stdout lines are read, and the final
    // status ({"done":true}) is the last line (a short run lost it that way).
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (l) => {
      // The reporting thread may print one more status after the final one (it wakes from its
      // 1 s sleep while the main thread finishes): the final status is never replaced.
      if (l.startsWith('{') && !this.last?.done) this.last = JSON.parse(l) as GenStatus;
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      // Keep the tail only: SLF4J's "no binding" notice and any Java error.
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get status(): GenStatus | undefined {
    return this.last;
  }

  /** Resolves with the first status line: the producer is connected and the JVM is warm. */
  async ready(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.last) {
      if (this.child.exitCode !== null) throw new Error(`the load generator exited (${this.child.exitCode}): ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      if (Date.now() > deadline) throw new Error(`the load generator printed no status within ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  }

  /** Events per second from now on; 'max' = as fast as the producer goes; 0 = pause. */
  setRate(rate: number | 'max'): void {
    this.child.stdin?.write(`rate ${rate}\n`);
  }

  /** Stops sending, waits for the final flush and returns the last status and the exact counts. */
  async stop(timeoutMs = 20_000): Promise<{ status: GenStatus; counts: GenCounts }> {
    this.child.stdin?.end('stop\n');
    const code = await Promise.race([this.exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      this.kill();
      throw new Error(`the load generator did not stop within ${timeoutMs / 1000} s (killed)`);
    }
    if (!this.last?.done) throw new Error(`the load generator ended (${code}) without its final status: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return { status: this.last, counts: readCounts(this.o.countsOut) };
  }

  /** Ctrl-C and cleanup: SIGTERM (its shutdown hook flushes), SIGKILL after 3 s. */
  kill(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }, 3_000);
    t.unref();
  }
}

export function parseCounts(text: string): GenCounts {
  const raw = JSON.parse(text) as { products: number; windows: Record<string, number[]> };
  const windows = new Map<number, { impressions: number; clicks: number }[]>();
  for (const [ws, flat] of Object.entries(raw.windows)) {
    const per: { impressions: number; clicks: number }[] = [];
    for (let p = 0; p < raw.products; p++) per.push({ impressions: flat[2 * p] ?? 0, clicks: flat[2 * p + 1] ?? 0 });
    windows.set(Number(ws), per);
  }
  return { products: raw.products, windows };
}

function readCounts(file: string): GenCounts {
  return parseCounts(readFileSync(file, 'utf8'));
}

/**
 * A line as CtrLoadGen builds it (an impression, at a typical sequence number): the record size
 * the ProducerPerformance comparison sends, so both write the same bytes per event.
 */
export function typicalLine(runId: string): string {
  const seq = 1_000_000;
  return `{"event_id":"${runId}-${seq.toString(36)}","user_id":"u${seq % 100_000}","product_id":"${productId((seq * 7919) % 1000)}","event_type":"impression","ts":${Date.now()}}`;
}

/** The generator's product id for index p: "p" + 4 digits (CtrLoadGen.pad4). */
export function productId(p: number): string {
  return `p${String(p).padStart(4, '0')}`;
}
