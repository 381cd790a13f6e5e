/**
 * Live traffic for the alert drills: valid events with the clock as event time, a few per tick,
 * so windows keep closing and results keep arriving, until paused (the "producing stopped" fault)
 * or stopped. Event ids are random, so nothing is a duplicate; a burst of malformed lines is the
 * DLQ fault.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';

export interface LiveProducerOptions {
  topic: string;
  eventsPerSecond: number;
  products: number;
  tickMs?: number;
}

export class LiveProducer {
  private producer?: Producer;
  private timer?: NodeJS.Timeout;
  private paused = false;
  private sending = Promise.resolve();
  produced = 0;

  constructor(
    private readonly kafka: Kafka,
    readonly opts: LiveProducerOptions,
  ) {}

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    const tick = this.opts.tickMs ?? 200;
    const perTick = Math.max(1, Math.round((this.opts.eventsPerSecond * tick) / 1000));
    this.timer = setInterval(() => {
      if (this.paused) return;
      this.sending = this.sending.then(() => this.send(this.events(perTick))).catch(() => {});
    }, tick);
  }

  private events(n: number): string[] {
    const now = Date.now();
    return Array.from({ length: n }, (_, i) =>
      JSON.stringify({ event_id: randomUUID(), user_id: `u${i % 50}`, product_id: `p${(this.produced + i) % this.opts.products}`, event_type: i % 10 === 0 ? 'click' : 'impression', ts: now }),
    );
  }

  private async send(lines: readonly string[]): Promise<void> {
    await this.producer?.send({ topic: this.opts.topic, acks: -1, messages: lines.map((value) => ({ value })) });
    this.produced += lines.length;
  }

  /** Lines sent now, as they are (the DLQ burst), after what is queued. */
  async sendRaw(lines: readonly string[]): Promise<void> {
    this.sending = this.sending.then(() => this.send(lines));
    await this.sending;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sending.catch(() => {});
    await this.producer?.disconnect().catch(() => {});
  }
}
