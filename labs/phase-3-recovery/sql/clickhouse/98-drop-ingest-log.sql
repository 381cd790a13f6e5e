-- Before phase-1's 99-drop.sql: this view reads the Kafka table that one drops.
DROP TABLE IF EXISTS ${mv_name}_ingested;
DROP TABLE IF EXISTS ${results_table}_ingested;
