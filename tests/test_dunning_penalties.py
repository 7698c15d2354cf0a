"""dunning_levels/tools: penalties and indemnity, with the rates of account_invoice_fr.

Figures from dunning_fr.md §8.2: H2 2025 and H1 2026 both have an ECB main
rate of 2.15 % (default penalty rate 12.15 %); legal rates for professional
creditors 2.76 % (floor 8.28 %) and 2.62 % (floor 7.86 %).
"""

import functools
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from account_invoice_fr_tools import rates
from account_invoice_fr_tools.exceptions import MissingRateError
from account_invoice_fr_tools.rates import HalfYearRate
from dunning_levels_tools import money, penalties
from dunning_levels_tools.exceptions import CurrencyRateError, InvalidSettingsError
from hypothesis import given, settings
from hypothesis import strategies as st

D = Decimal
SPEC_TABLE = [
    HalfYearRate(2025, 2, D("2.15"), D("2.76"), "legal rate H2 2025 (cna2c.fr)"),
    HalfYearRate(2026, 1, D("2.15"), D("2.62"), "arrêté of 15 Dec 2025"),
]
# H1 2025, only to cross the 1 July 2025 boundary: ECB main rate 3.15 % since
# 18 Dec 2024, legal rate for professionals 3.71 % (arrêté of Dec 2024).
H1_2025 = HalfYearRate(2025, 1, D("3.15"), D("3.71"), "arrêté of Dec 2024")


def compute_penalty(base, due_date, on_date, table, policy="legal_default", digits=2):
    """The penalty with the applied rates of ``table`` and ``policy``, as the
    company passes them (``res.company._late_payment_rate_of``)."""
    rate_of = functools.partial(
        rates.applied_rate,
        table=rates.as_table(table),
        policy=rates.as_policy(policy),
    )
    return penalties.compute_penalty(base, due_date, on_date, rate_of, digits)


# ----------------------------------------------------------------------
# Penalties
# ----------------------------------------------------------------------


def test_contractual_rate_is_checked_in_every_half_year_it_is_used_in():
    # 8 % is lawful in H1 2026 (floor 7.86 %) but not in H2 2025 (8.28 %)
    assert rates.rate_for(date(2026, 3, 1), SPEC_TABLE, D(8)) == D(8)
    assert rates.floor_violations(D(8), SPEC_TABLE) == [SPEC_TABLE[0]]
    only_2026 = compute_penalty(
        D("1000.00"), date(2026, 1, 10), date(2026, 2, 9), SPEC_TABLE, D(8)
    )
    # 1000 × 8 % × 30 / 365 = 6.5753…
    assert only_2026.total == D("6.58")
    # over the boundary: the floor of H2 2025 for its 11 days, 8 % after
    across = compute_penalty(
        D("1000.00"), date(2025, 12, 20), date(2026, 1, 10), SPEC_TABLE, D(8)
    )
    assert [(s.days, s.rate, s.status) for s in across.segments] == [
        (11, D("8.28"), "floor"),
        (10, D(8), "ok"),
    ]
    assert across.floor_segments[0].contractual_rate == D(8)
    # 1000 × (8.28 × 11 + 8 × 10) / 36 500 = 4.6871…
    assert across.total == D("4.69")
    # a rate above every floor applies as agreed, even below ECB + 10
    assert rates.rate_for(date(2025, 9, 1), SPEC_TABLE, D("8.28")) == D("8.28")
    assert rates.floor_violations(D("8.28"), SPEC_TABLE) == []


def test_days_late_counted_from_the_day_after_the_due_date():
    due = date(2026, 1, 31)
    assert penalties.days_late(due, date(2026, 1, 30)) == -1
    assert penalties.days_late(due, due) == 0
    assert penalties.days_late(due, date(2026, 2, 1)) == 1
    on_due_date = compute_penalty(D(1000), due, due, SPEC_TABLE)
    assert on_due_date.total == 0 and on_due_date.segments == ()
    one_day = compute_penalty(D("1000.00"), due, date(2026, 2, 1), SPEC_TABLE)
    # 1000 × 12.15 % / 365 = 0.3328…
    assert (one_day.days, one_day.total) == (1, D("0.33"))


