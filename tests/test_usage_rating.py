"""Price models and aggregations of recurring_usage (layer 1, no Odoo)."""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recurring_usage_tools import aggregation, rating

quantities = st.decimals(min_value=0, max_value=10**7, places=3)
prices = st.decimals(min_value=0, max_value=1000, places=4)


@st.composite
def tier_rows(draw):
    count = draw(st.integers(1, 5))
    bounds = sorted(
        draw(st.sets(st.integers(1, 10**6), min_size=count - 1, max_size=count - 1))
    )
    rows = [(Decimal(b), draw(prices), Decimal(0)) for b in bounds]
    rows.append((None, draw(prices), Decimal(0)))
    return rows


def test_graduated_example_from_the_spec():
    rated = rating.rate(1532, "graduated", tiers=[(1000, "0.18", 0), (None, "0.15", 0)])
    assert rated.amount == Decimal("259.80")
    assert [(t.quantity, t.unit_price) for t in rated.tiers] == [
        (Decimal(1000), Decimal("0.18")),
        (Decimal(532), Decimal("0.15")),
    ]
    assert rating.breakdown(rated) == ["1000 × 0.18", "532 × 0.15"]


def test_volume_prices_every_unit_at_the_tier_reached():
    rated = rating.rate(1532, "volume", tiers=[(1000, "0.18", 0), (None, "0.15", 0)])
    assert rated.amount == Decimal("229.80")


def test_package_counts_started_blocks():
    assert rating.rate(1001, "package", price=5, package_size=100).amount == 55
    assert rating.rate(1000, "package", price=5, package_size=100).amount == 50
    assert rating.rate(0, "package", price=5, package_size=100).amount == 0


def test_minimum_gives_a_true_up():
    rated = rating.rate(10, "per_unit", price="3.20", minimum=100)
    assert rated.amount == Decimal("32.00")
    assert rated.true_up == Decimal("68.00")
    assert rating.rate(50, "per_unit", price="3.20", minimum=100).true_up == 0


def test_per_unit_smart_meter_example():
    assert rating.rate(3, "per_unit", price="3.20").amount == Decimal("9.60")


def test_bad_tiers_are_refused():
    with pytest.raises(rating.RatingError):
        rating.rate(5, "graduated", tiers=[(10, 1, 0), (5, 1, 0)])
    with pytest.raises(rating.RatingError):
        rating.rate(5, "graduated", tiers=[(None, 1, 0), (10, 1, 0)])
    with pytest.raises(rating.RatingError):
        rating.rate(50, "volume", tiers=[(10, 1, 0)])
    with pytest.raises(rating.RatingError):
        rating.rate(5, "package", price=1, package_size=0)
    with pytest.raises(rating.RatingError):
        rating.rate(5, "percentage")


@given(quantities, tier_rows())
def test_graduated_equals_the_sum_of_its_tiers(quantity, rows):
    rated = rating.rate(quantity, "graduated", digits=6, tiers=rows)
    assert sum(t.quantity for t in rated.tiers) == quantity
    expected = sum((t.quantity * t.unit_price for t in rated.tiers), Decimal(0))
    assert rated.amount == expected.quantize(Decimal("0.000001"), ROUND_HALF_UP)


@given(quantities, prices)
def test_volume_and_graduated_agree_on_one_tier(quantity, price):
    rows = [(None, price, 0)]
    assert (
        rating.rate(quantity, "volume", tiers=rows).amount
        == rating.rate(quantity, "graduated", tiers=rows).amount
        == rating.rate(quantity, "per_unit", price=price).amount
    )


@given(quantities, quantities, tier_rows())
def test_allowance_never_bills_negative_quantities(quantity, included, rows):
    for model in ("graduated", "volume"):
        rated = rating.rate(quantity, model, tiers=rows, included=included)
        assert rated.billable >= 0
        assert rated.amount >= 0
        assert all(t.quantity >= 0 for t in rated.tiers)
        assert rated.billable + rated.included == quantity


@given(
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.integers(1, 1000),
    prices,
)
def test_package_rounding_is_up_to_whole_blocks(quantity, size, price):
    rated = rating.rate(quantity, "package", digits=4, price=price, package_size=size)
    blocks = rated.tiers[0].quantity if rated.tiers else 0
    assert blocks * size >= quantity
    assert (blocks - 1) * size < quantity or blocks == 0
    assert rated.amount == (blocks * price).quantize(Decimal("0.0001"), ROUND_HALF_UP)


@given(st.decimals(min_value=0, max_value=10**6, places=2), st.integers(0, 6))
def test_line_figures_are_worth_the_amount(amount, quantity):
    qty, unit = rating.line_figures(amount, quantity, 4)
    assert qty * unit == amount


def _events(values, prop=None):
    start = datetime(2026, 3, 1)
    return [
        {
            "quantity": value,
            "timestamp": start + timedelta(hours=i),
            "properties": {"user": prop[i]} if prop else {},
        }
        for i, value in enumerate(values)
    ]


def test_aggregations():
    events = _events(["3", "1.5", "2"], prop=["a", "b", "a"])
    assert aggregation.aggregate("sum", events) == Decimal("6.5")
    assert aggregation.aggregate("count", events) == 3
    assert aggregation.aggregate("max", events) == 3
    assert aggregation.aggregate("latest", events) == 2
    assert aggregation.aggregate("unique_count", events, "user") == 2
    assert aggregation.aggregate("sum", []) == 0
    assert aggregation.aggregate("latest", []) == 0


def test_reading_difference_with_rollover_and_replacement():
    rd = aggregation.reading_difference
    assert rd(100, [(120, None, None), (150, None, None)]) == 50
    assert rd(None, [(120, None, None), (150, None, None)]) == 30
    # counter wraps at 1000: 990 -> 1000 -> 0 -> 15
    assert rd(990, [(15, "rollover", 1000)]) == 25
    # new meter starting at 0, now at 40
    assert rd(990, [(40, "replacement", 0)]) == 40
    with pytest.raises(aggregation.AggregationError):
        rd(100, [(90, None, None)])
    with pytest.raises(aggregation.AggregationError):
        rd(100, [(90, "rollover", None)])


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=30), st.integers(0, 50))
def test_reading_difference_is_the_sum_of_increments(increments, start):
    readings, index = [], start
    for step in increments:
        index += step
        readings.append((index, None, None))
    assert aggregation.reading_difference(start, readings) == sum(increments)
