"""Errors raised by the dunning engine on input it cannot work with.

All derive from :class:`DunningError` (a ``ValueError``), so the Odoo layer
can turn any of them into a ``UserError`` / ``ValidationError`` with one
``except`` clause.
"""


class DunningError(ValueError):
    """Base class of the dunning engine's errors."""


class CurrencyRateError(DunningError):
    """No usable conversion rate for a currency."""


class InvalidLevelError(DunningError):
    """Dunning levels that do not form a valid ladder."""


class InvalidItemError(DunningError):
    """An open item, past action or customer state that makes no sense."""


class InvalidSettingsError(DunningError):
    """Invalid evaluation settings (tolerance, interval, missing rates...)."""