def test_penalty_split_at_1_january_2026():
    """1 200.00 due 2025-12-01, on 2026-02-15: 30 days in H2 2025, 46 in H1 2026."""
    penalty = compute_penalty(
        D("1200.00"), date(2025, 12, 1), date(2026, 2, 15), SPEC_TABLE
    )
    assert penalty.days == 76
    first, second = penalty.segments
    assert (first.date_from, first.date_to, first.days) == (
        date(2025, 12, 2),
        date(2025, 12, 31),
        30,
    )
    assert (second.date_from, second.date_to, second.days) == (
        date(2026, 1, 1),
        date(2026, 2, 15),
        46,
    )
    # 1200 × 12.15 % × 76 / 365 = 30.3583… ; 30 days: 11.9835… → 11.98
    assert penalty.total == D("30.36")
    assert first.amount == D("11.98")
    assert second.amount == D("18.38")  # cumulative rounding: parts add up


def test_penalty_split_at_1_july_2025_with_each_half_rate():
    """1 000.00 due 2025-06-20: 10 days at 13.15 % then 10 days at 12.15 %."""
    table = [H1_2025, *SPEC_TABLE]
    penalty = compute_penalty(D("1000.00"), date(2025, 6, 20), date(2025, 7, 10), table)
    first, second = penalty.segments
    assert (first.year, first.half, first.days, first.rate) == (2025, 1, 10, D("13.15"))
    assert (second.year, second.half, second.days, second.rate) == (
        2025,
        2,
        10,
        D("12.15"),
    )
    # 1000 × (13.15 × 10 + 12.15 × 10) / 36 500 = 6.9315…; 3.6027… → 3.60
    assert penalty.total == D("6.93")
    assert (first.amount, second.amount) == (D("3.60"), D("3.33"))


def test_penalty_across_both_boundaries():
    table = [H1_2025, *SPEC_TABLE]
    penalty = compute_penalty(D("1000.00"), date(2025, 6, 20), date(2026, 1, 10), table)
    assert [s.days for s in penalty.segments] == [10, 184, 10]
    # 1000 × (13.15 × 10 + 12.15 × 194) / 36 500 = 68.1808…
    assert penalty.total == D("68.18")
    assert sum(s.amount for s in penalty.segments) == penalty.total


def test_penalty_of_a_half_year_without_figures_waits():
    penalty = compute_penalty(D(1000), date(2025, 6, 20), date(2025, 7, 10), SPEC_TABLE)
    missing, known = penalty.segments
    assert (missing.year, missing.half, missing.rate, missing.amount) == (
        2025,
        1,
        None,
        D(0),
    )
    assert missing.status == "missing" and penalty.missing_segments == (missing,)
    # 1000 × 12.15 % × 10 / 365 = 3.3287…
    assert known.amount == penalty.total == D("3.33")
    with pytest.raises(MissingRateError, match="H1 2025"):
        rates.rate_for(date(2025, 6, 21), SPEC_TABLE)


def test_penalty_rounds_to_the_currency_decimals():
    penalty = compute_penalty(
        D(100000), date(2026, 1, 10), date(2026, 2, 9), SPEC_TABLE, digits=0
    )
    # 100 000 × 12.15 % × 30 / 365 = 998.63…
    assert penalty.total == D(999)


@settings(max_examples=150, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=10**9),
    due=st.dates(date(2025, 6, 30), date(2026, 6, 29)),
    late=st.integers(min_value=-30, max_value=400),
)
def test_penalty_is_the_prorated_annual_rate(cents, due, late):
    base = D(cents) / 100
    on_date = min(due + timedelta(days=late), date(2026, 6, 30))
    penalty = compute_penalty(base, due, on_date, SPEC_TABLE)
    days = max((on_date - due).days, 0)
    expected = (base * D("12.15") * days / 36500).quantize(
        D("0.01"), rounding=ROUND_HALF_UP
    )
    assert penalty.days == days
    assert penalty.total == expected
    assert sum(s.days for s in penalty.segments) == days
    assert sum((s.amount for s in penalty.segments), D(0)) == penalty.total
    assert all(s.date_from <= s.date_to for s in penalty.segments)


