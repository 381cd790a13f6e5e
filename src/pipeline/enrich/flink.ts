/**
 * Enrichment for a job rendered from phase 1's SQL (render.ts), without changing phase 1's files:
 * the product dimension as a versioned table, an event-time temporal join on phase 1's on-time
 * first occurrences, and the results sink and INSERT with the enrichment columns in place of
 * phase 1's. The semantics are src/ctr/dimension.ts's, the enrichment oracle's; the PyFlink lab
 * runs the same join from Python (its jobs/ folder), and both write the ClickHouse store of
 * store.ts.
 *
 *   withEnrichment(flinkStatements(enrichedNames(names), variant), enrichedNames(names))
 */
import { fileURLToPath } from 'node:url';
import { renderSql, splitStatements } from '../../lab/sql.ts';
import type { PipelineNames } from '../names.ts';
import type { Statement } from '../render.ts';

/** The enrichment's Flink SQL files: the phase-5 lab's SQL folder (what its --sql DIR and exercises overlay). */
export const ENRICH_FLINK_SQL = fileURLToPath(new URL('./flink/', import.meta.url));
const FLINK_SQL = ENRICH_FLINK_SQL;

/** The names an enriched job adds to phase 1's: the dimension's topic, table and consumer group. */
export type EnrichedNames = PipelineNames & { dimension_topic: string; dimension_table: string; dimension_group: string; dimension_idle_timeout: string };

/** How long the dimension's source waits for a new version before it stops holding the join's watermark. */
export const DIMENSION_IDLE_TIMEOUT = '2 s';

export function enrichedNames(names: PipelineNames): EnrichedNames {
  const run = names.prefix.replace(/_$/, '');
  return { ...names, dimension_topic: `${run}_dimension`, dimension_table: `${run}_dimension`, dimension_group: `${run}_dimension_flink`, dimension_idle_timeout: DIMENSION_IDLE_TIMEOUT };
}

function one(file: string, names: PipelineNames): Statement {
  const [sql, ...more] = splitStatements(renderSql(`${FLINK_SQL}${file}`, names));
  if (!sql || more.length > 0) throw new Error(`enrich/flink/${file} must hold exactly one statement`);
  return { file: `src/pipeline/enrich/flink/${file}`, sql };
}

const createsTable = (sql: string, table: string) => new RegExp(`^CREATE\\s+TABLE\\s+${table}\\s*\\(`, 'i').test(sql);

/**
 * `stmts` (phase 1's job, rendered with enrichedNames) enriched: the dimension table and the
 * enriched results sink in place of phase 1's results table, the join's view before the statement
 * set, and in the set the enriched INSERT in place of phase 1's results INSERT.
 */
export function withEnrichment(stmts: readonly Statement[], names: PipelineNames): Statement[] {
  if (!names.dimension_table) throw new Error('withEnrichment: render the job with enrichedNames(...) first');
  const table = stmts.findIndex((s) => createsTable(s.sql, names.results_table));
  const set = stmts.findIndex((s) => /^EXECUTE STATEMENT SET/i.test(s.sql));
  if (table < 0 || set < 0) throw new Error(`withEnrichment: the job has no CREATE TABLE ${names.results_table} or no statement set`);
  const setSql = (stmts[set] as Statement).sql;
  const body = /^EXECUTE STATEMENT SET\s*\nBEGIN\s*\n([\s\S]*)\nEND;?$/i.exec(setSql.trim())?.[1] ?? '';
  const inserts = splitStatements(body);
  const at = inserts.findIndex((s) => new RegExp(`^INSERT\\s+INTO\\s+${names.results_table}\\b`, 'i').test(s.replace(/^(\s*--[^\n]*\n)+/, '').trim()));
  if (at < 0) throw new Error(`withEnrichment: the statement set has no INSERT INTO ${names.results_table}`);
  inserts[at] = one('results-insert.sql', names).sql;
  const enrichedSet = { file: (stmts[set] as Statement).file, sql: `EXECUTE STATEMENT SET\nBEGIN\n\n${inserts.map((s) => `${s};`).join('\n\n')}\n\nEND` };
  return [
    ...stmts.slice(0, table),
    one('dimension-table.sql', names),
    one('results-table.sql', names),
    ...stmts.slice(table + 1, set),
    one('enriched-view.sql', names),
    enrichedSet,
    ...stmts.slice(set + 1),
  ];
}
