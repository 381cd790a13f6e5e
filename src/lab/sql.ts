import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqlPath } from './sql-overlay.ts';

/**
 * Reads a SQL file and fills its ${placeholders}. The lab submits exactly this text and the
 * lesson page shows the same file, so what is read is what runs. A placeholder without a
 * value is an error, never an empty string. Under `--sql DIR` the learner's copy of the file is read
 * instead (sql-overlay.ts).
 */
export function renderSql(file: string | URL, vars: Record<string, string | number>): string {
  return fillPlaceholders(readSql(file), vars, String(file));
}

/** A lab's SQL file as text: the learner's copy when this run has one (`--sql`), else the file. */
export function readSql(file: string | URL): string {
  return readFileSync(sqlPath(file instanceof URL ? fileURLToPath(file) : file), 'utf8');
}

/**
 * A placeholder alone on its line is a slot for whole lines (extra WITH options, a setting): every
 * line of its value gets the line's indentation, and an empty value removes the line, so a file
 * renders the same with or without what a variant puts there.
 */
export function fillPlaceholders(text: string, vars: Record<string, string | number>, where = 'SQL'): string {
  const value = (name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`${where}: no value for \${${name}}`);
    return String(v);
  };
  return text.replace(/^([ \t]*)\$\{(\w+)\}[ \t]*(?:\n|$)|\$\{(\w+)\}/gm, (line: string, indent: string | undefined, slot: string | undefined, inline: string | undefined) => {
    if (inline !== undefined) return value(inline);
    const v = value(slot as string);
    if (v === '') return '';
    const eol = line.endsWith('\n') ? '\n' : '';
    return `${v.split('\n').map((l) => `${indent}${l}`).join('\n')}${eol}`;
  });
}

/**
 * Statements of a file: split at a ';' that ends a line, except inside EXECUTE STATEMENT SET
 * ... END; (one statement for the gateway). Leading comment lines are dropped.
 */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inSet = false;
  for (const line of text.split('\n')) {
    cur += `${line}\n`;
    const code = line.replace(/--.*$/, '').trim();
    if (/^EXECUTE STATEMENT SET/i.test(code)) inSet = true;
    const ends = inSet ? /^END;$/i.test(code) : code.endsWith(';');
    if (ends) {
      out.push(cur.trim().replace(/;$/, ''));
      cur = '';
      inSet = false;
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out.map((s) => s.replace(/^(\s*--[^\n]*\n)+/, '').trim()).filter((s) => s.length > 0 && !/^(\s*--[^\n]*\n?)*$/.test(s));
}

/**
 * Every statement of the numbered .sql files in a folder (10-source.sql, 20-sinks.sql...), in
 * name order, placeholders filled. Unnumbered files are fragments that the lab passes in as values.
 */
export function loadSqlDir(dir: string, vars: Record<string, string | number>): { file: string; sql: string }[] {
  return readdirSync(dir)
    .filter((f) => /^\d+-.*\.sql$/.test(f))
    .sort()
    .flatMap((f) => splitStatements(renderSql(join(dir, f), vars)).map((sql) => ({ file: f, sql })));
}

/** Quotes a value for a Flink SQL string literal ('it''s'). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