FLOOR_TABLE = [H1_2025, *SPEC_TABLE]  # floors 11.13, 8.28 and 7.86 %


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=10**9),
    due=st.dates(date(2024, 12, 31), date(2026, 6, 29)),
    late=st.integers(min_value=-30, max_value=600),
    agreed=st.decimals(min_value=D("0.01"), max_value=D(20), places=2),
)
def test_contractual_penalty_never_below_the_floor_of_each_half_year(
    cents, due, late, agreed
):
    """Each late day is charged max(agreed rate, 3 × legal rate of its
    half-year); a half-year without figures keeps the agreed rate."""
    base = D(cents) / 100
    on_date = due + timedelta(days=late)
    penalty = compute_penalty(base, due, on_date, FLOOR_TABLE, agreed)
    floors = {row.key: row.floor_rate for row in FLOOR_TABLE}
    exact = D(0)
    day = due + timedelta(days=1)
    while day <= on_date:
        floor = floors.get(rates.half_year_of(day))
        exact += base * (agreed if floor is None else max(agreed, floor))
        day += timedelta(days=1)
    assert penalty.total == (exact / 36500).quantize(D("0.01"), ROUND_HALF_UP)
    for segment in penalty.segments:
        floor = floors.get((segment.year, segment.half))
        if floor is None:
            assert (segment.rate, segment.status) == (agreed, "unchecked")
        elif agreed < floor:
            assert (segment.rate, segment.status) == (floor, "floor")
            assert segment.contractual_rate == agreed
        else:
            assert (segment.rate, segment.status) == (agreed, "ok")
    assert sum((s.amount for s in penalty.segments), D(0)) == penalty.total


# ----------------------------------------------------------------------
# Indemnity and currencies
# ----------------------------------------------------------------------


def test_indemnity_is_40_euros_converted_for_other_currencies():
    assert penalties.indemnity_amount("EUR") == D("40.00")
    currencies = money.CurrencyTable(
        "EUR", rates={"USD": D("1.1"), "JPY": D(162)}, digits={"JPY": 0}
    )
    assert penalties.indemnity_amount("USD", currencies) == D("44.00")
    assert penalties.indemnity_amount("JPY", currencies) == D(6480)
    with pytest.raises(CurrencyRateError, match="GBP and the company currency EUR"):
        penalties.indemnity_amount("GBP", currencies)


def test_indemnity_for_a_company_not_in_euros():
    currencies = money.CurrencyTable("USD", rates={"EUR": D("0.8")})
    assert penalties.indemnity_amount("USD", currencies) == D("50.00")


def test_currency_table_checks():
    with pytest.raises(CurrencyRateError, match="must be positive"):
        money.CurrencyTable(rates={"USD": 0})
    with pytest.raises(InvalidSettingsError, match="0 to 6 decimals"):
        money.CurrencyTable(digits={"USD": -1})
    # zero needs no rate
    assert money.CurrencyTable().convert(0, "EUR", "XYZ") == D("0.00")


@settings(max_examples=200, deadline=None)
@given(
    due=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    late=st.integers(-5, 800),
    policy=st.sampled_from(["legal_default", D(9), D(12)]),
)
def test_late_periods_cut_the_late_days_at_each_half_year(due, late, policy):
    """Whatever the dates and the table's gaps, the segments follow each other
    day after day, each inside the half-year of the applied rate passed in."""
    on_date = due + timedelta(days=late)
    rate_of = functools.partial(
        rates.applied_rate,
        table=rates.as_table([H1_2025, *SPEC_TABLE]),
        policy=rates.as_policy(policy),
    )
    periods = penalties.late_periods(due, on_date, rate_of)
    assert sum((end - start).days + 1 for _a, start, end in periods) == max(late, 0)
    expected_start = due + timedelta(days=1)
    for applied, start, end in periods:
        assert start == expected_start
        assert applied.date_start <= start <= end <= applied.date_end
        assert (applied.year, applied.half) == rates.half_year_of(start)
        expected_start = end + timedelta(days=1)
