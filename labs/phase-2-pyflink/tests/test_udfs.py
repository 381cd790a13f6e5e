"""v2's UDF as plain Python: what one event costs its advertiser."""
from udfs import click_cost, click_cost_udf


def test_a_click_costs_its_bid():
    assert click_cost("click", 250_000) == 250_000


def test_an_impression_costs_nothing():
    assert click_cost("impression", 250_000) == 0


def test_a_click_without_a_dimension_version_costs_nothing():
    assert click_cost("click", None) == 0


def test_the_udf_wraps_the_same_function_with_a_bigint_result():
    assert click_cost_udf._func is click_cost
    assert str(click_cost_udf._result_type) == "BIGINT"
