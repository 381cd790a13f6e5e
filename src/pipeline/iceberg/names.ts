/**
 * Where a run's Iceberg table lives: the warehouse folder of this stack (.stack/data/iceberg/warehouse,
 * beside the other services' data), a namespace named after the run id, a table `results` in it.
 * The Flink processes of the local backend see the same file system, so a file:// warehouse works
 * for the gateway, the JobManager and the TaskManager alike.
 */
import { join } from 'node:path';
import { stackPaths } from '../../stack/paths.ts';

export interface IcebergNames {
  [placeholder: string]: string;
  /** The catalog's name inside a Flink session (each session creates it). */
  iceberg_catalog: string;
  /** file:// URI of the warehouse folder. */
  iceberg_warehouse: string;
  iceberg_namespace: string;
  /** catalog.namespace.table, as Flink SQL names it. */
  iceberg_table: string;
}

export const ICEBERG_CATALOG = 'ctr_iceberg';

/** The warehouse folder (a path on this machine). */
export function icebergWarehouse(): string {
  return join(stackPaths.data('iceberg'), 'warehouse');
}

export function icebergNames(runId: string): IcebergNames {
  if (!/^[a-z][a-z0-9_]*$/.test(runId)) throw new Error(`icebergNames: "${runId}" is not a run id (lowercase letters, digits, _)`);
  return {
    iceberg_catalog: ICEBERG_CATALOG,
    iceberg_warehouse: `file://${icebergWarehouse()}`,
    iceberg_namespace: runId,
    iceberg_table: `${ICEBERG_CATALOG}.${runId}.results`,
  };
}

/** The folder holding a run's namespace: its tables' data and metadata files. Removing it removes the run's tables. */
export function namespaceDir(n: Pick<IcebergNames, 'iceberg_namespace'>): string {
  return join(icebergWarehouse(), n.iceberg_namespace);
}
