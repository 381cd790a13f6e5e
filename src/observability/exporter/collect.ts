/**
 * One collection: asks Kafka, ClickHouse and Flink (found in .stack/state.json at every scrape,
 * so a repaired service on a new port is found again) and fills the registry. A source that does
 * not answer sets its *_up gauge to 0 and leaves the others alone: a scrape never fails whole.
 */
import { type Admin, type Kafka } from 'kafkajs';
import { Counter, Gauge, Registry } from 'prom-client';
import { clickhouseClient, type ClickHouseClient } from '../../stack/clickhouse/client.ts';
import { FlinkRestClient } from '../../stack/flink/rest-client.ts';
import { kafkaClient } from '../../stack/kafka/client.ts';
import { readState } from '../../stack/state.ts';
import { EXPORTER } from '../metrics.ts';
import { clickhouseSnapshot } from './clickhouse.ts';
import { jobSnapshots } from './flink.ts';
import { groupLags, pipelineTopics, topicEnds } from './kafka.ts';
import { type SideCounts, SideTopicCounter } from './side-topics.ts';

export class Collector {
  readonly registry = new Registry();
  private readonly g = {
    lag: this.gauge(EXPORTER.consumerGroupLag, 'Records a consumer group has not committed yet, per topic', ['group', 'topic']),
    members: this.gauge(EXPORTER.consumerGroupMembers, 'Members of a consumer group', ['group', 'state']),
    newestWindowEnd: this.gauge(EXPORTER.newestWindowEnd, "End of the newest window in a run's ClickHouse results table (unix seconds)", ['run']),
    resultRows: this.gauge(EXPORTER.resultRows, "Rows in a run's ClickHouse results table (before FINAL)", ['run']),
    jobState: this.gauge(EXPORTER.flinkJobState, 'The state of the newest Flink job of each name (1)', ['job_name', 'job_id', 'state']),
    checkpointInterval: this.gauge(EXPORTER.checkpointInterval, "A running job's checkpoint interval (s)", ['job_name', 'job_id']),
    lastCheckpoint: this.gauge(EXPORTER.lastCheckpointCompleted, "A running job's latest completed checkpoint (unix seconds; its start before the first)", ['job_name', 'job_id']),
    chMetric: this.gauge(EXPORTER.clickhouseMetrics, 'ClickHouse system.metrics', ['metric']),
    chUp: this.gauge(EXPORTER.clickhouseUp, 'ClickHouse answered the last collection'),
    kafkaUp: this.gauge(EXPORTER.kafkaUp, 'Kafka answered the last collection'),
    flinkUp: this.gauge(EXPORTER.flinkUp, "Flink's REST API answered the last collection"),
    collectSeconds: this.gauge(EXPORTER.collectSeconds, 'How long the last collection took (s)'),
  };
  private readonly c = {
    input: this.counter(EXPORTER.inputEvents, "Records produced to a run's input topic", ['run']),
    results: this.counter(EXPORTER.resultRecords, "Records Flink wrote to a run's results topic", ['run']),
    dlq: this.counter(EXPORTER.dlqEvents, "Records on a run's dead-letter topic, per reason", ['run', 'reason']),
    duplicates: this.counter(EXPORTER.duplicateEvents, "Records on a run's duplicates topic", ['run']),
    late: this.counter(EXPORTER.lateEvents, "Records on a run's late-events topic", ['run']),
    chEvents: this.counter(EXPORTER.clickhouseEvents, 'ClickHouse system.events', ['event']),
  };
  private kafkaUrl = '';
  private kafka?: Kafka;
  private admin?: Admin;
  private chUrl = '';
  private ch?: ClickHouseClient;
  private readonly side = new SideTopicCounter(() => this.kafkaFor(this.kafkaUrl));

