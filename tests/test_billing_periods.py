"""recurring_billing/tools/recurrence.py: periods, proration, due charges."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from recurring_billing_tools import recurrence as rec
from recurring_billing_tools.exceptions import RecurrenceError, RevisionError
from recurring_billing_tools.recurrence import Recurrence

UNITS = ["day", "week", "month", "quarter", "semester", "year"]
WINDOW_START = date(2024, 1, 1)  # 2024 is a leap year
WINDOW_DAYS = [WINDOW_START + timedelta(days=i) for i in range(4 * 365 + 1)]
D = date.fromisoformat


# ----------------------------------------------------------------------
# Exhaustive properties over a 4-year window
# ----------------------------------------------------------------------


@pytest.mark.parametrize("unit", UNITS)
def test_periods_are_contiguous_and_anchor_true(unit):
    """Every start day of 2024–2027, intervals 1–12, six periods each."""
    for interval in range(1, 13):
        for anchor in WINDOW_DAYS:
            previous_end = anchor - timedelta(days=1)
            for n in range(6):
                start, end = rec.period_bounds(anchor, n, unit, interval)
                assert start == previous_end + timedelta(days=1)
                assert start <= end
                previous_end = end
                if unit in rec.MONTH_UNITS:
                    months = rec.MONTH_UNITS[unit] * interval * n
                    # computed from the anchor, never from the previous period
                    assert start == rec.add_months(anchor, months)
                    last = rec.last_day_of_month(start.year, start.month)
                    assert start.day == min(anchor.day, last)
                else:
                    step = rec.DAY_UNITS[unit] * interval
                    assert (start - anchor).days == n * step


@pytest.mark.parametrize("unit", ["month", "quarter", "semester", "year"])
def test_period_count_equals_calendar_arithmetic(unit):
    for interval in (1, 2, 5, 12):
        months = rec.MONTH_UNITS[unit] * interval
        for anchor in WINDOW_DAYS[::7]:
            for n in (0, 1, 7, 30):
                start = rec.boundary(anchor, n, unit, interval)
                # the period index of a boundary is its number of whole periods
                assert rec.period_index(anchor, start, unit, interval) == n
                assert (
                    rec.period_index(anchor, start - timedelta(days=1), unit, interval)
                    == n - 1
                )
                assert (start.year - anchor.year) * 12 + (
                    start.month - anchor.month
                ) == n * months


@pytest.mark.parametrize("unit", UNITS)
def test_split_period_factors_sum_to_one(unit):
    anchor = D("2024-01-31")
    for n in range(14):
        start, end = rec.period_bounds(anchor, n, unit)
        day = start
        while day < end:
            left = rec.range_factor("actual_days", start, day, start, end, unit)
            right = rec.range_factor(
                "actual_days", day + timedelta(days=1), end, start, end, unit
            )
            assert left + right == 1
            day += timedelta(days=1)


@given(
    anchor=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    unit=st.sampled_from(UNITS),
    interval=st.integers(1, 12),
    offset=st.integers(0, 400),
)
@settings(max_examples=300, deadline=None)
def test_period_index_finds_the_period_holding_a_day(anchor, unit, interval, offset):
    day = anchor + timedelta(days=offset)
    n = rec.period_index(anchor, day, unit, interval)
    start, end = rec.period_bounds(anchor, n, unit, interval)
    assert start <= day <= end


@given(
    start=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    unit=st.sampled_from(UNITS),
    mode=st.sampled_from(["calendar", "anniversary"]),
    invoicing=st.sampled_from(["prepaid", "postpaid"]),
    method=st.sampled_from(rec.METHODS),
    horizon=st.integers(0, 800),
)
@settings(max_examples=200, deadline=None)
def test_second_run_bills_nothing(start, unit, mode, invoicing, method, horizon):
    recurrence = Recurrence(unit=unit, mode=mode, invoicing=invoicing)
    if unit in ("day", "week") and method == "30_360":
        method = "actual_days"
    anchor = recurrence.anchor_for(start)
    up_to = start + timedelta(days=horizon)
    first = rec.due_charges(recurrence, anchor, start, up_to=up_to, method=method)
    starts = [c.period_start for c in first]
    assert starts == sorted(set(starts))
    for before, after in zip(first, first[1:], strict=False):
        assert before.period_end + timedelta(days=1) == after.period_start
    assert all(c.scheduled_date <= up_to for c in first)
    again = rec.due_charges(
        recurrence, anchor, start, billed_starts=starts, up_to=up_to, method=method
    )
    assert again == []


# ----------------------------------------------------------------------
# The edge-case table of recurrence.md §10
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "anchor, unit, month_end, expected",
    [
        (
            "2026-01-31",
            "month",
            False,
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"],
        ),
        ("2028-01-31", "month", False, ["2028-01-31", "2028-02-29", "2028-03-31"]),
        ("2026-01-30", "month", False, ["2026-01-30", "2026-02-28", "2026-03-30"]),
        ("2026-02-28", "month", False, ["2026-02-28", "2026-03-28", "2026-04-28"]),
        ("2026-02-28", "month", True, ["2026-02-28", "2026-03-31", "2026-04-30"]),
        (
            "2024-02-29",
            "year",
            False,
            ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"],
        ),
        (
            "2025-11-30",
            "quarter",
            False,
            ["2025-11-30", "2026-02-28", "2026-05-30", "2026-08-30"],
        ),
    ],
)
def test_boundaries(anchor, unit, month_end, expected):
    boundaries = [
        str(rec.boundary(D(anchor), n, unit, month_end=month_end))
        for n in range(len(expected))
    ]
    assert boundaries == expected


def test_first_period_of_a_month_end_anchor():
    assert rec.period_bounds(D("2026-01-31"), 0, "month") == (
        D("2026-01-31"),
        D("2026-02-27"),
    )


@pytest.mark.parametrize(
    "start, unit, method, expected",
    [
        ("2026-01-15", "month", "actual_days", (17, 31)),
        ("2026-01-15", "month", "30_360", (16, 30)),
        ("2026-01-15", "month", "none", (1, 1)),
        ("2026-02-15", "month", "actual_days", (14, 28)),
        ("2026-02-15", "month", "30_360", (16, 30)),
        ("2026-02-10", "quarter", "actual_days", (50, 90)),
        ("2026-02-10", "quarter", "30_360", (51, 90)),
    ],
)
def test_calendar_first_period_proration(start, unit, method, expected):
    recurrence = Recurrence(unit=unit, mode="calendar")
    anchor = recurrence.anchor_for(D(start))
    (charge,) = rec.due_charges(recurrence, anchor, D(start), limit=1, method=method)
    assert charge.billed_start == D(start)
    assert (charge.numerator, charge.denominator) == expected


def test_prorated_amounts_of_the_table():
    assert round(100 * Fraction(17, 31), 2) == Fraction(5484, 100)
    factor = rec.range_factor(
        "actual_days",
        D("2026-01-15"),
        D("2026-01-31"),
        D("2026-01-01"),
        D("2026-01-31"),
    )
    assert round(float(100 * factor), 2) == 54.84


def test_march_schedules():
    march = (D("2026-03-01"), D("2026-03-31"))
    assert Recurrence(invoicing="prepaid").scheduled_date(*march) == D("2026-03-01")
    assert Recurrence(invoicing="postpaid").scheduled_date(*march) == D("2026-03-31")
    assert Recurrence(invoicing="postpaid", postpaid_next_day=True).scheduled_date(
        *march
    ) == D("2026-04-01")


def test_prepaid_backlog():
    recurrence = Recurrence(unit="month")
    charges = rec.due_charges(
        recurrence, D("2026-01-01"), D("2026-01-01"), up_to=D("2026-04-10")
    )
    assert [str(c.period_start) for c in charges] == [
        "2026-01-01",
        "2026-02-01",
        "2026-03-01",
        "2026-04-01",
    ]
    assert all(c.factor == 1 for c in charges)


def test_end_date_inside_a_period():
    recurrence = Recurrence(unit="month")
    charges = rec.due_charges(
        recurrence, D("2026-05-01"), D("2026-05-01"), line_end=D("2026-06-15")
    )
    assert [(c.billed_start, c.billed_end) for c in charges] == [
        (D("2026-05-01"), D("2026-05-31")),
        (D("2026-06-01"), D("2026-06-15")),
    ]
    assert charges[-1].factor == Fraction(15, 30)


@pytest.mark.parametrize(
    "method, expected", [("actual_days", "67.74"), ("30_360", "66.67"), ("none", "100")]
)
def test_termination_credit(method, expected):
    factor = rec.range_factor(
        method, D("2026-03-11"), D("2026-03-31"), D("2026-03-01"), D("2026-03-31")
    )
    if method == "none":
        # `none`: the whole period is priced, so nothing is credited; the model
        # layer skips it; the factor of the range alone is the full price
        assert factor == 1
    else:
        assert f"{float(100 * factor):.2f}" == expected


def test_postpaid_termination_final_line():
    factor = rec.range_factor(
        "actual_days",
        D("2026-03-01"),
        D("2026-03-10"),
        D("2026-03-01"),
        D("2026-03-31"),
    )
    assert f"{float(100 * factor):.2f}" == "32.26"


def test_pause_and_resume():
    """Prepaid, pause Mar 10, resume Apr 20: credit 22/31, April 11/30, May full."""
    credit = rec.range_factor(
        "actual_days",
        D("2026-03-10"),
        D("2026-03-31"),
        D("2026-03-01"),
        D("2026-03-31"),
    )
    assert f"{float(100 * credit):.2f}" == "70.97"
    recurrence = Recurrence(unit="month")
    charges = rec.due_charges(
        recurrence,
        D("2026-03-01"),
        D("2026-03-01"),
        pauses=[(D("2026-03-10"), D("2026-04-20"))],
        billed_starts=[D("2026-03-01")],
        up_to=D("2026-05-01"),
    )
    april, may = charges
    assert (april.billed_start, april.billed_end) == (D("2026-04-20"), D("2026-04-30"))
    assert f"{float(100 * april.factor):.2f}" == "36.67"
    assert april.scheduled_date == D("2026-04-20")
    assert may.factor == 1


def test_open_pause_stops_billing():
    recurrence = Recurrence(unit="month")
    charges = rec.due_charges(
        recurrence,
        D("2026-01-01"),
        D("2026-01-01"),
        pauses=[(D("2026-02-01"), None)],
        up_to=D("2027-01-01"),
    )
    assert [str(c.period_start) for c in charges] == ["2026-01-01"]


def test_bad_settings_are_refused():
    with pytest.raises(RecurrenceError):
        Recurrence(unit="fortnight")
    with pytest.raises(RecurrenceError):
        Recurrence(billing_day=31)
    with pytest.raises(RecurrenceError):
        rec.boundary(D("2026-01-01"), 1, "month", interval=0)
    with pytest.raises(RecurrenceError):
        rec.prorate(
            "weird", D("2026-01-01"), D("2026-01-02"), D("2026-01-01"), D("2026-01-31")
        )
    with pytest.raises(RecurrenceError):
        rec.due_charges(Recurrence(), D("2026-01-01"), D("2026-01-01"))


def test_calendar_anchors():
    assert Recurrence(unit="month", billing_day=15).anchor_for(D("2026-03-10")) == D(
        "2026-02-15"
    )
    assert Recurrence(unit="month", billing_day="last").anchor_for(
        D("2026-03-10")
    ) == D("2026-02-28")
    assert Recurrence(unit="semester").anchor_for(D("2026-09-10")) == D("2026-07-01")
    assert Recurrence(unit="year").anchor_for(D("2026-09-10")) == D("2026-01-01")
    assert Recurrence(unit="month", mode="anniversary").anchor_for(
        D("2026-09-10")
    ) == D("2026-09-10")


# ----------------------------------------------------------------------
# Price revision (recurrence.md §9)
# ----------------------------------------------------------------------


def test_percentage_revision():
    from recurring_billing_tools import revision

    ratio = revision.revision_ratio("percentage", percentage=2.5)
    assert str(revision.revised_price("1030.00", ratio)) == "1055.75"


@pytest.mark.parametrize(
    "new_value, cap, floor, expected",
    [
        ("262.5", None, None, "1050.00"),
        ("262.5", 3, None, "1030.00"),
        ("245", None, 0, "1000.00"),
        ("245", None, None, "980.00"),
    ],
)
def test_index_revision(new_value, cap, floor, expected):
    from recurring_billing_tools import revision

    ratio = revision.revision_ratio(
        "index", base_value="250", new_value=new_value, cap=cap, floor=floor
    )
    assert str(revision.revised_price("1000.00", ratio)) == expected


def test_revision_errors_and_latest_value():
    from recurring_billing_tools import revision

    with pytest.raises(RevisionError):
        revision.revision_ratio("index", base_value=0, new_value=1)
    with pytest.raises(RevisionError):
        revision.revision_ratio("percentage", percentage=1, cap=1, floor=2)
    values = [
        (D("2026-01-15"), "250"),
        (D("2026-04-15"), "255"),
        (D("2026-07-15"), "260"),
    ]
    assert revision.latest_value(values, D("2026-05-01")) == (D("2026-04-15"), "255")
    assert revision.latest_value(values, D("2025-12-31")) is None
