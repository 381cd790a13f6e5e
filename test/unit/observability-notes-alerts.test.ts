import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { alertChanges } from '../../src/observability/alerts-api.ts';
import { LAB_THRESHOLDS } from '../../src/observability/alerts/thresholds.ts';
import { thresholdNotes } from '../../src/observability/threshold-notes.ts';
import { repoRoot } from '../../src/stack/paths.ts';

test('every threshold but the profile name has its explanation in the thresholds file, which the lesson quotes', () => {
  const notes = thresholdNotes(readFileSync(join(repoRoot, 'src/observability/alerts/thresholds.ts'), 'utf8'));
  const explained = notes.flatMap((n) => n.fields);
  assert.deepEqual([...explained].sort(), Object.keys(LAB_THRESHOLDS).filter((k) => k !== 'profile').sort());
  for (const n of notes) assert.match(n.text, /^\w+: /, `the note on ${n.fields.join(', ')} starts with its alert's name`);
});

test('a comment explains every field under it until the next comment; a field without one is left out', () => {
  const source = 'export interface Thresholds {\n  profile: string;\n  /**\n   * A: first\n   * line two\n   */\n  a: number;\n  b: string;\n  /** B: second */\n  c: number;\n}\n';
  assert.deepEqual(thresholdNotes(source), [
    { fields: ['a', 'b'], text: 'A: first\nline two' },
    { fields: ['c'], text: 'B: second' },
  ]);
  assert.throws(() => thresholdNotes('const x = 1;'), /no `export interface Thresholds/);
});

test("alertChanges turns the ALERTS series into state changes, firing over pending, a series' end as inactive", async () => {
  const asked: string[] = [];
  const original = globalThis.fetch;
  // Prometheus' query_range answer, faked: this test isolates the conversion, not Prometheus.
  globalThis.fetch = (async (url: string) => {
    asked.push(decodeURIComponent(new URL(url).searchParams.get('query') ?? ''));
    const result = [
      { metric: { alertname: 'A', alertstate: 'pending', run: 'r1' }, values: [[100, '1'], [105, '1']] },
      { metric: { alertname: 'A', alertstate: 'firing', run: 'r1' }, values: [[110, '1'], [115, '1']] },
      { metric: { alertname: 'B', alertstate: 'firing', run: 'r1' }, values: [[105, '1']] },
    ];
    return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
  }) as typeof fetch;
  try {
    const changes = await alertChanges('http://prom', { start: 100, end: 125, stepSeconds: 5, run: 'r1' });
    assert.deepEqual(changes, [
      { t: 100, alertname: 'A', state: 'pending' },
      { t: 105, alertname: 'B', state: 'firing' },
      { t: 110, alertname: 'A', state: 'firing' },
      { t: 110, alertname: 'B', state: 'inactive' },
      { t: 120, alertname: 'A', state: 'inactive' },
    ]);
    assert.match(asked[0] ?? '', /ALERTS\{run="r1"\}/, 'only the run\'s alerts are asked for');
  } finally {
    globalThis.fetch = original;
  }
});