  private gauge(name: string, help: string, labelNames: string[] = []) {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  private counter(name: string, help: string, labelNames: string[] = []) {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private kafkaFor(url: string): Kafka {
    if (!this.kafka || url !== this.kafkaUrl) {
      void this.admin?.disconnect().catch(() => {});
      this.admin = undefined;
      this.kafkaUrl = url;
      // Short timeouts: a broker that is stopped (a drill) must cost a scrape a second, not the 30 s
      // request timeout, or Prometheus (scrape timeout = interval - 1 s) marks the exporter down.
      this.kafka = kafkaClient(url, { clientId: 'ctr-exporter', connectionTimeout: 1_000, requestTimeout: 3_000, retry: { retries: 1, initialRetryTime: 100 } });
    }
    return this.kafka;
  }

  private async adminFor(url: string): Promise<Admin> {
    const kafka = this.kafkaFor(url);
    if (!this.admin) {
      const admin = kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }

  async collect(): Promise<void> {
    const t0 = Date.now();
    const services = readState().services;
    for (const m of [...Object.values(this.g), ...Object.values(this.c)]) if (m !== this.g.collectSeconds) m.reset();
    await Promise.all([
      services.kafka ? this.collectKafka(services.kafka.url) : this.g.kafkaUp.set(0),
      services.clickhouse ? this.collectClickhouse(services.clickhouse.url) : this.g.chUp.set(0),
      services['flink-jobmanager'] ? this.collectFlink(services['flink-jobmanager'].url) : this.g.flinkUp.set(0),
    ]);
    this.g.collectSeconds.set((Date.now() - t0) / 1000);
  }

  private async collectKafka(url: string): Promise<void> {
    try {
      const admin = await this.adminFor(url);
      const all = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
      const topics = pipelineTopics(all);
      const ends = await topicEnds(admin, all);
      for (const t of topics) {
        const end = ends.get(t.topic);
        if (!end) continue;
        const total = [...end.values()].reduce((a, b) => a + b, 0);
        if (t.role === 'input') this.c.input.inc({ run: t.run }, total);
        if (t.role === 'results') this.c.results.inc({ run: t.run }, total);
      }
      const { lags, groups } = await groupLags(admin, ends, new Set(topics.map((t) => t.run)));
      for (const l of lags) this.g.lag.set({ group: l.group, topic: l.topic }, l.lag);
      for (const g of groups) this.g.members.set({ group: g.group, state: g.state }, g.members);
      await this.side.sync(new Map(topics.flatMap((t) => (t.role === 'dlq' || t.role === 'duplicates' || t.role === 'late' ? [[t.topic, { run: t.run, role: t.role }] as const] : []))));
      for (const s of this.side.counts()) this.countSide(s);
      this.g.kafkaUp.set(1);
    } catch {
      this.g.kafkaUp.set(0);
      await this.admin?.disconnect().catch(() => {});
      this.admin = undefined;
    }
  }

  private countSide(s: SideCounts): void {
    if (s.role === 'duplicates') this.c.duplicates.inc({ run: s.run }, s.records);
    if (s.role === 'late') this.c.late.inc({ run: s.run }, s.records);
    if (s.role === 'dlq') for (const [reason, n] of s.byReason) this.c.dlq.inc({ run: s.run, reason }, n);
  }

  private async collectClickhouse(url: string): Promise<void> {
    if (!this.ch || url !== this.chUrl) {
      void this.ch?.close().catch(() => {});
      this.chUrl = url;
      this.ch = clickhouseClient(url, { quiet: true });
    }
    try {
      const snap = await clickhouseSnapshot(this.ch);
      for (const e of snap.events) this.c.chEvents.inc({ event: e.event }, e.value);
      for (const m of snap.metrics) this.g.chMetric.set({ metric: m.metric }, m.value);
      for (const r of snap.results) {
        this.g.newestWindowEnd.set({ run: r.run }, r.newestWindowEndMs / 1000);
        this.g.resultRows.set({ run: r.run }, r.rows);
      }
      this.g.chUp.set(1);
    } catch {
      this.g.chUp.set(0);
    }
  }

  private async collectFlink(url: string): Promise<void> {
    try {
      for (const j of await jobSnapshots(new FlinkRestClient(url, 3_000))) {
        const labels = { job_name: j.jobName, job_id: j.jobId };
        this.g.jobState.set({ ...labels, state: j.state }, 1);
        if (j.checkpoint) {
          this.g.checkpointInterval.set(labels, j.checkpoint.intervalS);
          this.g.lastCheckpoint.set(labels, j.checkpoint.lastCompletedS);
        }
      }
      this.g.flinkUp.set(1);
    } catch {
      this.g.flinkUp.set(0);
    }
  }

  async close(): Promise<void> {
    await this.side.close();
    await this.admin?.disconnect().catch(() => {});
    await this.ch?.close();
  }
}
