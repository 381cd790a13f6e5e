/**
 * The pure parts of the observability code: which run a topic or table belongs to, a DLQ
 * record's reason, the newest job per name, Prometheus' configuration and its target list.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { newestByName } from '../../src/observability/exporter/flink.ts';
import { resultsTableRun, topicRole } from '../../src/observability/exporter/runs.ts';
import { countBatch, dlqReason, type SideCounts } from '../../src/observability/exporter/side-topics.ts';
import { freshnessLimitSeconds, LAB_THRESHOLDS, PRODUCTION_THRESHOLDS, seconds } from '../../src/observability/alerts/thresholds.ts';
import { prometheusArgs, renderPrometheusYml, scrapeTargets } from '../../src/stack/prometheus/config.ts';
import type { ServiceRecord } from '../../src/stack/service.ts';

describe('pipeline exporter: names', () => {
  it('finds the run and role of each pipeline topic, and nothing in other topics', () => {
    assert.deepEqual(topicRole('demo_events'), { run: 'demo', role: 'input' });
    assert.deepEqual(topicRole('p1_ab12_dlq'), { run: 'p1_ab12', role: 'dlq' });
    assert.deepEqual(topicRole('demo_duplicates'), { run: 'demo', role: 'duplicates' });
    assert.deepEqual(topicRole('demo_late'), { run: 'demo', role: 'late' });
    assert.deepEqual(topicRole('demo_results'), { run: 'demo', role: 'results' });
    assert.equal(topicRole('__consumer_offsets'), undefined);
    assert.equal(topicRole('_dlq'), undefined);
    assert.equal(resultsTableRun('demo_results'), 'demo');
    assert.equal(resultsTableRun('demo_results_ingested'), undefined);
  });

  it("reads a DLQ record's reason; anything else is 'unparsable'", () => {
    assert.equal(dlqReason(Buffer.from('{"payload":"x","reason":"not_json"}')), 'not_json');
    assert.equal(dlqReason(Buffer.from('{"payload":"x"}')), 'unparsable');
    assert.equal(dlqReason(Buffer.from('not json')), 'unparsable');
    assert.equal(dlqReason(null), 'unparsable');
  });

  it('counts each side-topic record once, per reason, even when a batch is delivered again', () => {
    const counts: SideCounts = { run: 'r', role: 'dlq', records: 0, byReason: new Map() };
    const next = new Map<number, number>();
    const batch = [
      { offset: '0', value: Buffer.from('{"reason":"not_json"}') },
      { offset: '1', value: Buffer.from('{"reason":"bad_ts"}') },
      { offset: '2', value: Buffer.from('{"reason":"not_json"}') },
    ];
    countBatch(counts, next, 0, batch);
    countBatch(counts, next, 0, batch); // the same records again, from the beginning
    countBatch(counts, next, 0, [{ offset: '3', value: Buffer.from('{"reason":"bad_ts"}') }]);
    assert.equal(counts.records, 4);
    assert.deepEqual(Object.fromEntries(counts.byReason), { not_json: 2, bad_ts: 2 });
  });

  it('keeps the newest job of each name (a resubmitted job replaces the failed one)', () => {
    const jobs = [
      { jid: 'a', name: 'ctr x', state: 'FAILED', 'start-time': 1 },
      { jid: 'b', name: 'ctr x', state: 'RUNNING', 'start-time': 5 },
      { jid: 'c', name: 'ctr y', state: 'CANCELED', 'start-time': 3 },
    ];
    assert.deepEqual(newestByName(jobs).map((j) => j.jid).sort(), ['b', 'c']);
  });
});

describe('Prometheus configuration', () => {
  it('scrapes itself and the file the stack writes, at the stated interval, with the rules loaded', () => {
    const yml = parse(renderPrometheusYml({ self: '127.0.0.1:9090', rulesFile: '/s/alerts.yml', targetsFile: '/s/targets.json', scrapeIntervalS: 5 })) as {
      global: Record<string, string>;
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs?: { targets: string[] }[]; file_sd_configs?: { files: string[] }[] }[];
    };
    assert.equal(yml.global.scrape_interval, '5s');
    assert.equal(yml.global.evaluation_interval, '5s');
    assert.deepEqual(yml.rule_files, ['/s/alerts.yml']);
    assert.deepEqual(yml.scrape_configs[0]?.static_configs?.[0]?.targets, ['127.0.0.1:9090']);
    assert.deepEqual(yml.scrape_configs[1]?.file_sd_configs?.[0]?.files, ['/s/targets.json']);
  });

  it('targets every recorded service with a metrics port, labelled with its name', () => {
    const rec = (name: ServiceRecord['name'], ports: Record<string, number>): ServiceRecord => ({ name, pid: 1, ports, url: 'x', logFile: 'x', startedAt: 'now' });
    const groups = scrapeTargets([rec('kafka', { broker: 9092, metrics: 9404 }), rec('clickhouse', { http: 8123 }), rec('flink-taskmanager', { metrics: 9250 })]);
    assert.deepEqual(groups, [
      { targets: ['127.0.0.1:9404'], labels: { job: 'kafka' } },
      { targets: ['127.0.0.1:9250'], labels: { job: 'flink-taskmanager' } },
    ]);
  });
});

describe('thresholds', () => {
  it('the lab profile keeps the production levels and only shortens durations', () => {
    for (const key of ['dlqShare', 'checkpointIntervalsMissed', 'windowSeconds', 'watermarkDelaySeconds'] as const) assert.equal(LAB_THRESHOLDS[key], PRODUCTION_THRESHOLDS[key], key);
    for (const key of ['jobNotRunningFor', 'lagWindow', 'lagGrowingFor', 'dlqWindow', 'resultsStaleFor', 'lateWindow'] as const) {
      assert.ok(seconds(LAB_THRESHOLDS[key]) <= seconds(PRODUCTION_THRESHOLDS[key]), key);
    }
    assert.ok(freshnessLimitSeconds(LAB_THRESHOLDS) <= freshnessLimitSeconds(PRODUCTION_THRESHOLDS));
    assert.equal(seconds('1m'), 60);
    assert.equal(seconds('20s'), 20);
  });
});

describe('prometheus command line', () => {
  const args = prometheusArgs({ configFile: '/c/prometheus.yml', dataDir: '/d', listen: '127.0.0.1:9090' });
  const flag = (name: string) => args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));

  it('keeps a short head: 15-minute blocks, and a memory snapshot at shutdown (ADR 0113, ADR 0124)', () => {
    assert.deepEqual(flag('storage.tsdb.min-block-duration'), ['15m']);
    assert.deepEqual(flag('enable-feature'), ['memory-snapshot-on-shutdown']);
  });

  it('reads the given config and data dir and listens where told', () => {
    assert.deepEqual(flag('config.file'), ['/c/prometheus.yml']);
    assert.deepEqual(flag('storage.tsdb.path'), ['/d']);
    assert.deepEqual(flag('web.listen-address'), ['127.0.0.1:9090']);
  });
});
