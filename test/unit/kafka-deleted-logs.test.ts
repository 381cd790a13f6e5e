/** Deleted topics' folders go before a broker starts; a live partition's folder, or a file, stays. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { removeDeletedPartitionDirs } from '../../src/stack/kafka/deleted-logs.ts';

test('only the folders Kafka renamed for deletion are removed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-logs-'));
  try {
    const deleted = ['phase_1_mx0iv0m8_89fc_results-0.9ebcf560509a40ec9f7b768a882d69de-delete', 'a-b-c-12.0123456789abcdef0123456789abcdef-delete'];
    const kept = ['phase_1_mx0iv0m8_89fc_results-0', 'topic-delete-0', '__cluster_metadata-0', 'x-0.0123abcd-future'];
    for (const d of [...deleted, ...kept]) {
      mkdirSync(join(dir, d));
      writeFileSync(join(dir, d, '00000000000000000000.log'), '');
    }
    writeFileSync(join(dir, 'meta.properties'), 'node.id=1\n');
    writeFileSync(join(dir, 'y-0.abc-delete'), 'a file, not a partition folder');
    assert.equal(removeDeletedPartitionDirs(dir), 2);
    assert.deepEqual(readdirSync(dir).sort(), [...kept, 'meta.properties', 'y-0.abc-delete'].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
