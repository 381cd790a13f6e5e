/**
 * The Iceberg sink's statements: the catalog and table (sql/10-*, 20-*), and the INSERT that a
 * streaming job runs beside its ClickHouse-bound results INSERT, in the same statement set, so both
 * sinks get exactly the rows of one aggregation. Iceberg commits at checkpoints: a job that writes
 * Iceberg must checkpoint (phase 1's streaming settings do), else nothing is ever committed.
 */
import { fileURLToPath } from 'node:url';
import { renderSql, splitStatements } from '../../lab/sql.ts';
import type { Statement } from '../render.ts';
import type { IcebergNames } from './names.ts';

const SQL = fileURLToPath(new URL('./sql/', import.meta.url));

function statementsOf(file: string, vars: Record<string, string>): Statement[] {
  return splitStatements(renderSql(`${SQL}${file}`, vars)).map((sql) => ({ file: `src/pipeline/iceberg/sql/${file}`, sql }));
}

/** The catalog, the run's namespace and the results table (idempotent: IF NOT EXISTS). */
export function icebergDdl(n: IcebergNames): Statement[] {
  return [...statementsOf('10-catalog.sql', n), ...statementsOf('20-results-table.sql', n)];
}

/** The read-back query (sql/90-read.sql). */
export function icebergReadStatement(n: IcebergNames): string {
  const [read] = statementsOf('90-read.sql', n);
  if (!read) throw new Error('iceberg/sql/90-read.sql holds no statement');
  return read.sql;
}

/** The enrichment columns' values: SQL expressions over the results query's columns (phase 5: `category`, ...); NULL in phase 1. */
export interface Enrichment {
  category: string;
  advertiser: string;
  spend_micros: string;
}

const NO_ENRICHMENT: Enrichment = { category: 'CAST(NULL AS STRING)', advertiser: 'CAST(NULL AS STRING)', spend_micros: 'CAST(NULL AS BIGINT)' };

/**
 * The query of the statement set's `INSERT INTO <table>`: what that sink receives. The Iceberg
 * INSERT selects from the same query, so Flink plans one aggregation feeding both sinks (the
 * planner reuses the identical sub-plan).
 */
export function insertQuery(statementSet: string, table: string): string {
  const body = /^EXECUTE STATEMENT SET\s*\nBEGIN\s*\n([\s\S]*)\nEND;?$/i.exec(statementSet.trim())?.[1];
  if (body === undefined) throw new Error('not an EXECUTE STATEMENT SET ... END statement');
  for (const s of splitStatements(body)) {
    const m = /^INSERT\s+INTO\s+(\S+)\s*\n?([\s\S]*)$/i.exec(s.replace(/^(\s*--[^\n]*\n)+/, '').trim());
    if (m?.[1] === table) return (m[2] ?? '').trim();
  }
  throw new Error(`the statement set has no INSERT INTO ${table}`);
}

/** INSERT INTO the Iceberg table, from a query with phase 1's results columns (product_id, window_start, window_end, impressions, clicks, ctr). */
export function icebergInsert(n: IcebergNames, query: string, e: Enrichment = NO_ENRICHMENT): string {
  return [
    `INSERT INTO ${n.iceberg_table}`,
    'SELECT product_id, window_start, window_end, impressions, clicks, ctr,',
    `  ${e.category} AS category, ${e.advertiser} AS advertiser, ${e.spend_micros} AS spend_micros`,
    `FROM (\n${query}\n) AS results`,
  ].join('\n');
}

/**
 * A job's statements with the Iceberg sink added: the DDL before the first table, and beside
 * `INSERT INTO <resultsTable>` an INSERT of the same rows into Iceberg.
 */
export function withIcebergSink(stmts: readonly Statement[], resultsTable: string, n: IcebergNames, e?: Enrichment): Statement[] {
  const setIndex = stmts.findIndex((s) => /^EXECUTE STATEMENT SET/i.test(s.sql));
  const set = stmts[setIndex];
  if (!set) throw new Error('the job has no statement set to add the Iceberg sink to');
  const insert = icebergInsert(n, insertQuery(set.sql, resultsTable), e);
  const extended = { file: set.file, sql: set.sql.replace(/\nEND;?\s*$/i, `\n\n${insert};\n\nEND`) };
  const firstTable = stmts.findIndex((s) => !/^SET\s/i.test(s.sql));
  const at = firstTable < 0 ? setIndex : firstTable;
  const out = [...stmts.slice(0, at), ...icebergDdl(n), ...stmts.slice(at)];
  out[out.indexOf(set)] = extended;
  return out;
}
