"""Price revision by percentage or by index, with cap and floor (recurrence.md §9).

P1 = P0 × r, where r = 1 + p/100 (percentage) or S1/S0 (index: S0 the base
reference value, S1 the latest value published on or before the revision
date), r clamped to [1 + floor, 1 + cap]. Prices are Decimals rounded half-up
to the Product Price precision.
"""

from decimal import ROUND_HALF_UP, Decimal


class RevisionError(ValueError):
    """Revision settings that cannot give a price."""


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
