"""Price revision dates: the anniversary due and the first revised period."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from recurring_billing_tools import recurrence as rec
from recurring_billing_tools import revision

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@given(start=days, gap=st.integers(min_value=-400, max_value=40 * 366))
def test_next_anniversary_is_the_first_after(start, gap):
    after = start + timedelta(days=gap)
    anniversary = revision.next_anniversary(start, after)
    assert anniversary > after
    # it is an anniversary: same month, same day (28 Feb for a 29 Feb start)
    years = anniversary.year - start.year
    assert years >= 1
    assert anniversary == rec.add_months(start, 12 * years)
    # and the first one: the previous anniversary is not after ``after``
    if years > 1:
        assert rec.add_months(start, 12 * (years - 1)) <= after


def test_leap_day_anniversaries():
    assert revision.next_anniversary(date(2024, 2, 29), date(2024, 2, 29)) == date(
        2025, 2, 28
    )
    assert revision.next_anniversary(date(2024, 2, 29), date(2027, 3, 1)) == date(
        2028, 2, 29
    )


@given(
    anchor=days,
    revision_day=days,
    unit=st.sampled_from(["day", "week", "month", "quarter", "semester", "year"]),
    interval=st.integers(min_value=1, max_value=3),
    month_end=st.booleans(),
)
def test_effective_date_is_the_first_period_start_on_or_after(
    anchor, revision_day, unit, interval, month_end
):
    month_end = month_end and unit not in ("day", "week")
    if month_end:
        anchor = rec.add_months(anchor, 0, month_end=True)
    effective = revision.effective_date(anchor, revision_day, unit, interval, month_end)
    assert effective >= revision_day
    n = rec.period_index(anchor, effective, unit, interval, month_end)
    assert rec.boundary(anchor, n, unit, interval, month_end) == effective
    assert rec.boundary(anchor, n - 1, unit, interval, month_end) < revision_day


def test_effective_date_examples():
    # monthly on the 1st, anniversary on the 15th: from the 1st of next month
    assert revision.effective_date(
        date(2026, 1, 1), date(2027, 1, 15), "month"
    ) == date(2027, 2, 1)
    # an anniversary on a period start takes effect that day
    assert revision.effective_date(date(2026, 1, 1), date(2027, 1, 1), "month") == date(
        2027, 1, 1
    )
