/**
 * The lab's traffic, as segments produced one after another into one single-partition topic:
 * steady (a realistic mix), a burst of malformed lines, or a pause (nothing). Each segment is
 * generated when it starts, with event time starting at the wall clock, so event time tracks real
 * time across a pause (as a live source's would) and freshness alerts can resolve. A segment runs
 * until its condition holds (an alert fired or resolved) or its time is up; every acknowledged
 * line is kept in order, and the oracle runs on them all at the end.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { generateDataset } from '../../src/ctr/generator.ts';
import type { InputLine } from '../../src/ctr/line.ts';
import type { IngestTopics } from '../../src/pipeline/ingest.ts';
import { produceSteadily } from '../../src/pipeline/producer.ts';

export type SegmentKind = 'steady' | 'malformed-burst' | 'pause' | 'replay';

/** The generator's rates per segment kind: steady is phase 1's mix; a burst makes every base event bring a malformed line. */
const MIX: Record<Exclude<SegmentKind, 'pause' | 'replay'>, { malformedRate: number; duplicateRate: number; lateRate: number }> = {
  steady: { malformedRate: 0.02, duplicateRate: 0.02, lateRate: 0.01 },
  'malformed-burst': { malformedRate: 1, duplicateRate: 0.02, lateRate: 0 },
};

export interface Segment {
  kind: SegmentKind;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number;
  lines: number;
  /** Why it ended: its condition held, or its time was up. */
  ended: 'condition' | 'time';
}

export class Traffic {
  /** Every acknowledged line, in the order the topic holds them. */
  readonly lines: InputLine[] = [];
  readonly segments: Segment[] = [];
  private lastTs = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: IngestTopics,
    /** Lines per second of wall time. */
    private readonly rate: number,
    private readonly seed: number,
  ) {}

  /**
   * One segment: produce (or pause) until `until()` is true (checked every second) or
   * `maxSeconds` have passed, but at least `minSeconds`.
   */
  /** A learner's file (--events), every line as is, at the lab's rate: no faults, no generated event time. */
  async replay(lines: readonly InputLine[]): Promise<Segment> {
    const startedAt = Date.now();
    const log = produceSteadily(this.kafka, this.topics, lines, this.rate);
    await log.done;
    this.lines.push(...lines.slice(0, log.sent));
    const segment: Segment = { kind: 'replay', startedAt, endedAt: Date.now(), lines: log.sent, ended: 'condition' };
    this.segments.push(segment);
    return segment;
  }

  async run(kind: Exclude<SegmentKind, 'replay'>, o: { minSeconds?: number; maxSeconds: number; until?: () => Promise<boolean> }, signal?: AbortSignal): Promise<Segment> {
    const startedAt = Date.now();
    const deadline = startedAt + o.maxSeconds * 1000;
    const earliest = startedAt + (o.minSeconds ?? 0) * 1000;
    const done = async () => Date.now() >= deadline || (Date.now() >= earliest && o.until !== undefined && (await o.until()));
    let lines: string[] = [];
    let sent = 0;
    if (kind === 'pause') {
      while (!(await done()) && !signal?.aborted) await sleep(1_000);
    } else {
      const mix = MIX[kind];
      // Lines per base event, so that event time advances at wall-clock speed.
      const perEvent = 1 + mix.malformedRate + mix.duplicateRate + mix.lateRate;
      const ratePerSecond = this.rate / perEvent;
      const startTs = Math.max(startedAt, this.lastTs + 1);
      lines = generateDataset({ seed: this.seed * 100 + this.segments.length, events: Math.ceil(ratePerSecond * o.maxSeconds) + 1, ratePerSecond, startTs, ...mix });
      const log = produceSteadily(this.kafka, this.topics, lines, this.rate);
      let finished = false;
      void log.done.then(() => (finished = true), () => (finished = true));
      while (!finished && !(await done()) && !signal?.aborted) await sleep(1_000);
      log.stop();
      await log.done;
      sent = log.sent;
      this.lines.push(...lines.slice(0, sent));
      // The next segment's event time starts after this one's: the wall clock, or later if this ran ahead.
      this.lastTs = Math.max(this.lastTs, Date.now());
    }
    const segment: Segment = { kind, startedAt, endedAt: Date.now(), lines: sent, ended: Date.now() >= deadline ? 'time' : 'condition' };
    this.segments.push(segment);
    return segment;
  }
}
