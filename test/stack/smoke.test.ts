/**
 * The stack smoke test (real services, no mocks): stack up in a scratch stack dir;
 * 1,000 JSON events produced with kafkajs; a Flink SQL job submitted through the SQL Gateway
 * copies them to another topic; ClickHouse ingests that topic through its Kafka engine and a
 * materialized view; the count must be exactly 1,000; stack down leaves no process behind.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { formatStackEvent } from '../../src/cli/output.ts';
import { type EnsuredStack, ensureStack, stackBackend } from '../../src/stack/index.ts';
import { repoRoot } from '../../src/stack/paths.ts';
import { isAlive } from '../../src/stack/process.ts';
import { smokeCopy } from './smoke-pipeline.ts';
import { readState } from '../../src/stack/state.ts';
import { DEFAULT_SERVICE_NAMES } from '../../src/stack/service.ts';

const N = 1_000;
const run = `smoke_${Date.now().toString(36)}`;
const log = (line: string) => process.stdout.write(`# ${line}\n`);
let stack: EnsuredStack;
let scratch = '';

before(async () => {
  // A stack of its own, so the test can prove `down` leaves nothing, whatever the learner runs;
  // under `npm test` (test/ci/suites.ts sets CTR_SHARED_STACK) the one stack the live suites
  // shared, which this suite, run last, stops.
  if (!process.env.CTR_SHARED_STACK) {
    mkdirSync(join(repoRoot, '.stack'), { recursive: true });
    scratch = mkdtempSync(join(repoRoot, '.stack', 'test-smoke-'));
    process.env.CTR_STACK_DIR = scratch;
  }
  stack = await ensureStack(stackBackend(), { listener: (e) => log(formatStackEvent(e)) });
});

after(async () => {
  await stack?.release();
  if (scratch) {
    delete process.env.CTR_STACK_DIR;
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('1,000 events go Kafka -> Flink SQL (via the SQL Gateway) -> Kafka -> ClickHouse, exactly once each', async () => {
  await smokeCopy(stack.endpoints, run, N);
});

test('stack down stops every process the stack started', async () => {
  const pids = Object.values(readState().services).map((r) => r.pid);
  assert.equal(pids.length, DEFAULT_SERVICE_NAMES.length, `all ${DEFAULT_SERVICE_NAMES.length} services of the default stack were running (Prometheus and the pipeline exporter included)`);
  await stack.backend.down();
  const left = pids.filter((pid) => isAlive(pid));
  assert.deepEqual(left, [], `processes left running: ${left.join(', ')}`);
  assert.deepEqual(readState().services, {}, 'state.json is empty after down');
});
