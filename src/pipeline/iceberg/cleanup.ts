/**
 * Removing a run's Iceberg tables: its namespace folder (data and metadata files). A Hadoop catalog
 * keeps no state elsewhere, so the folder is the whole of it. Call after the run's jobs have ended
 * (TrackedResources removes paths after cancelling jobs), or a committer could write into it again.
 */
import { rmSync } from 'node:fs';
import type { ResourceTracker } from '../../stack/resources.ts';
import { type IcebergNames, namespaceDir } from './names.ts';

export function removeIcebergNamespace(n: Pick<IcebergNames, 'iceberg_namespace'>): void {
  rmSync(namespaceDir(n), { recursive: true, force: true });
}

/** Has the run's tracker remove the namespace folder with the rest of what the run created. */
export function trackIcebergNamespace(track: ResourceTracker, n: Pick<IcebergNames, 'iceberg_namespace'>): void {
  track.path?.(namespaceDir(n));
}
