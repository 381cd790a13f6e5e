"""Version 2: version 1 with the cost of a click computed by a Python UDF (udfs.py).

Every event crosses from the JVM to the TaskManager's Python worker and back: the lab measures
what that costs (the drain rate with and without it). See ../ctr_common/flags.py for the flags.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pyflink.table.expressions import col  # noqa: E402

from ctr_common import run, windows  # noqa: E402
from udfs import click_cost_udf  # noqa: E402


def results(t_env, plan):
    # The worker imports udfs.py too: ship it with the job.
    t_env.add_python_file(str(HERE / "udfs.py"))
    enriched = t_env.sql_query(windows.render_sql(HERE / "enrich.sql", plan))
    with_cost = enriched.add_columns(click_cost_udf(col("event_type"), col("bid_micros")).alias("cost_micros"))
    return windows.per_product_window(with_cost)


if __name__ == "__main__":
    run.submit(sys.argv[1:], results)
