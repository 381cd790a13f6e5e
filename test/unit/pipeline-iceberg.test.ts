/**
 * The Iceberg sink's statements, rendered without a stack: where the jars, the catalog and the table
 * go in a job, and that the Iceberg INSERT selects exactly what the ClickHouse-bound INSERT does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainMissingIceberg, icebergDdl, icebergNames, icebergReadStatement, insertQuery, withIcebergSink } from '../../src/pipeline/iceberg/index.ts';
import { pipelineNames } from '../../src/pipeline/names.ts';
import { flinkStatements } from '../../src/pipeline/render.ts';

const v = pipelineNames('run1', { internal: { kafka: 'kafka.internal:9092' } }, 'ctr-phase-1 run1');
const ice = icebergNames('run1');
const base = flinkStatements(v);
const job = withIcebergSink(base, v.results_table, ice);
const setSql = (stmts: readonly { sql: string }[]) => stmts.find((s) => /^EXECUTE STATEMENT SET/.test(s.sql))?.sql ?? '';

describe('the Iceberg sink in a job', () => {
  it('names the run\'s namespace and table, and refuses what is not a run id', () => {
    assert.equal(ice.iceberg_table, 'ctr_iceberg.run1.results');
    assert.match(ice.iceberg_warehouse, /^file:\/\/.*\/data\/iceberg\/warehouse$/);
    assert.throws(() => icebergNames('Run-1'), /not a run id/);
  });

  it('creates catalog, namespace and table after the settings, before the first table, and ships no jar (the cluster has them)', () => {
    const firstCreate = job.findIndex((s) => /^CREATE/.test(s.sql));
    assert.ok(job.slice(0, firstCreate).every((s) => /^SET\s/.test(s.sql)), 'only settings before');
    assert.ok(!job.some((s) => /pipeline\.jars/.test(s.sql)), 'no pipeline.jars: a class loader per job would keep Iceberg and Hadoop in Metaspace');
    assert.deepEqual(job.slice(firstCreate, firstCreate + 3).map((s) => s.sql.split('\n').find((l) => /^CREATE/.test(l))), [
      'CREATE CATALOG ctr_iceberg WITH (',
      'CREATE DATABASE IF NOT EXISTS ctr_iceberg.run1;',
      'CREATE TABLE IF NOT EXISTS ctr_iceberg.run1.results (',
    ].map((l) => l.replace(/;$/, '')));
    assert.equal(job.length, base.length + icebergDdl(ice).length);
  });

  it('adds one INSERT into Iceberg to the statement set, from the results INSERT\'s own query', () => {
    const query = insertQuery(setSql(base), v.results_table);
    assert.match(query, /^SELECT product_id, ws AS window_start/);
    const set = setSql(job);
    assert.equal((set.match(/^INSERT INTO /gm) ?? []).length, (setSql(base).match(/^INSERT INTO /gm) ?? []).length + 1);
    assert.ok(set.includes(`INSERT INTO ctr_iceberg.run1.results\nSELECT product_id, window_start, window_end, impressions, clicks, ctr,`));
    assert.ok(set.includes(`FROM (\n${query}\n) AS results;\n\nEND`), 'the same query, and the set still ends with END');
    assert.ok(set.includes('CAST(NULL AS STRING) AS category'), 'phase 1 does not enrich: NULL');
  });

  it('fails clearly without a statement set or a results INSERT', () => {
    assert.throws(() => withIcebergSink(base.filter((s) => !/^EXECUTE/.test(s.sql)), v.results_table, ice), /no statement set/);
    assert.throws(() => insertQuery(setSql(base), 'nope'), /no INSERT INTO nope/);
  });

  it('tells a learner whose gateway lacks Iceberg what to do, and passes other errors through', () => {
    const missing = new Error("Could not find any factory for identifier 'iceberg' that implements 'org.apache.flink.table.factories.CatalogFactory' in the classpath.");
    assert.throws(() => explainMissingIceberg(missing), /npm run stack down, then npm run stack up/);
    const other = new Error('Table ctr_iceberg.run1.results not found');
    assert.throws(() => explainMissingIceberg(other), (e) => e === other);
  });

  it('reads back the oracle\'s columns from the run\'s table', () => {
    assert.match(icebergReadStatement(ice), /SELECT product_id, window_start, impressions, clicks, ctr, category, advertiser, spend_micros\nFROM ctr_iceberg\.run1\.results/);
  });
});
