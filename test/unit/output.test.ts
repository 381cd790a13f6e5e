import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';

test('a stack event line shows elapsed seconds, service, phase and detail', () => {
  const text = formatStackEvent({ kind: 'phase', service: 'kafka', phase: 'healthy', elapsedMs: 4_150, detail: '127.0.0.1:9092 in 4.1 s' });
  assert.match(text, /^\[\s+4\.2s\] kafka\s+healthy\s+127\.0\.0\.1:9092 in 4\.1 s$/);
});
