"""Proration parts add up (recurrence.md §5, issue #12.6) and amounts are
rounded once (issue #13.4)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recurring_billing_tools import amounts
from recurring_billing_tools import recurrence as rec
from recurring_billing_tools.recurrence import Recurrence

D = date.fromisoformat
ONE_DAY = timedelta(days=1)
WINDOW_START = date(2024, 1, 1)  # 2024 is a leap year
ANCHORS = [WINDOW_START + timedelta(days=i) for i in range(4 * 365 + 1)]
MONTH_UNIT_INTERVALS = [
    (unit, interval) for unit in rec.MONTH_UNITS for interval in (1, 2, 3)
]


def is_free_30e_day(day):
    """The one day 30E/360 gives no length: the 30th of a 31-day month (the
    31st carries the day the two count as together)."""
    return day.day == 30 and (day + ONE_DAY).day == 31


def credited(method, start, end, period_start, period_end, unit):
    return rec.credited_share(
        method, period_start, period_end, start, end, period_start, period_end, unit
    )


@pytest.mark.parametrize(
    "unit, interval, month_end",
    [(unit, interval, False) for unit, interval in MONTH_UNIT_INTERVALS]
    + [("month", interval, True) for interval in (1, 2, 3)],
)
def test_parts_of_a_period_add_up_whatever_the_anchor(unit, interval, month_end):
    """Every anchor day of 2024–2027, every split day of its first period,
    both prorating methods: the two parts are counted over the same length and
    their numerators add up to it (factors summing to exactly 1); a part is
    priced at zero only when 30E/360 gives it no length."""
    for anchor in ANCHORS:
        start, end = rec.period_bounds(anchor, 0, unit, interval, month_end)
        split = start + ONE_DAY
        while split <= end:
            for method in ("actual_days", "30_360"):
                left = rec.prorate(method, start, split - ONE_DAY, start, end, unit)
                right = rec.prorate(method, split, end, start, end, unit)
                assert left.denominator == right.denominator > 0
                assert left.numerator + right.numerator == left.denominator
                if not left.numerator:
                    assert method == "30_360" and is_free_30e_day(start)
                    assert split == start + ONE_DAY
                if not right.numerator:
                    assert method == "30_360" and is_free_30e_day(split)
                    assert split == end
            split += ONE_DAY


@given(
    anchor=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    unit_interval=st.sampled_from(MONTH_UNIT_INTERVALS),
    method=st.sampled_from(rec.METHODS),
    data=st.data(),
)
@settings(max_examples=500, deadline=None)
def test_kept_and_credited_parts_add_up(anchor, unit_interval, method, data):
    """Whatever the method, the part kept billed and the part credited of a
    fully billed period sum to exactly Fraction(1) (``none``: the kept part
    is billed in full and nothing is credited)."""
    unit, interval = unit_interval
    start, end = rec.period_bounds(anchor, 0, unit, interval)
    split = start + timedelta(days=data.draw(st.integers(1, (end - start).days)))
    kept = rec.range_factor(method, start, split - ONE_DAY, start, end, unit)
    assert kept + credited(method, split, end, start, end, unit) == Fraction(1)
    assert kept > 0 or (method == "30_360" and is_free_30e_day(start))
    assert credited(method, start, end, start, end, unit) == Fraction(1)


def test_the_quarter_of_the_issue_adds_up():
    """Quarter Feb 28–May 29 2026 (anchor Nov 30, next boundary May 30) split
    on May 17: it billed 46/45 of the price with the denominator 30 × 3."""
    start, end = rec.period_bounds(D("2025-11-30"), 1, "quarter")
    assert (start, end) == (D("2026-02-28"), D("2026-05-29"))
    left = rec.prorate("30_360", start, D("2026-05-16"), start, end, "quarter")
    right = rec.prorate("30_360", D("2026-05-17"), end, start, end, "quarter")
    # d30(Feb 28, May 17) = 79, d30(May 17, May 30) = 13, d30(Feb 28, May 30)
    assert (left.numerator, right.numerator, left.denominator) == (79, 13, 92)
    assert left.factor + right.factor == 1


@pytest.mark.parametrize("method", rec.METHODS)
def test_every_single_billed_day_has_a_price_or_no_line(method):
    """A contract billed for one day only, any day of 2024–2027, monthly
    calendar and anniversary rules: a charge with a positive factor, or (30E/360
    only, for the 30th of a 31-day month) no charge at all."""
    for mode in ("calendar", "anniversary"):
        recurrence = Recurrence(unit="month", mode=mode)
        anchor = recurrence.anchor_for(D("2023-12-31"))
        for day in ANCHORS:
            charges = rec.due_charges(
                recurrence, anchor, day, line_end=day, method=method
            )
            if charges:
                (charge,) = charges
                assert charge.factor > 0
                assert (charge.billed_start, charge.billed_end) == (day, day)
            else:
                assert method == "30_360" and is_free_30e_day(day)


@given(
    anchor=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    unit_interval=st.sampled_from(MONTH_UNIT_INTERVALS),
    method=st.sampled_from(["actual_days", "30_360"]),
    data=st.data(),
)
@settings(max_examples=300, deadline=None)
def test_a_pause_inside_a_period_bills_the_rest(anchor, unit_interval, method, data):
    """The engine's charge for a period with a pause inside it plus the share
    of the paused days is exactly the whole period."""
    unit, interval = unit_interval
    recurrence = Recurrence(unit=unit, interval=interval, mode="anniversary")
    start, end = rec.period_bounds(anchor, 0, unit, interval)
    length = (end - start).days
    first = data.draw(st.integers(1, length))
    last = data.draw(st.integers(first, length))
    pause_start = start + timedelta(days=first)
    resume = start + timedelta(days=last) + ONE_DAY
    charge = rec.charge_for_period(
        recurrence, anchor, 0, method, anchor, pauses=[(pause_start, resume)]
    )
    paused = rec.range_factor(
        method, pause_start, resume - ONE_DAY, start, end, unit, interval
    )
    billed = charge.factor if charge else Fraction(0)
    assert billed + paused == 1
    assert charge is None or charge.factor > 0


@pytest.mark.parametrize(
    "start, method, expected",
    [
        # recurrence.md §10: the calendar values all still hold
        ("2026-01-15", "30_360", (16, 30)),
        ("2026-02-15", "30_360", (16, 30)),
        ("2026-03-11", "30_360", (20, 30)),
    ],
)
def test_calendar_values_of_the_table_still_hold(start, method, expected):
    day = D(start)
    period_start = day.replace(day=1)
    period_end = rec.period_bounds(period_start, 0, "month")[1]
    proration = rec.prorate(method, day, period_end, period_start, period_end)
    assert (proration.numerator, proration.denominator) == expected


# ----------------------------------------------------------------------
# Amounts: one rounding per figure (issue #13.4)
# ----------------------------------------------------------------------

prices = st.decimals(Decimal("0.01"), Decimal("100000"), places=2)
quantities = st.decimals(Decimal("0.001"), Decimal("1000"), places=3)
discounts = st.decimals(Decimal("0"), Decimal("100"), places=2)
factors = st.fractions(Fraction(0), Fraction(1), max_denominator=1200)


def reference_half_up(value, places):
    """Independent rounding: Decimal's ROUND_HALF_UP on the exact value."""
    context = Context(prec=60)
    exact = context.divide(Decimal(value.numerator), Decimal(value.denominator))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@given(price=prices, factor=factors, quantity=quantities, discount=discounts)
