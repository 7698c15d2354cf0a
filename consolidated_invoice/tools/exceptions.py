"""Errors raised by the consolidated_invoice tools."""


class GroupingError(ValueError):
    """Charges that cannot be grouped as the policy says."""
