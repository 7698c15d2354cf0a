"""Decimal amounts, currency rounding and conversion for the dunning engine.

Amounts are :class:`~decimal.Decimal`. Floats (Odoo ``Float`` and
``Monetary`` values) are converted through ``str`` so that ``2.15`` stays
``Decimal("2.15")``. Rounding is half-up to the currency's decimals.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .exceptions import CurrencyRateError, InvalidSettingsError

DEFAULT_DIGITS = 2
EUR = "EUR"


def to_decimal(value, what="amount"):
    """``value`` as a Decimal (ints, Decimals, numeric strings, floats)."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or value is None:
        raise InvalidSettingsError(f"The {what} must be a number, not {value!r}.")
    else:
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            raise InvalidSettingsError(
                f"The {what} must be a number, not {value!r}."
            ) from None
    if not result.is_finite():
        raise InvalidSettingsError(f"The {what} must be a finite number.")
    return result


def round_half_up(amount, digits=DEFAULT_DIGITS):
    """``amount`` rounded half-up to ``digits`` decimals."""
    return to_decimal(amount).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class CurrencyTable:
    """Currencies known to one evaluation.

    ``company_currency``: the currency of the tolerance and of the levels'
    minimum amounts. ``rates``: units of each currency for one unit of the
    company currency (Odoo's ``res.currency.rate`` convention); the company
    currency itself is 1 and need not be listed. ``digits``: decimals of each
    currency (2 when not listed, e.g. ``{"JPY": 0}``).
    """

    company_currency: str = EUR
    rates: dict = field(default_factory=dict)
    digits: dict = field(default_factory=dict)

    def __post_init__(self):
        for currency, rate in self.rates.items():
            if to_decimal(rate, f"rate of {currency}") <= 0:
                raise CurrencyRateError(
                    f"The rate of {currency} must be positive, not {rate!r}."
                )
        for currency, digits in self.digits.items():
            if not isinstance(digits, int) or not 0 <= digits <= 6:
                raise InvalidSettingsError(
                    f"{currency} must have 0 to 6 decimals, not {digits!r}."
                )

    def decimals(self, currency):
        return self.digits.get(currency, DEFAULT_DIGITS)

    def round(self, amount, currency):
        """``amount`` rounded half-up to the decimals of ``currency``."""
        return round_half_up(amount, self.decimals(currency))

    def rate(self, currency):
        """Units of ``currency`` for one unit of the company currency."""
        if currency == self.company_currency:
            return Decimal(1)
        if currency not in self.rates:
            raise CurrencyRateError(
                f"No conversion rate between {currency} and the company currency "
                f"{self.company_currency}."
            )
        return to_decimal(self.rates[currency])

    def convert(self, amount, from_currency, to_currency):
        """``amount`` converted and rounded to ``to_currency``.

        Zero is zero in every currency: no rate is needed to convert it.
        """
        amount = to_decimal(amount)
        if from_currency == to_currency or not amount:
            return self.round(amount, to_currency)
        converted = amount / self.rate(from_currency) * self.rate(to_currency)
        return self.round(converted, to_currency)
