"""Price revision by percentage or by index, with cap and floor (readme/USAGE.md).

P1 = P0 × r, where r = 1 + p/100 (percentage) or S1/S0 (index: S0 the base
reference value, S1 the latest value published on or before the revision
date), r clamped to [1 + floor, 1 + cap]. Prices are Decimals rounded half-up
to the Product Price precision.
"""

from decimal import ROUND_HALF_UP, Decimal

from .exceptions import RevisionError
from .recurrence import add_months, boundary, period_index


def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def revision_ratio(
    method, percentage=None, base_value=None, new_value=None, cap=None, floor=None
):
    """The ratio r applied to the price, clamped by cap and floor (percents)."""
    if method == "percentage":
        if percentage is None:
            raise RevisionError("A percentage revision needs a percentage.")
        ratio = 1 + _decimal(percentage) / 100
    elif method == "index":
        if not base_value or new_value is None:
            raise RevisionError(
                "An index revision needs the base index value and a published value."
            )
        ratio = _decimal(new_value) / _decimal(base_value)
    else:
        raise RevisionError(f"Unknown revision method {method!r}.")
    if cap is not None and floor is not None and _decimal(floor) > _decimal(cap):
        raise RevisionError("The floor of a revision cannot be above its cap.")
    if cap is not None:
        ratio = min(ratio, 1 + _decimal(cap) / 100)
    if floor is not None:
        ratio = max(ratio, 1 + _decimal(floor) / 100)
    return ratio


def revised_price(price, ratio, digits=2):
    """``price`` × ``ratio`` rounded half-up to ``digits`` decimals."""
    quantum = Decimal(1).scaleb(-digits)
    return (_decimal(price) * _decimal(ratio)).quantize(quantum, rounding=ROUND_HALF_UP)


def latest_value(values, on_date):
    """The latest (publication date, value) published on or before ``on_date``."""
    published = [(when, value) for when, value in values if when <= on_date]
    return max(published, default=None)


def next_anniversary(date_start, after):
    """The first anniversary of ``date_start`` strictly after ``after``
    (a 29 February start has its anniversaries on 28 February)."""
    years = max(1, after.year - date_start.year)
    while True:
        anniversary = add_months(date_start, 12 * years)
        if anniversary > after:
            return anniversary
        years += 1


def effective_date(anchor, revision_date, unit, interval=1, month_end=False):
    """The start of the first period starting on or after ``revision_date``:
    a revision applies to whole periods only."""
    n = period_index(anchor, revision_date, unit, interval, month_end)
    start = boundary(anchor, n, unit, interval, month_end)
    if start < revision_date:
        start = boundary(anchor, n + 1, unit, interval, month_end)
    return start
