"""The Python UDF of version 2: it runs in the TaskManager's Python worker, once per event."""
from pyflink.table import DataTypes
from pyflink.table.udf import udf


def click_cost(event_type, bid_micros):
    """What one event costs its advertiser, in micros: the bid for a click (cost per click), nothing
    for an impression, nothing when the product had no dimension version yet (no bid)."""
    if event_type == "click" and bid_micros is not None:
        return bid_micros
    return 0


click_cost_udf = udf(click_cost, result_type=DataTypes.BIGINT())
