"""The Python UDF of version 2: it runs in the TaskManager's Python worker, once per event."""
from pyflink.table import DataTypes
from pyflink.table.udf import udf


def click_cost(event_type, bid_micros):
    """What one event costs its advertiser, in micros.

    TODO: the advertiser pays per click (cost per click), nothing for an impression, and nothing
    when the product had no dimension version yet. This version charges every event.
    """
    return bid_micros


click_cost_udf = udf(click_cost, result_type=DataTypes.BIGINT())
