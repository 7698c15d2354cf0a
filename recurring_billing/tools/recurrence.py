"""Anchor-true billing periods, proration and due charges (readme/CONFIGURE.md).

Every boundary is computed from the anchor and the period index, never from
the previous period: B(n) = A + n·M months, the day clamped to the month's
last day (or always the month's last day with the month-end option); for day
and week units B(n) = A + n·D days. Period n runs from B(n) to B(n+1) − 1.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from .exceptions import RecurrenceError

MONTH_UNITS = {"month": 1, "quarter": 3, "semester": 6, "year": 12}
DAY_UNITS = {"day": 1, "week": 7}
METHODS = ("actual_days", "30_360", "none")
# safety net for loops over periods: more than 400 years of months
MAX_PERIODS = 5000


def last_day_of_month(year, month):
    return calendar.monthrange(year, month)[1]


def add_months(start, months, month_end=False):
    """``start`` moved by ``months``, the day clamped to the target month."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = last_day_of_month(year, month)
    return date(year, month, last if month_end else min(start.day, last))


def _check(unit, interval):
    if unit not in MONTH_UNITS and unit not in DAY_UNITS:
        raise RecurrenceError(f"Unknown recurrence unit {unit!r}.")
    if not isinstance(interval, int) or interval < 1:
        raise RecurrenceError(
            f"The interval must be a positive integer, not {interval!r}."
        )


def boundary(anchor, n, unit, interval=1, month_end=False):
    """B(n): the start of period ``n`` (``n`` may be negative)."""
    _check(unit, interval)
    if unit in DAY_UNITS:
        return anchor + timedelta(days=n * DAY_UNITS[unit] * interval)
    return add_months(anchor, n * MONTH_UNITS[unit] * interval, month_end)


def period_index(anchor, day, unit, interval=1, month_end=False):
    """The index n of the period holding ``day``: B(n) <= day < B(n+1)."""
    _check(unit, interval)
    if unit in DAY_UNITS:
        return (day - anchor).days // (DAY_UNITS[unit] * interval)
    months = MONTH_UNITS[unit] * interval
    n = ((day.year - anchor.year) * 12 + day.month - anchor.month) // months
    while boundary(anchor, n, unit, interval, month_end) > day:
        n -= 1
    while boundary(anchor, n + 1, unit, interval, month_end) <= day:
        n += 1
    return n


def period_bounds(anchor, n, unit, interval=1, month_end=False):
    """(start, end) of period ``n``, both inclusive."""
    start = boundary(anchor, n, unit, interval, month_end)
    following = boundary(anchor, n + 1, unit, interval, month_end)
    return start, following - timedelta(days=1)


# ----------------------------------------------------------------------
# Proration
# ----------------------------------------------------------------------


def days_30e_360(start, end):
    """30E/360 day count from ``start`` to ``end`` (end excluded)."""
    return (
        360 * (end.year - start.year)
        + 30 * (end.month - start.month)
        + min(end.day, 30)
        - min(start.day, 30)
    )


@dataclass(frozen=True)
class Proration:
    """The priced share of a period: ``factor = numerator / denominator``.

    The denominator is the length of the whole period in the method's unit
    (days, or 30E/360 days), so the numerators of the parts of one period
    add up to it.
    """

    method: str
    numerator: int
    denominator: int

    @property
    def factor(self):
        if not self.denominator:
            return Fraction(0)
        return Fraction(self.numerator, self.denominator)


def period_length(method, period_start, period_end, unit="month"):
    """Length of the period [period_start, period_end] in the unit of
    ``method``: 30E/360 days for ``30_360`` on monthly-type units, actual days
    otherwise. Always positive."""
    if method == "30_360" and unit in MONTH_UNITS:
        return days_30e_360(period_start, period_end + timedelta(days=1))
    return (period_end - period_start).days + 1


