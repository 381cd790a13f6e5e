-- Cleanup, in this order: the view first, then its Kafka table (on 18.16 every Kafka table keeps a
-- consumer and a background thread busy until dropped), then the data.
DROP TABLE IF EXISTS ${mv_name};
DROP TABLE IF EXISTS ${queue_table};
DROP TABLE IF EXISTS ${results_table};
