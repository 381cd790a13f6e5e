/**
 * The SQL Gateway warm-up every lab starts in the background (src/stack/flink/warmup.ts, ADR 0033)
 * plans its statements without an error on the real gateway: a warm-up that fails only says so in
 * a note, so without this test a broken one would go unnoticed and every first submission would
 * plan cold again. Runs on the stack the lab tests share (started here if none runs).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';
import { warmGateway } from '../../src/stack/flink/warmup.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';

let stack: EnsuredStack | undefined;
before(async () => {
  stack = await ensureStack(stackBackend(), { services: ['sql-gateway'], listener: (e) => process.stdout.write(`# ${formatStackEvent(e)}\n`) });
});
after(async () => {
  await stack?.release();
});

test('the gateway warm-up plans every statement on the real SQL Gateway', async () => {
  const first = await warmGateway((stack as EnsuredStack).endpoints.sqlGateway);
  const second = await warmGateway((stack as EnsuredStack).endpoints.sqlGateway);
  process.stdout.write(`# warm-up ${first.ms} ms, then ${second.ms} ms on the warmed gateway\n`);
  assert.ok(first.ms > 0 && second.ms > 0);
});
