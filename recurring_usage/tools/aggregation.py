# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Aggregations of a period's events, in exact decimals.

The bill run aggregates in SQL (sum, count, max, latest, unique count); these
functions are the reference the SQL is tested against, and the only place for
the reading difference of meters, whose rollover and replacement marks need a
walk over the readings in order.
"""

from decimal import Decimal

from .rating import D

AGGREGATIONS = ("sum", "count", "max", "latest", "unique_count", "reading")
# marks a meter reading may carry (event property ``reading_mark``)
ROLLOVER = "rollover"
REPLACEMENT = "replacement"


class AggregationError(ValueError):
    """Readings that cannot be turned into a consumption."""


def aggregate(kind, events, unique_property=None):
    """Aggregate ``events``: dicts with ``quantity``, ``timestamp`` and
    ``properties``, of one period (any order)."""
    events = sorted(events, key=lambda e: e["timestamp"])
    if kind == "sum":
        return sum((D(e["quantity"]) for e in events), Decimal(0))
    if kind == "count":
        return Decimal(len(events))
    if kind == "max":
        return max((D(e["quantity"]) for e in events), default=Decimal(0))
    if kind == "latest":
        return D(events[-1]["quantity"]) if events else Decimal(0)
    if kind == "unique_count":
        values = {
            (e.get("properties") or {}).get(unique_property)
            for e in events
            if (e.get("properties") or {}).get(unique_property) is not None
        }
        return Decimal(len(values))
    raise AggregationError(f"Unknown aggregation {kind!r}.")


def reading_difference(previous, readings):
    """Consumption of a period from a meter's index readings.

    ``previous``: the last index before the period (None: the first reading
    of the period is the starting point). ``readings``: ``(index, mark,
    extra)`` in time order; ``mark`` None, ``"rollover"`` (the counter wrapped
    at ``extra``, its maximum + 1) or ``"replacement"`` (a new meter starting
    at ``extra``, default 0; the old meter's last reading must have been
    sent before). A decreasing index without a mark is refused.
    """
    total = Decimal(0)
    last = None if previous is None else D(previous)
    for index, mark, extra in readings:
        index = D(index)
        if last is None:
            last = index
            continue
        if mark == REPLACEMENT:
            start = D(extra or 0)
            if index < start:
                raise AggregationError("A new meter's index is below its start.")
            total += index - start
        elif mark == ROLLOVER:
            if extra is None or D(extra) <= last:
                raise AggregationError("A rollover needs the counter's wrap value.")
            total += D(extra) - last + index
        else:
            if index < last:
                raise AggregationError(
                    f"The index went down from {last} to {index} without a "
                    "rollover or replacement mark."
                )
            total += index - last
        last = index
    return total