@settings(max_examples=500, deadline=None)
def test_amount_is_quantity_times_the_rounded_prorated_price(
    price, factor, quantity, discount
):
    unit = amounts.prorated_unit_price(price, factor, 2)
    assert unit == reference_half_up(Fraction(price) * factor, 2)
    assert Decimal(0) <= unit <= price
    subtotal = amounts.line_subtotal(quantity, unit, discount, 2)
    exact = Fraction(quantity) * Fraction(unit) * (1 - Fraction(discount) / 100)
    assert subtotal == reference_half_up(exact, 2)
    # the same figure whoever asks: a float price and quantity, as Odoo
    # stores them, give the same result
    assert amounts.line_subtotal(float(quantity), float(unit), float(discount), 2) == (
        subtotal
    )


@given(price=prices, data=st.data())
@settings(max_examples=300, deadline=None)
def test_credit_and_kept_part_add_up_to_what_was_billed(price, data):
    denominator = data.draw(st.integers(28, 1100))
    billed = Fraction(data.draw(st.integers(1, denominator)), denominator)
    credited_part = Fraction(data.draw(st.integers(0, billed.numerator)), 1) * (
        Fraction(1, billed.denominator)
    )
    billed_price = amounts.prorated_unit_price(price, billed, 2)
    credit = amounts.credit_unit_price(price, billed, billed - credited_part, 2)
    kept = amounts.prorated_unit_price(price, billed - credited_part, 2)
    assert credit + kept == billed_price
    assert Decimal(0) <= credit <= billed_price


@given(
    anchor=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    unit_interval=st.sampled_from(MONTH_UNIT_INTERVALS),
    method=st.sampled_from(rec.METHODS),
    price=prices,
    data=st.data(),
)
@settings(max_examples=400, deadline=None)
def test_successive_credits_add_up(anchor, unit_interval, method, price, data):
    """A period billed in full, then credited twice (a pause, then a
    termination that may overlap it): the credits and the price of the days
    kept add up to the billed price, to the cent; no day is credited twice."""
    unit, interval = unit_interval
    start, end = rec.period_bounds(anchor, 0, unit, interval)
    length = (end - start).days

    def day(offset):
        return start + timedelta(days=offset)

    first = sorted(data.draw(st.lists(st.integers(0, length), min_size=2, max_size=2)))
    termination = data.draw(st.integers(0, length))
    credited, credits = [], Decimal(0)
    for credit_start, credit_end in (
        (day(first[0]), day(first[1])),
        (day(termination), None),
    ):
        pieces = rec.credit_pieces(
            method,
            Fraction(1),
            [(start, end)],
            credited,
            credit_start,
            credit_end,
            start,
            end,
            unit,
        )
        for piece_start, piece_end, before, after in pieces:
            assert all(piece_end < s or piece_start > e for s, e in credited), (
                "a day credited twice"
            )
            credits += amounts.credit_unit_price(price, before, after, 2)
            credited.append((piece_start, piece_end))
    kept_ranges = rec.subtract_ranges([(start, end)], credited)
    if method == "none":
        kept = Fraction(1) if kept_ranges else Fraction(0)
    else:
        kept = sum(
            (rec.range_factor(method, s, e, start, end, unit) for s, e in kept_ranges),
            Fraction(0),
        )
    assert credits + amounts.prorated_unit_price(price, kept, 2) == price


def test_the_cent_of_the_issue():
    """131.61 in the ledger, 131.62 on the invoice: the ledger multiplied the
    unrounded prorated price. Now both are 3 × round(price × factor)."""
    unit = amounts.prorated_unit_price(Decimal("77.40"), Fraction(17, 30), 2)
    assert unit == Decimal("43.86")
    assert amounts.line_subtotal(3, unit, 0, 2) == Decimal("131.58")
    assert amounts.round_half_up(Fraction(-1, 200), 2) == Decimal("-0.01")
