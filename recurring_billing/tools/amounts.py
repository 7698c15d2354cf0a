"""Prorated prices and line amounts, exact (readme/CONFIGURE.md, *Amounts*).

One rounding per figure: the prorated unit price is the full price times the
exact proration factor, rounded once to the *Product Price* precision; the
line amount is quantity × that unit price × (1 − discount), rounded once to
the currency. The invoice line and the ledger row both take these figures, so
they cannot differ by a cent. Rounding is half away from zero, as Odoo's
``float_round``.
"""

from decimal import Decimal
from fractions import Fraction


def to_fraction(value):
    """An exact Fraction of a Decimal, int, Fraction, str or float (a float
    through its shortest repr, as Odoo stores prices)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        value = repr(value)
    return Fraction(Decimal(value)) if isinstance(value, str) else Fraction(value)


def round_half_up(value, digits):
    """``value`` rounded to ``digits`` decimals, halves away from zero."""
    value = to_fraction(value)
    scaled = abs(value) * 10**digits
    units = int(scaled)
    if scaled - units >= Fraction(1, 2):
        units += 1
    result = Decimal(units).scaleb(-digits)
    return -result if value < 0 else result


def prorated_unit_price(price, factor, digits):
    """The unit price of a prorated line: ``price × factor``, rounded once."""
    return round_half_up(to_fraction(price) * to_fraction(factor), digits)


def line_subtotal(quantity, unit_price, discount, digits):
    """Untaxed amount of a line: quantity × unit price × (1 − discount %)."""
    exact = (
        to_fraction(quantity)
        * to_fraction(unit_price)
        * (1 - to_fraction(discount or 0) / 100)
    )
    return round_half_up(exact, digits)


def credit_unit_price(price, kept_before, kept_after, digits):
    """Unit price of a credit that takes a period from ``kept_before`` down
    to ``kept_after`` of its price: what the kept days cost before minus what
    they cost after, so the credits and the part kept add up to the billed
    price to the cent (see recurrence.credit_pieces)."""
    before = prorated_unit_price(price, kept_before, digits)
    return before - prorated_unit_price(price, max(kept_after, Fraction(0)), digits)
