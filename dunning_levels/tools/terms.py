"""The company's late-payment terms as printed on invoices (L441-9 I).

The same figures feed the invoice mentions, the Factur-X notes PMT/PMD/AAB
(``consolidated_invoice/tools/facturx_model.py::legal_notes``) and the
penalties of the reminders. The wording of the rate basis is French: it is
the legal mention of a French invoice.
"""

from decimal import Decimal

from .money import to_decimal
from .rates import ECB_MARGIN, LEGAL_DEFAULT, as_policy, as_table, rate_for

HALF_NAMES = {1: "1er semestre", 2: "2e semestre"}


def fr_decimal(value):
    """``Decimal("2.15")`` → ``"2,15"``: two decimals, French comma."""
    return f"{to_decimal(value).quantize(Decimal('0.01'))}".replace(".", ",")


def rate_basis_fr(row, policy=LEGAL_DEFAULT):
    """e.g. "taux BCE 2,15 % + 10 points, 2e semestre 2025"."""
    half_year = f"{HALF_NAMES[row.half]} {row.year}"
    if as_policy(policy).kind == LEGAL_DEFAULT:
        return (
            f"taux BCE {fr_decimal(row.ecb_rate)} % + {int(ECB_MARGIN)} points, "
            f"{half_year}"
        )
    return (
        f"taux contractuel, au moins 3 fois le taux d'intérêt légal "
        f"({fr_decimal(row.floor_rate)} %, {half_year})"
    )


def late_payment_terms(
    day, table, policy=LEGAL_DEFAULT, *, indemnity, early_payment_discount=""
):
    """The terms in force on ``day``, as the keyword arguments of
    ``legal_notes``: ``penalty_rate`` (annual %), ``penalty_rate_basis``,
    ``indemnity`` and ``early_payment_discount`` (empty for none).

    Raises :class:`~.exceptions.MissingRateError` when the table has no row
    for the half-year of ``day`` and :class:`~.exceptions.RateBelowFloorError`
    for a contractual rate below that half-year's floor.
    """
    table, policy = as_table(table), as_policy(policy)
    rate = rate_for(day, table, policy)
    return {
        "penalty_rate": rate,
        "penalty_rate_basis": rate_basis_fr(table.for_date(day), policy),
        "indemnity": to_decimal(indemnity, "indemnity"),
        "early_payment_discount": early_payment_discount or "",
    }
