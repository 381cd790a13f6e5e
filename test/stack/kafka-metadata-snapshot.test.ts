/**
 * The broker snapshots its KRaft metadata after a few KiB of records (ADR 0124), so a start
 * replays only the records since the last snapshot, not every topic every lab ever made and
 * deleted. With Kafka's defaults (20 MB or 1 h) this test fails: 150 topics made and deleted are
 * more than 16 KiB of records but far from 20 MB, and no snapshot follows.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTopics, deleteTopics, kafkaClient } from '../../src/stack/kafka/client.ts';
import { stackPaths } from '../../src/stack/paths.ts';
import { log, useSharedStack } from './shared-stack.ts';

const stack = useSharedStack();

/** The end offset of the newest KRaft snapshot (`<offset>-<epoch>.checkpoint`), or -1 when there is none. */
function newestSnapshotOffset(): number {
  const dir = join(stackPaths.data('kafka'), '__cluster_metadata-0');
  const offsets = readdirSync(dir)
    .map((f) => /^(\d{20})-\d{10}\.checkpoint$/.exec(f)?.[1])
    .filter((o): o is string => o !== undefined)
    .map(Number);
  return offsets.length ? Math.max(...offsets) : -1;
}

test('the broker writes a metadata snapshot after 16 KiB of records (ADR 0124)', async () => {
  assert.ok(stack().services.find((s) => s.name === 'kafka')?.where.startsWith('pid '), 'a broker running as a local process (its data dir is read here)');
  const before = newestSnapshotOffset();
  const admin = kafkaClient(stack().endpoints.kafka).admin();
  await admin.connect();
  const topics = Array.from({ length: 150 }, (_, i) => `ctr_snapshot_probe_${process.pid}_${i}`);
  try {
    await createTopics(admin, topics.map((topic) => ({ topic, partitions: 1 })));
  } finally {
    await deleteTopics(admin, topics).catch(() => undefined);
    await admin.disconnect();
  }
  let now = newestSnapshotOffset();
  for (let waited = 0; now <= before && waited < 20_000; waited += 250) {
    await sleep(250);
    now = newestSnapshotOffset();
  }
  log(`newest metadata snapshot: offset ${before} before, ${now} after`);
  assert.ok(now > before, `a new metadata snapshot within 20 s of 150 topics made and deleted (newest offset ${before} before, ${now} after)`);
});
