# Copyright 2026 Facturo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Price models of metered usage, in exact decimals.

A price model turns the billable quantity of one period into an amount and a
breakdown (one :class:`Tier` per priced slice), from which the invoice line's
description is written. Tiers are given as ``(up_to, unit_price, flat_fee)``
with ``up_to`` None for the last (open) tier, in ascending order.
"""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

MODELS = ("per_unit", "graduated", "volume", "package")


class RatingError(ValueError):
    """A price model that cannot rate (bad tiers, bad package size)."""


def D(value):
    """An exact Decimal from an int, a str, a Decimal or a float (via repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


@dataclass(frozen=True)
class PriceTier:
    up_to: Decimal | None
    unit_price: Decimal
    flat_fee: Decimal = Decimal(0)


@dataclass(frozen=True)
class Tier:
    """One priced slice of a rated quantity."""

    start: Decimal  # first unit of the slice (exclusive lower bound)
    quantity: Decimal
    unit_price: Decimal
    flat_fee: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Rated:
    """What a period's usage costs."""

    quantity: Decimal  # the aggregated quantity
    included: Decimal  # the part covered by the included units
    billable: Decimal  # quantity - included, never negative
    amount: Decimal  # rounded to the currency
    tiers: list = field(default_factory=list)
    minimum: Decimal = Decimal(0)
    true_up: Decimal = Decimal(0)  # minimum - amount when the amount is lower


def tiers_of(rows):
    """Validated :class:`PriceTier` list from ``(up_to, unit_price, flat_fee)``."""
    tiers = []
    previous = Decimal(0)
    for index, (up_to, unit_price, flat_fee) in enumerate(rows):
        last = index == len(rows) - 1
        if up_to is None or up_to is False:
            if not last:
                raise RatingError("Only the last tier may be open-ended.")
            bound = None
        else:
            bound = D(up_to)
            if bound <= previous:
                raise RatingError("Tier bounds must increase.")
            previous = bound
        tiers.append(PriceTier(bound, D(unit_price), D(flat_fee or 0)))
    if not tiers:
        raise RatingError("A tiered price model needs at least one tier.")
    return tiers


def billable_quantity(quantity, included):
    """The quantity left after the included units: never negative."""
    quantity, included = D(quantity), max(D(included or 0), Decimal(0))
    return max(quantity - included, Decimal(0))


def _round(amount, digits):
    return amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def graduated(quantity, tiers):
    """Each tier's units at that tier's price (plus its flat fee if reached)."""
    quantity = D(quantity)
    slices, lower = [], Decimal(0)
    for tier in tiers:
        if quantity <= lower:
            break
        upper = quantity if tier.up_to is None else min(quantity, tier.up_to)
        units = upper - lower
        slices.append(
            Tier(
                lower,
                units,
                tier.unit_price,
                tier.flat_fee,
                units * tier.unit_price + tier.flat_fee,
            )
        )
        lower = upper
        if tier.up_to is None:
            break
    if quantity > lower:
        raise RatingError("The quantity exceeds the last tier's bound.")
    return slices


def volume(quantity, tiers):
    """The tier the quantity reaches prices every unit."""
    quantity = D(quantity)
    if quantity <= 0:
        return []
    for tier in tiers:
        if tier.up_to is None or quantity <= tier.up_to:
            return [
                Tier(
                    Decimal(0),
                    quantity,
                    tier.unit_price,
                    tier.flat_fee,
                    quantity * tier.unit_price + tier.flat_fee,
                )
            ]
    raise RatingError("The quantity exceeds the last tier's bound.")


def package(quantity, size, price):
    """Per started block of ``size`` units."""
    quantity, size, price = D(quantity), D(size), D(price)
    if size <= 0:
        raise RatingError("The package size must be positive.")
    if quantity <= 0:
        return []
    blocks = (quantity / size).to_integral_value(rounding=ROUND_CEILING)
    return [Tier(Decimal(0), blocks, price, Decimal(0), blocks * price)]


def per_unit(quantity, price):
    quantity, price = D(quantity), D(price)
    if quantity <= 0:
        return []
    return [Tier(Decimal(0), quantity, price, Decimal(0), quantity * price)]


def rate(
    quantity,
    model,
    digits=2,
    price=0,
    tiers=(),
    package_size=1,
    included=0,
    minimum=0,
):
    """Rate one period's aggregated ``quantity`` with a price model.

    ``tiers``: ``(up_to, unit_price, flat_fee)`` rows (graduated, volume).
    ``included``: units per period billed at nothing. ``minimum``: the
    period's commitment; a lower amount gets a true-up (``Rated.true_up``).
    The amount is rounded once, to ``digits`` decimals.
    """
    quantity = D(quantity)
    billable = billable_quantity(quantity, included)
    if model == "per_unit":
        slices = per_unit(billable, price)
    elif model == "graduated":
        slices = graduated(billable, tiers_of(tiers))
    elif model == "volume":
        slices = volume(billable, tiers_of(tiers))
    elif model == "package":
        slices = package(billable, package_size, price)
    else:
        raise RatingError(f"Unknown price model {model!r}.")
    amount = _round(sum((s.amount for s in slices), Decimal(0)), digits)
    minimum = _round(max(D(minimum or 0), Decimal(0)), digits)
    true_up = max(minimum - amount, Decimal(0))
    return Rated(
        quantity=quantity,
        included=quantity - billable if quantity > 0 else Decimal(0),
        billable=billable,
        amount=amount,
        tiers=slices,
        minimum=minimum,
        true_up=true_up,
    )


def line_figures(amount, quantity, price_digits):
    """(quantity, unit price) of an invoice line worth exactly ``amount``:
    the billable quantity when ``amount / quantity`` fits the price precision,
    else one unit at the amount (the breakdown is in the description)."""
    amount, quantity = D(amount), D(quantity)
    if quantity > 0:
        unit = amount / quantity
        if _round(unit, price_digits) == unit and unit * quantity == amount:
            return quantity, unit
    return Decimal(1), amount


def breakdown(rated, fmt_quantity=str, fmt_price=str):
    """Text rows of the tier breakdown: '1,000 × 0.18 = 180.00' …

    ``fmt_quantity`` and ``fmt_price`` format numbers the customer's way.
    Returns a list of strings (the caller translates the surrounding words).
    """
    rows = []
    for tier in rated.tiers:
        row = f"{fmt_quantity(tier.quantity)} × {fmt_price(tier.unit_price)}"
        if tier.flat_fee:
            row += f" + {fmt_price(tier.flat_fee)}"
        rows.append(row)
    return rows
