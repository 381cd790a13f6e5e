"""The 10 s event-time windows per product and category, and the enrichment query's rendering."""
from pathlib import Path
from string import Template

from pyflink.table import DataTypes, Table
from pyflink.table.expressions import col, if_then_else, lit, null_of
from pyflink.table.window import Tumble

WINDOW_MS = 10_000


def render_sql(path: Path, plan: dict) -> str:
    """A version's .sql file with the run's names: ${events}, ${dimension} (unknown ones fail loudly)."""
    n = plan["names"]
    return Template(path.read_text()).substitute(events=n["prefix"] + "firsts_on_time", dimension=n["dimension_table"])


def count_of(event_type: str):
    return if_then_else(col("event_type") == event_type, lit(1).cast(DataTypes.BIGINT()), lit(0).cast(DataTypes.BIGINT())).sum


def per_product_window(events: Table) -> Table:
    """One row per (product, category, advertiser, window): counts, ctr, and the summed cost_micros."""
    counted = (
        events.window(Tumble.over(lit(WINDOW_MS).milli).on(col("rt")).alias("w"))
        .group_by(col("product_id"), col("category"), col("advertiser"), col("w"))
        .select(
            col("product_id"),
            col("category"),
            col("advertiser"),
            # = the window's start in epoch ms: every row of the window has the same ws_ms
            col("ws_ms").min.alias("window_start"),
            count_of("impression").alias("impressions"),
            count_of("click").alias("clicks"),
            col("cost_micros").sum.alias("spend_micros"),
        )
    )
    return counted.select(
        col("product_id"),
        col("category"),
        col("advertiser"),
        col("window_start"),
        (col("window_start") + WINDOW_MS).alias("window_end"),
        col("impressions"),
        col("clicks"),
        if_then_else(col("impressions") == 0, null_of(DataTypes.DOUBLE()), col("clicks").cast(DataTypes.DOUBLE()) / col("impressions")).alias("ctr"),
        col("spend_micros"),
    )
