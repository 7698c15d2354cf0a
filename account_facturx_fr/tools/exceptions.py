"""Errors raised by the Factur-X tools.

Data that cannot make a valid invoice is a ``ValueError``
(:class:`FacturXDataError`); a pipeline or a PDF that could not be produced
is a ``RuntimeError``. The models catch each where the send or the check
reports it, and turn it into a message on the invoice or a ``UserError``.
"""


class FacturXDataError(ValueError):
    """The invoice data cannot make a valid French Factur-X; lists why."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(
            "Invalid Factur-X invoice data:\n- " + "\n- ".join(self.problems)
        )


class FacturXPdfError(RuntimeError):
    """The Factur-X PDF could not be produced, or fails its checks."""

    def __init__(self, message, problems=()):
        self.problems = list(problems)
        if self.problems:
            message = message + ":\n- " + "\n- ".join(self.problems)
        super().__init__(message)


class ValidationPipelineError(RuntimeError):
    """The validation pipeline itself failed (worker crash, timeout, missing
    files)."""


class StylesheetPinError(ValidationPipelineError):
    """An installed stylesheet differs from its pinned sha256."""
