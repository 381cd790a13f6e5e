"""Version 1: phase 1's pipeline, enriched with the product dimension, every step in the JVM.

The cost of a click is a Table API expression: no Python runs on the TaskManager. Run by the lab
(it prints the exact command); see ../ctr_common/flags.py for the flags.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pyflink.table import DataTypes  # noqa: E402
from pyflink.table.expressions import coalesce, col, if_then_else, lit  # noqa: E402

from ctr_common import run, windows  # noqa: E402


def results(t_env, plan):
    enriched = t_env.sql_query(windows.render_sql(HERE / "enrich.sql", plan))
    zero = lit(0).cast(DataTypes.BIGINT())
    with_cost = enriched.add_columns(
        if_then_else(col("event_type") == "click", coalesce(col("bid_micros"), zero), zero).alias("cost_micros")
    )
    return windows.per_product_window(with_cost)


if __name__ == "__main__":
    run.submit(sys.argv[1:], results)
