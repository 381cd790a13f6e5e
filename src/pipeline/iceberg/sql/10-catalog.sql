-- The Iceberg catalog of this session: a Hadoop catalog, i.e. no catalog service at all: the
-- warehouse is a folder (under the stack's .stack/data/iceberg/), a namespace is a subfolder, and a
-- table's current state is the newest metadata file in its metadata/ folder (ADR 0096). The catalog
-- name is the session's own; every session that writes or reads the table creates it the same way.
CREATE CATALOG ${iceberg_catalog} WITH (
  'type' = 'iceberg',
  'catalog-type' = 'hadoop',
  'warehouse' = '${iceberg_warehouse}',
  'property-version' = '1'
);

-- One namespace per run (a folder named after the run id), so runs sharing a stack never meet and
-- the run's cleanup removes the folder.
CREATE DATABASE IF NOT EXISTS ${iceberg_catalog}.${iceberg_namespace};
