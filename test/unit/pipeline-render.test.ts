/**
 * The pipeline library's SQL rendering: phase 1's statements exactly as they were before the
 * library (the fixture), and the rules by which other jobs are renderings of the same files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { resultsTables } from '../../src/pipeline/clickhouse.ts';
import { pipelineNames } from '../../src/pipeline/names.ts';
import { clickhouseCreateStatements, clickhouseReadStatement, flinkStatements, kafkaSourceOptions } from '../../src/pipeline/render.ts';
import { streamingVariant } from '../../src/pipeline/streaming.ts';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/pipeline/phase-1-statements.json', import.meta.url), 'utf8')) as { flink: string[]; clickhouseCreate: string[]; clickhouseRead: string[] };
const v = pipelineNames('run1', { internal: { kafka: 'kafka.internal:9092' } }, 'ctr-phase-1 run1');

describe("phase 1's statements", () => {
  it('render byte for byte as before the library (Flink)', () => {
    const now = flinkStatements(v).map((s) => s.sql);
    assert.equal(now.length, fixture.flink.length);
    now.forEach((sql, i) => assert.equal(sql, fixture.flink[i], `statement ${i + 1}`));
  });

  it('render byte for byte as before the library (ClickHouse create and read)', () => {
    assert.deepEqual(clickhouseCreateStatements(v), fixture.clickhouseCreate);
    assert.deepEqual([clickhouseReadStatement(v)], fixture.clickhouseRead);
  });

  it('create the data table, then the Kafka table, then the view: removal goes in reverse', () => {
    assert.deepEqual(resultsTables(v), ['run1_results', 'run1_queue', 'run1_mv']);
    assert.deepEqual(resultsTables(v, streamingVariant(true)), ['run1_results', 'run1_queue', 'run1_mv', 'run1_results_ingested', 'run1_mv_ingested']);
  });
});

describe('a variant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctr-variant-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, '10-source.sql'), "-- replaces phase 1's source\nCREATE TABLE ${source_table} (a INT) WITH (\n  ${kafka_source_options}\n  'format' = 'json'\n);\n");
  writeFileSync(join(dir, '15-extra.sql'), 'CREATE TEMPORARY VIEW ${prefix}extra AS SELECT 1;\n');

  const stmts = flinkStatements(v, { flink: [dir], set: ["SET 'x' = 'y'"], sinks: ['late', 'results'] });
  const files = stmts.map((s) => s.file.replace(dir, 'VARIANT'));

  it("takes the place of phase 1's file of the same name and joins the others in name order", () => {
    const source = stmts.find((s) => s.sql.startsWith('CREATE TABLE run1_src'));
    assert.match(source?.sql ?? '', /\(a INT\)/);
    assert.ok(files.indexOf('phase-1/sql/flink/20-sinks.sql') > stmts.findIndex((s) => /run1_extra/.test(s.sql)));
    assert.ok(!files.includes('phase-1/sql/flink/10-source.sql'));
  });

  it("reads the topic as phase 1's source does: every WITH option but the format, with the same values", () => {
    const source = stmts.find((s) => s.sql.startsWith('CREATE TABLE run1_src'))?.sql ?? '';
    assert.match(source, /WITH \(\n {2}'connector' = 'kafka',\n {2}'topic' = 'run1_events',[\s\S]*'scan.bounded.mode' = 'latest-offset',[\s\S]*'scan.watermark.emit.strategy' = 'on-event',\n {2}'format' = 'json'\n\)$/);
    assert.doesNotMatch(kafkaSourceOptions(v), /'format'|'raw\.|--/);
  });

  it('sends its SETs after the settings, before the first table', () => {
    const at = stmts.findIndex((s) => s.sql === "SET 'x' = 'y'");
    assert.ok(at > 0 && stmts.slice(0, at).every((s) => s.sql.startsWith('SET ')));
    assert.ok(!stmts[at + 1]?.sql.startsWith('SET '));
  });

  it('writing fewer sinks neither creates nor writes the others', () => {
    const sql = stmts.map((s) => s.sql).join('\n');
    assert.doesNotMatch(sql, /CREATE TABLE run1_dlq|CREATE TABLE run1_dup\b|INSERT INTO run1_dlq|INSERT INTO run1_dup\b/);
    const set = stmts[stmts.length - 1]?.sql ?? '';
    assert.deepEqual([...set.matchAll(/INSERT INTO (\S+)/g)].map((m) => m[1]), ['run1_late', 'run1_results']);
    assert.match(set, /^EXECUTE STATEMENT SET\nBEGIN\n\nINSERT INTO run1_late[\s\S]*;\n\nEND$/);
  });

  it('leaves out the files it names', () => {
    const sql = flinkStatements(v, { without: ['30-views.sql'] }).map((s) => s.sql).join('\n');
    assert.doesNotMatch(sql, /VIEW run1_valid/);
    assert.match(sql, /VIEW run1_firsts/);
  });
});

describe("the throughput lab's values in phase 1's slots", () => {
  const tuned = { ...v, watermark_emit: 'on-periodic', state_ttl: '10 s', startup_mode: 'timestamp', bounded_mode: 'unbounded', scan_offsets: "'scan.startup.timestamp-millis' = '7',", kafka_settings: 'kafka_max_block_size = 100,' };

  it('fill the source, the settings and the Kafka engine; the slot lines take their indentation', () => {
    const sql = flinkStatements(tuned).map((s) => s.sql).join('\n');
    assert.match(sql, /SET 'table.exec.state.ttl' = '10 s'/);
    assert.match(sql, /\n {2}'scan.bounded.mode' = 'unbounded',\n {2}'scan.startup.timestamp-millis' = '7',\n {2}'properties.auto.offset.reset'/);
    assert.match(sql, /'scan.watermark.emit.strategy' = 'on-periodic'/);
    assert.match(clickhouseCreateStatements(tuned).join('\n'), /\n {2}kafka_group_name = 'run1_clickhouse',\n {2}kafka_max_block_size = 100,\n {2}kafka_format/);
  });
});
