"""Errors raised by the recurring_billing tools on bad settings or dates.

Both derive from ``ValueError``; the models turn them into a ``UserError``
or ``ValidationError`` with the message, or report them on the contract
when a cron meets them.
"""


class RecurrenceError(ValueError):
    """Invalid recurrence settings or dates."""


class RevisionError(ValueError):
    """Revision settings that cannot give a price."""
