"""Errors raised on late-payment settings and rate tables that cannot be used.

All derive from :class:`InvoiceFrError` (a ``ValueError``), so the Odoo layer
can turn any of them into a ``UserError`` / ``ValidationError`` with one
``except`` clause.
"""


class InvoiceFrError(ValueError):
    """Base class of the French invoicing errors."""


class RateTableError(InvoiceFrError):
    """An invalid or duplicated row of the half-yearly rate table."""


class MissingRateError(RateTableError):
    """The rate table has no row for a half-year that is needed."""


class RateBelowFloorError(InvoiceFrError):
    """A contractual penalty rate below 3 × the legal interest rate."""


class InvalidSettingsError(InvoiceFrError):
    """An invalid rate policy (unknown kind, missing or negative rate)."""