def prorate(method, start, end, period_start, period_end, unit="month", interval=1):
    """Share of the period [period_start, period_end] billed for [start, end].

    ``actual_days``: days billed / days in the period. ``30_360``: 30E/360
    days of the range, d30(start, end + 1), over the 30E/360 length of the
    period itself, d30(period_start, period_end + 1) (month-type units only;
    day and week units fall back to actual days). Both are additive: the parts
    of a period split at any day add up to exactly 1. Under 30E/360 the 30th
    and the 31st of a 31-day month count as one day together (carried by the
    31st), so a range made only of such a 30th has length 0: it is not billed
    (see :func:`charge_for_period`). ``none``: the full price for any billed
    day. ``interval`` is accepted for symmetry with the other helpers.
    """
    del interval  # the period bounds already say how long the period is
    if method not in METHODS:
        raise RecurrenceError(f"Unknown proration method {method!r}.")
    if not (period_start <= start <= end <= period_end):
        raise RecurrenceError(
            f"{start}–{end} is not inside the period {period_start}–{period_end}."
        )
    if method == "none" or (start, end) == (period_start, period_end):
        return Proration(method, 1, 1)
    if method == "30_360" and unit not in MONTH_UNITS:
        method = "actual_days"
    denominator = period_length(method, period_start, period_end, unit)
    if method == "30_360":
        numerator = days_30e_360(start, end + timedelta(days=1))
    else:
        numerator = (end - start).days + 1
    return Proration(method, numerator, denominator)


def range_factor(
    method, start, end, period_start, period_end, unit="month", interval=1
):
    """Factor of :func:`prorate`, as a Fraction."""
    return prorate(method, start, end, period_start, period_end, unit, interval).factor


def subtract_ranges(ranges, removed):
    """The inclusive date ranges ``ranges`` minus every range of ``removed``
    (an end of None runs forever), in order."""
    result = list(ranges)
    for removed_start, removed_end in removed:
        removed_end = removed_end or date.max
        kept = []
        for start, end in result:
            if removed_end < start or removed_start > end:
                kept.append((start, end))
                continue
            if start < removed_start:
                kept.append((start, removed_start - timedelta(days=1)))
            if removed_end < end:
                kept.append((removed_end + timedelta(days=1), end))
        result = kept
    return result


def credit_pieces(
    method,
    billed_factor,
    billed_ranges,
    credited,
    credit_start,
    credit_end,
    period_start,
    period_end,
    unit="month",
):
    """How a credit of [credit_start, credit_end] splits on a billed period.

    ``billed_factor``: the share the period was billed at; ``billed_ranges``:
    its billed days (a pause known when it was billed is not in them);
    ``credited``: ranges of it already credited, each once. Returns one
    ``(start, end, kept_before, kept_after)`` per contiguous range still to
    credit, where ``kept_*`` is the share of the period left billed before and
    after crediting that range. The credit of a range is priced as the
    difference between the two, so successive credits (a pause, then a
    termination) and the part kept always add up to what was billed.

    ``actual_days`` and ``30_360``: the kept share is the billed share minus
    the shares of the credited days. ``none``: the whole period stays billed
    while one billed day is kept, nothing once none is.
    """
    remaining = subtract_ranges(billed_ranges, credited)
    if method == "none":
        kept = Fraction(1) if remaining else Fraction(0)
    else:
        kept = billed_factor - sum(
            (
                range_factor(
                    method,
                    max(s, period_start),
                    min(e, period_end),
                    period_start,
                    period_end,
                    unit,
                )
                for s, e in credited
                if s <= period_end and e >= period_start
            ),
            Fraction(0),
        )
    to_credit = subtract_ranges(
        remaining,
        [(date.min, credit_start - timedelta(days=1))]
        + ([(credit_end + timedelta(days=1), None)] if credit_end else []),
    )
    pieces = []
    for start, end in to_credit:
        remaining = subtract_ranges(remaining, [(start, end)])
        if method == "none":
            kept_after = Fraction(1) if remaining else Fraction(0)
        else:
            share = range_factor(method, start, end, period_start, period_end, unit)
            kept_after = max(kept - share, Fraction(0))
        pieces.append((start, end, kept, kept_after))
        kept = kept_after
    return pieces


