/**
 * The pipeline's SQL, rendered. One set of files is the source: phase 1's (labs/phase-1/sql, where
 * the phase-1 lesson teaches and shows them). Every other job is a rendering of those files with
 * other values (names.ts), plus a variant's own files where it truly differs:
 * - a variant folder's numbered .sql file takes the place of phase 1's file of the same name
 *   (the throughput lab's JSON source), any other joins in name order (the streaming settings);
 * - SET statements a variant adds run after every settings file, before the first table, so they win;
 * - a variant may write fewer sinks: the others are neither created nor written.
 */
import { readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSql, splitStatements } from '../lab/sql.ts';
import type { PipelineNames } from './names.ts';

/** labs/phase-1/sql/: flink/, clickhouse/, and streaming/ (the settings of the long-running job). */
export const PIPELINE_SQL = fileURLToPath(new URL('../../labs/phase-1/sql/', import.meta.url));
const LABS = fileURLToPath(new URL('../../labs/', import.meta.url));

export const SINKS = ['dlq', 'duplicates', 'late', 'results'] as const;
export type Sink = (typeof SINKS)[number];

export interface Variant {
  /** Folders of Flink .sql files that join phase 1's flink/ (a later folder wins on a name). */
  flink?: readonly string[];
  /** Folders of ClickHouse .sql files that join phase 1's create statements (clickhouse/10-*). */
  clickhouse?: readonly string[];
  /** File names left out (the control drill runs without 05-checkpointing.sql). */
  without?: readonly string[];
  /** SET statements after the settings files: they win over them. */
  set?: readonly string[];
  /** The sinks the job writes; all four by default. */
  sinks?: readonly Sink[];
}

/** One statement, and where it came from (a path under labs/, or "(set)"). */
export interface Statement {
  file: string;
  sql: string;
}

/** The numbered .sql files of phase 1's `sub` folder joined with the variant's folders, by name. */
function files(sub: 'flink' | 'clickhouse', folders: readonly string[] = [], without: readonly string[] = []): string[] {
  const byName = new Map<string, string>();
  for (const dir of [join(PIPELINE_SQL, sub), ...folders]) {
    for (const f of readdirSync(dir).filter((n) => /^\d+-.*\.sql$/.test(n))) byName.set(f, join(dir, f));
  }
  return [...byName.keys()].filter((f) => !without.includes(f)).sort().map((f) => byName.get(f) as string);
}

function statementsOf(path: string, vars: Record<string, string>): Statement[] {
  return splitStatements(renderSql(path, vars)).map((sql) => ({ file: relative(LABS, path), sql }));
}

/**
 * The WITH options of phase 1's source but its format ('format', 'raw.*'), one per line, each with
 * its comma: a variant that parses the input another way reads it exactly as phase 1 does, through
 * its `${kafka_source_options}` slot.
 */
export function kafkaSourceOptions(vars: Record<string, string>): string {
  const [source = ''] = splitStatements(renderSql(join(PIPELINE_SQL, 'flink', '10-source.sql'), vars));
  const lines = source.split('\n');
  const open = lines.findIndex((l) => /^\)\s*WITH\s*\($/i.test(l.trim()));
  if (open < 0) throw new Error("phase 1's 10-source.sql has no WITH clause");
  return lines
    .slice(open + 1, -1)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('--') && !/^'(format|raw\.[^']*)'/.test(l))
    .map((l) => (l.endsWith(',') ? l : `${l},`))
    .join('\n');
}

const created = (sql: string) => /^CREATE\s+(?:TEMPORARY\s+)?(?:TABLE|VIEW|MATERIALIZED\s+VIEW)\s+(\S+)/i.exec(sql)?.[1];

/** A statement set that keeps only the INSERTs into `tables`. */
function keepInserts(set: string, tables: ReadonlySet<string>): string {
  const body = /^EXECUTE STATEMENT SET\s*\nBEGIN\s*\n([\s\S]*)\nEND$/i.exec(set)?.[1];
  if (body === undefined) return set;
  const inserts = splitStatements(body).filter((s) => tables.has(/^INSERT\s+INTO\s+(\S+)/i.exec(s)?.[1] ?? ''));
  return `EXECUTE STATEMENT SET\nBEGIN\n\n${inserts.map((s) => `${s};`).join('\n\n')}\n\nEND`;
}

/** The Flink statements of a job, in order: settings, the variant's SETs, source, sinks, views, the statement set. */
export function flinkStatements(names: PipelineNames, variant: Variant = {}): Statement[] {
  const vars = { ...names, kafka_source_options: kafkaSourceOptions(names) };
  let stmts = files('flink', variant.flink, variant.without).flatMap((path) => statementsOf(path, vars));
  if (variant.sinks) {
    const kept = new Set(variant.sinks.map((s) => names[`${s}_table`]));
    const dropped = new Set(SINKS.filter((s) => !variant.sinks?.includes(s)).map((s) => names[`${s}_table`]));
    stmts = stmts.filter((s) => !dropped.has(created(s.sql) ?? '')).map((s) => (/^EXECUTE STATEMENT SET/i.test(s.sql) ? { ...s, sql: keepInserts(s.sql, kept) } : s));
  }
  const firstTable = stmts.findIndex((s) => !/^SET\s/i.test(s.sql));
  const at = firstTable < 0 ? stmts.length : firstTable;
  return [...stmts.slice(0, at), ...(variant.set ?? []).map((sql) => ({ file: '(set)', sql })), ...stmts.slice(at)];
}

/** The ClickHouse statements that create the results store: phase 1's clickhouse/10-*, then the variant's. */
export function clickhouseCreateStatements(names: PipelineNames, variant: Variant = {}): string[] {
  const mine = files('clickhouse', variant.clickhouse).filter((p) => !/^9\d-/.test(basename(p)));
  return mine.flatMap((path) => statementsOf(path, names).map((s) => s.sql));
}

/** The names a list of CREATE statements creates, in order. */
export function createdNames(statements: readonly string[]): string[] {
  return statements.map((s) => created(s)).filter((n): n is string => n !== undefined);
}

/** Phase 1's read of the results: FINAL, in the oracle's order (clickhouse/90-read.sql). */
export function clickhouseReadStatement(names: PipelineNames): string {
  const [sql] = statementsOf(join(PIPELINE_SQL, 'clickhouse', '90-read.sql'), names);
  if (!sql) throw new Error('clickhouse/90-read.sql holds no statement');
  return sql.sql;
}
