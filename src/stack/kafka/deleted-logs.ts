/**
 * The folders of deleted topics, removed before a broker starts. Deleting a topic renames each of
 * its partition folders to `<topic>-<partition>.<id>-delete`; the broker removes them only when its
 * delete task first runs, 30 s after a start. A lab deletes its topics and the stack stops seconds
 * later, so the folders piled up and every start loaded each of them again only to schedule its
 * deletion (ADR 0113). Nothing reads them: the topic is gone from the cluster's metadata.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Kafka's own pattern for a deleted partition's folder (UnifiedLog.DeleteDirPattern). */
const DELETED_PARTITION = /^\S+-\d+\.[0-9a-f]+-delete$/;

/** Removes the deleted partitions' folders under a broker's log dir; returns how many. */
export function removeDeletedPartitionDirs(logDir: string): number {
  let removed = 0;
  for (const entry of readdirSync(logDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !DELETED_PARTITION.test(entry.name)) continue;
    rmSync(join(logDir, entry.name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
