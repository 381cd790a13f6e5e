/** When the SQL Gateway's warm-up starts (ADR 0033), and how its outcome is said. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StackEvent } from '../../src/stack/events.ts';
import { describeWarmup, warmingListener } from '../../src/stack/flink/warmup.ts';

test('the warm-up starts when the SQL Gateway turns healthy, and only then', async () => {
  const seen: StackEvent[] = [];
  const warmups: Promise<unknown>[] = [];
  const listener = warmingListener((e) => seen.push(e), (w) => warmups.push(w));
  listener({ kind: 'phase', service: 'sql-gateway', phase: 'starting', elapsedMs: 1 });
  listener({ kind: 'phase', service: 'flink-jobmanager', phase: 'healthy', elapsedMs: 2, url: 'http://127.0.0.1:1' });
  listener({ kind: 'notice', message: 'x' });
  assert.equal(warmups.length, 0);
  // Port 1 refuses: the warm-up fails, and that failure is the warm-up's alone (handled, not thrown).
  listener({ kind: 'phase', service: 'sql-gateway', phase: 'healthy', elapsedMs: 3, url: 'http://127.0.0.1:1' });
  assert.equal(warmups.length, 1);
  assert.equal(seen.length, 4, 'every event still reaches the wrapped listener');
  await assert.rejects(warmups[0] as Promise<unknown>);
});

test('a warm-up\'s outcome reads the same from the lab runner and from stack up', async () => {
  assert.equal(await describeWarmup(Promise.resolve({ ms: 1_460 }), ' (in the background)'), 'SQL Gateway planner warmed in 1.5 s (in the background)');
  assert.equal(
    await describeWarmup(Promise.reject(new Error('fetch failed\n  at somewhere')), ' (never shown)'),
    'SQL Gateway warm-up failed (the first statement plans cold): fetch failed',
    'a failure: its first line, and the cost it has',
  );
});
