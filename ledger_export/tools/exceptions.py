"""Exceptions raised by the ledger_export tools on bad input.

They derive from ``ValueError`` so that callers that do not know this module
still catch them; the models turn them into ``UserError`` with the message.
Data problems found in a written file are not exceptions: the checker reports
them as findings (``fec_check.Finding``).
"""


class LedgerExportError(ValueError):
    """Base class of every error raised by ``ledger_export.tools``."""


class InvalidOptionError(LedgerExportError):
    """An export option (encoding, separator, width, column …) is not supported."""


class InvalidValueError(LedgerExportError):
    """A value of the canonical extract cannot be formatted (type or syntax)."""


class InvalidSirenError(InvalidValueError):
    """A SIREN, SIRET or French VAT number is malformed."""


class FieldOverflowError(InvalidValueError):
    """An identifier is too long for a fixed-width field and cannot be cut."""


class MalformedFileError(LedgerExportError):
    """A file handed to the strict parser does not have the FEC structure."""
