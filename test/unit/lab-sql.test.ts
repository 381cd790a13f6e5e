import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillPlaceholders, splitStatements } from '../../src/lab/sql.ts';

test('statements split at line-ending semicolons; a statement set stays whole', () => {
  const text = `-- settings\nSET 'a' = '1';\nCREATE TABLE t (x INT)\nWITH ('k' = 'v;w');\nEXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND;\n-- trailing comment\n`;
  const out = splitStatements(text);
  assert.equal(out.length, 3);
  assert.equal(out[0], "SET 'a' = '1'");
  assert.match(out[1] ?? '', /^CREATE TABLE t \(x INT\)\nWITH \('k' = 'v;w'\)$/);
  assert.match(out[2] ?? '', /^EXECUTE STATEMENT SET\nBEGIN\nINSERT INTO a SELECT 1;\nINSERT INTO b SELECT 2;\nEND$/);
});

test('a placeholder without a value is an error, not an empty string', () => {
  assert.equal(fillPlaceholders('FROM ${t}', { t: 'x' }), 'FROM x');
  assert.throws(() => fillPlaceholders('FROM ${missing}', {}), /no value for \$\{missing\}/);
});

test('a placeholder alone on its line is a slot: indented on every line, gone when empty', () => {
  const text = "WITH (\n  'a' = '1',\n  ${extra}\n  'b' = '2'\n)";
  assert.equal(fillPlaceholders(text, { extra: '' }), "WITH (\n  'a' = '1',\n  'b' = '2'\n)");
  assert.equal(fillPlaceholders(text, { extra: "'x' = '1',\n'y' = '2'," }), "WITH (\n  'a' = '1',\n  'x' = '1',\n  'y' = '2',\n  'b' = '2'\n)");
  assert.equal(fillPlaceholders('a ${x} b', { x: '' }), 'a  b', 'inline placeholders stay inline');
  assert.throws(() => fillPlaceholders('  ${missing}\n', {}), /no value for \$\{missing\}/);
});
