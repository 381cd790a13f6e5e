-- The R2 reference: the tuned source (sql/v1-json/10-source.sql) read, every field of every line
-- parsed, and the rows discarded: what any pipeline must do at the least, nothing more. This file
-- and 40-insert.sql take the place of phase 1's sinks and statement set (pipeline.ts leaves the
-- views out). The sink has the source's columns, computed ones and options excluded.
CREATE TABLE ${results_table} WITH ('connector' = 'blackhole') LIKE ${source_table} (EXCLUDING ALL);
