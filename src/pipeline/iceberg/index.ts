/** The Apache Iceberg sink of the CTR pipeline (ADR 0095-0098): names, statements, read-back, cleanup. */
export { icebergJobJars } from './jars.ts';
export { ICEBERG_CATALOG, type IcebergNames, icebergNames, icebergWarehouse, namespaceDir } from './names.ts';
export { type Enrichment, icebergDdl, icebergInsert, icebergReadStatement, insertQuery, withIcebergSink } from './statements.ts';
export { type IcebergResultRow, readIcebergResults, readIcebergRows } from './read.ts';
export { removeIcebergNamespace, trackIcebergNamespace } from './cleanup.ts';
export { explainMissingIceberg } from './errors.ts';
export { runIcebergJob } from './submit.ts';
