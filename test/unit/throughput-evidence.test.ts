import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareWithGenerator, emitLatencies } from '../../labs/phase-3-throughput/evidence.ts';
import { parseCounts, productId } from '../../labs/phase-3-throughput/generator.ts';
import { jobStatements, newPipeline, passThroughStatements, rangeNames } from '../../labs/phase-3-throughput/pipeline.ts';
import { configByName } from '../../labs/phase-3-throughput/configs.ts';
import type { Endpoints } from '../../src/stack/index.ts';

// The generator's counts file: per window, [impressions, clicks] for product 0, 1, 2.
const counts = parseCounts('{"products":3,"windows":{"10000":[5,1,0,0,2,0],"20000":[1,0,1,0,1,1]}}');

test('the counts file reads as per-window, per-product impressions and clicks', () => {
  assert.deepEqual(counts.windows.get(10_000), [{ impressions: 5, clicks: 1 }, { impressions: 0, clicks: 0 }, { impressions: 2, clicks: 0 }]);
  assert.equal(productId(7), 'p0007');
});

const rows = [
  { product_id: 'p0000', window_start: 10_000, impressions: 5, clicks: 1 },
  { product_id: 'p0002', window_start: 10_000, impressions: 2, clicks: 0 },
  { product_id: 'p0000', window_start: 20_000, impressions: 1, clicks: 0 },
  { product_id: 'p0001', window_start: 20_000, impressions: 1, clicks: 0 },
  { product_id: 'p0002', window_start: 20_000, impressions: 1, clicks: 1 },
];

test('ClickHouse equal to the generator: no differences; a product without events has no row', () => {
  const e = compareWithGenerator(counts, [10_000, 20_000], rows);
  // 5+1+2 in the first window, 1+1+1+1 in the second
  assert.deepEqual(e, { windows: 2, rows: 5, events: 12, differences: [] });
});

test('a wrong count, a missing row and an extra row are each named', () => {
  const bad = [{ ...rows[0], clicks: 2 }, ...rows.slice(2, 4), { product_id: 'p0001', window_start: 10_000, impressions: 1, clicks: 0 }];
  const e = compareWithGenerator(counts, [10_000, 20_000], bad as typeof rows);
  assert.deepEqual(e.differences, ['p0000@10000: want 5/1, ClickHouse has 5/2', 'missing p0002@10000: want 2/0', 'missing p0002@20000: want 1/1', 'extra p0001@10000']);
});

test('emit latency: record timestamp - window end, only for the windows asked', () => {
  const msg = (ws: number, ts: number) => {
    const value = JSON.stringify({ window_start: ws, window_end: ws + 10_000 });
    return { partition: 0, offset: '0', key: null, value, bytes: Buffer.from(value), timestamp: ts };
  };
  const p = emitLatencies([msg(0, 15_200), msg(0, 15_300), msg(10_000, 99_999)], [0]);
  assert.deepEqual(p, { p50: 5_200, p95: 5_300, p99: 5_300, n: 2 });
});

const ep: Endpoints = { kafka: '127.0.0.1:9092', flinkRest: 'http://x', sqlGateway: 'http://y', prometheus: 'http://p', clickhouseHttp: 'http://z', internal: { kafka: '127.0.0.1:9092' } };

test('a configuration renders as phase 1\'s settings, its SETs, source, sinks, views, statement set', () => {
  const p = newPipeline('r1', ep, 'r_events', 1000);
  const v1 = jobStatements(p, configByName('v1-json-reuse'), { kind: 'from-time', startMs: 123 }).map((s) => s.sql);
  const firstNonSet = v1.findIndex((s) => !s.startsWith('SET '));
  assert.ok(v1.slice(0, firstNonSet).includes("SET 'pipeline.object-reuse' = 'true'"));
  assert.ok(v1.slice(0, firstNonSet).includes("SET 'table.exec.state.ttl' = '10 s'"));
  assert.match(v1[firstNonSet] ?? '', /CREATE TABLE r1_src[\s\S]*'scan.startup.mode' = 'timestamp'[\s\S]*'scan.startup.timestamp-millis' = '123'[\s\S]*'scan.watermark.emit.strategy' = 'on-periodic'[\s\S]*'format' = 'json'/);
  assert.match(v1[v1.length - 1] ?? '', /^EXECUTE STATEMENT SET/);
  // The tuned variant writes two sinks: neither a DLQ table nor an INSERT into one.
  assert.ok(!v1.some((s) => /r1_dlq|r1_dup\b/.test(s)), 'no DLQ or duplicates sink');
  assert.deepEqual([...(v1[v1.length - 1] ?? '').matchAll(/INSERT INTO (\S+)/g)].map((m) => m[1]), ['r1_late', 'r1_results']);
  const v0 = jobStatements(p, configByName('v0-phase1'), { kind: 'from-time', startMs: 123 }).map((s) => s.sql);
  assert.ok(v0.some((s) => /CREATE TABLE r1_dlq/.test(s)), 'phase 1 sinks');
  assert.ok(v0.some((s) => /COUNT\(\*\) OVER/.test(s)), 'phase 1 views');
  assert.ok(v0.some((s) => /'format' = 'raw'/.test(s)), 'phase 1 source');
});

test('the tuned source reads the topic exactly as phase 1\'s source does: only the format differs', () => {
  const p = newPipeline('r1', ep, 'r_events', 1000);
  const range = { kind: 'slice', from: new Map([[0, 1]]), to: new Map([[0, 9]]) } as const;
  const withOptions = (cfg: string) => {
    const src = jobStatements(p, configByName(cfg), range).find((s) => s.sql.startsWith('CREATE TABLE r1_src'))?.sql ?? '';
    return src.slice(src.indexOf(') WITH (')).split('\n').filter((l) => /^\s*'/.test(l) && !/'(format|raw\.|json\.)/.test(l)).map((l) => l.trim().replace(/,$/, ''));
  };
  assert.deepEqual(withOptions('v1-json'), withOptions('v0-phase1'));
  assert.ok(withOptions('v1-json').includes("'scan.bounded.specific-offsets' = 'partition:0,offset:9'"));
});

test('a drain slice reads from and stops at explicit offsets per partition; a step reads unbounded from a time', () => {
  const o = rangeNames({ kind: 'slice', from: new Map([[1, 5], [0, 0]]), to: new Map([[0, 10], [1, 15]]) });
  assert.equal(o.startup_mode, 'specific-offsets');
  assert.equal(o.bounded_mode, 'specific-offsets');
  assert.match(o.scan_offsets, /'scan.startup.specific-offsets' = 'partition:0,offset:0;partition:1,offset:5'/);
  assert.match(o.scan_offsets, /'scan.bounded.specific-offsets' = 'partition:0,offset:10;partition:1,offset:15'/);
  const t = rangeNames({ kind: 'from-time', startMs: 5 });
  assert.deepEqual([t.startup_mode, t.bounded_mode, t.auto_commit], ['timestamp', 'unbounded', 'true']);
});

test('the pass-through reads with the tuned source and discards: no views, no statement set', () => {
  const p = newPipeline('r1', ep, 'r_events', 1000);
  const stmts = passThroughStatements(p, 2, { kind: 'from-time', startMs: 1 });
  assert.deepEqual(stmts.filter((s) => !s.sql.startsWith('SET ')).map((s) => s.file), [
    'phase-3-throughput/sql/v1-json/10-source.sql',
    'phase-3-throughput/sql/pass-through/20-sinks.sql',
    'phase-3-throughput/sql/pass-through/40-insert.sql',
  ]);
  assert.ok(stmts.some((s) => s.sql === "SET 'parallelism.default' = '2'"));
});
