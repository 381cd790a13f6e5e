INSERT INTO ${results_table} SELECT event_id, user_id, product_id, event_type, ts FROM ${source_table};