def credited_share(
    method,
    billed_start,
    billed_end,
    credit_start,
    credit_end,
    period_start,
    period_end,
    unit="month",
):
    """Share of a period credited when [credit_start, credit_end] is taken
    back from a period billed in full over [billed_start, billed_end] (see
    :func:`credit_pieces`): the factor of the credited days, or for ``none``
    the whole period only when no billed day is kept."""
    billed = prorate(method, billed_start, billed_end, period_start, period_end, unit)
    pieces = credit_pieces(
        method,
        billed.factor,
        [(billed_start, billed_end)],
        [],
        credit_start,
        credit_end,
        period_start,
        period_end,
        unit,
    )
    return sum((before - after for _s, _e, before, after in pieces), Fraction(0))


# ----------------------------------------------------------------------
# Recurrence settings and due charges
# ----------------------------------------------------------------------


@dataclass(frozen=True)
class Recurrence:
    """A recurrence rule as plain values.

    ``mode``: ``calendar`` (periods start on the billing day of the calendar
    unit: month, quarter from Jan/Apr/Jul/Oct, semester from Jan/Jul, year from
    Jan) or ``anniversary`` (periods start on the anchor date).
    ``billing_day``: 1–28 or ``"last"`` (calendar mode).
    ``invoicing``: ``prepaid`` (scheduled on the first billed day of the period)
    or ``postpaid`` (on the last billed day, or the day after).
    """

    unit: str = "month"
    interval: int = 1
    mode: str = "calendar"
    billing_day: object = 1
    invoicing: str = "prepaid"
    postpaid_next_day: bool = False
    month_end: bool = False

    def __post_init__(self):
        _check(self.unit, self.interval)
        if self.mode not in ("calendar", "anniversary"):
            raise RecurrenceError(f"Unknown billing mode {self.mode!r}.")
        if self.invoicing not in ("prepaid", "postpaid"):
            raise RecurrenceError(f"Unknown invoicing mode {self.invoicing!r}.")
        if self.billing_day != "last" and not (
            isinstance(self.billing_day, int) and 1 <= self.billing_day <= 28
        ):
            raise RecurrenceError(
                f"The billing day must be 1 to 28 or 'last', not {self.billing_day!r}."
            )

    @property
    def sticks_to_month_end(self):
        if self.unit in DAY_UNITS:
            return False
        if self.mode == "calendar":
            return self.billing_day == "last"
        return self.month_end

    def anchor_for(self, start):
        """The anchor of a contract starting on ``start``.

        Anniversary: the start itself. Calendar: the last calendar boundary on
        or before the start (so the first period is partial unless the start
        falls on a boundary).
        """
        if self.mode == "anniversary" or self.unit in DAY_UNITS:
            return start
        step = MONTH_UNITS[self.unit] * self.interval
        aligned_on_january = 12 % step == 0 or step % 12 == 0
        base = self._on_billing_day(
            start.year, 1 if aligned_on_january else start.month
        )
        month_end = self.sticks_to_month_end
        n = period_index(base, start, self.unit, self.interval, month_end)
        return boundary(base, n, self.unit, self.interval, month_end)

    def _on_billing_day(self, year, month):
        if self.billing_day == "last":
            return date(year, month, last_day_of_month(year, month))
        return date(year, month, self.billing_day)

    def scheduled_date(self, billed_start, billed_end):
        if self.invoicing == "prepaid":
            return billed_start
        if self.postpaid_next_day:
            return billed_end + timedelta(days=1)
        return billed_end


