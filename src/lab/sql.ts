import { readFileSync } from 'node:fs';

/**
 * Reads a SQL file and fills its ${placeholders}. The lab submits exactly this text and the
 * lesson page shows the same file, so what is read is what runs. A placeholder without a
 * value is an error, never an empty string.
 */
export function renderSql(file: string | URL, vars: Record<string, string | number>): string {
  const text = readFileSync(file, 'utf8');
  return fillPlaceholders(text, vars, String(file));
}

export function fillPlaceholders(text: string, vars: Record<string, string | number>, where = 'SQL'): string {
  return text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`${where}: no value for \${${name}}`);
    return String(value);
  });
}

/** Splits a file of statements on semicolons at line ends, dropping `--` comment-only lines. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.split('\n').filter((l) => !/^\s*--/.test(l)).join('\n').trim())
    .filter(Boolean);
}

/** Quotes a value for a Flink SQL string literal ('it''s'). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