@dataclass(frozen=True)
class Charge:
    """One due period of a line, with the part of it that is billed."""

    period_start: date
    period_end: date
    billed_start: date
    billed_end: date
    scheduled_date: date
    proration: Proration = field(compare=False)

    @property
    def factor(self):
        return self.proration.factor

    @property
    def numerator(self):
        return self.proration.numerator

    @property
    def denominator(self):
        return self.proration.denominator

    @property
    def method(self):
        return self.proration.method


def billed_days(period_start, period_end, line_start, line_end=None, pauses=()):
    """The sub-ranges of the period that are billed: inside the line's dates
    and outside every pause (a pause is (first paused day, resume day or None))."""
    start = max(period_start, line_start)
    end = min(period_end, line_end) if line_end else period_end
    if start > end:
        return []
    ranges = [(start, end)]
    for pause_start, resume in pauses:
        pause_end = resume - timedelta(days=1) if resume else date.max
        kept = []
        for s, e in ranges:
            if pause_end < s or pause_start > e:
                kept.append((s, e))
                continue
            if s < pause_start:
                kept.append((s, pause_start - timedelta(days=1)))
            if pause_end < e:
                kept.append((pause_end + timedelta(days=1), e))
        ranges = kept
    return ranges


def charge_for_period(
    recurrence, anchor, n, method, line_start, line_end=None, pauses=()
):
    """The charge of period ``n``, or None when no day of it is billed."""
    rec = recurrence
    period_start, period_end = period_bounds(
        anchor, n, rec.unit, rec.interval, rec.sticks_to_month_end
    )
    ranges = billed_days(period_start, period_end, line_start, line_end, pauses)
    if not ranges:
        return None
    prorations = [
        prorate(method, s, e, period_start, period_end, rec.unit, rec.interval)
        for s, e in ranges
    ]
    if method == "none":
        proration = Proration(method, 1, 1)
    else:
        # several billed ranges in one period (a pause inside it): one charge;
        # every part is counted over the same period length, so they add up
        denominator = period_length(method, period_start, period_end, rec.unit)
        numerator = sum(p.numerator * denominator // p.denominator for p in prorations)
        proration = Proration(prorations[0].method, numerator, denominator)
    if not proration.numerator:
        # only days 30E/360 gives no length (a 30th of a 31-day month):
        # nothing is billed, rather than a line priced at zero
        return None
    billed_start, billed_end = ranges[0][0], ranges[-1][1]
    return Charge(
        period_start,
        period_end,
        billed_start,
        billed_end,
        rec.scheduled_date(billed_start, billed_end),
        proration,
    )


def due_charges(
    recurrence,
    anchor,
    line_start,
    line_end=None,
    pauses=(),
    billed_starts=(),
    up_to=None,
    limit=None,
    method="actual_days",
):
    """The line's unbilled charges, in period order.

    ``up_to``: only charges scheduled on or before that date (a bill run's
    reference date: the whole backlog is returned). ``limit``: at most that
    many. ``billed_starts``: period starts already in the ledger, skipped. One
    of ``up_to``, ``limit`` or ``line_end`` must bound the result.
    """
    if up_to is None and limit is None and line_end is None:
        raise RecurrenceError("due_charges needs up_to, limit or a line end.")
    rec = recurrence
    month_end = rec.sticks_to_month_end
    billed_starts = set(billed_starts)
    open_pause = min(
        (start for start, resume in pauses if resume is None), default=None
    )
    n = period_index(anchor, line_start, rec.unit, rec.interval, month_end)
    charges = []
    for _step in range(MAX_PERIODS):
        period_start = boundary(anchor, n, rec.unit, rec.interval, month_end)
        if line_end and period_start > line_end:
            break
        if open_pause and period_start >= open_pause:
            break
        if up_to and period_start > up_to and rec.invoicing == "prepaid":
            break
        if period_start not in billed_starts:
            charge = charge_for_period(
                rec, anchor, n, method, line_start, line_end, pauses
            )
            if charge:
                if up_to and charge.scheduled_date > up_to:
                    break
                charges.append(charge)
                if limit and len(charges) >= limit:
                    break
        n += 1
    return charges
