"""The company's late-payment terms as stated on invoices (L441-9 I).

The terms state the **rule** (ECB main refinancing rate + 10 points, or the
contractual rate; the €40 indemnity): they need no figure and never fail. The
figure of the half-year of the invoice date is added when the rate table has
it. The same terms feed the invoice mentions and the Factur-X notes PMT/PMD/AAB
(``account_facturx_fr/tools/facturx_model.py::legal_notes``); the penalties
of the reminders (dunning_levels) use the figures of
:func:`.rates.applied_rate`. The wording of the rate basis is French: it is the
legal mention of a French invoice.
"""

from decimal import Decimal

from .rates import (
    ECB_MARGIN,
    LEGAL_DEFAULT,
    RATE_MISSING,
    applied_rate,
    as_policy,
    as_table,
    half_year_of,
    to_decimal,
)

HALF_NAMES = {1: "1er semestre", 2: "2e semestre"}
LEGAL_RULE_FR = f"taux de refinancement de la BCE majoré de {int(ECB_MARGIN)} points"
CONTRACTUAL_RULE_FR = "taux contractuel, au moins égal à 3 fois le taux d'intérêt légal"


def fr_decimal(value):
    """``Decimal("2.15")`` → ``"2,15"``: two decimals, French comma."""
    return f"{to_decimal(value).quantize(Decimal('0.01'))}".replace(".", ",")


def half_year_fr(year, half):
    """e.g. "2e semestre 2025"."""
    return f"{HALF_NAMES[half]} {year}"


def rate_basis_fr(day, table, policy=LEGAL_DEFAULT):
    """The rule of the penalty rate, with the half-year's figures when known.

    e.g. "taux de refinancement de la BCE (2,15 %) majoré de 10 points,
    2e semestre 2025", or the bare rule when the table lacks the half-year.
    """
    table, policy = as_table(table), as_policy(policy)
    year, half = half_year_of(day)
    applied = applied_rate(day, table, policy)
    if policy.kind == LEGAL_DEFAULT:
        if applied.status == RATE_MISSING:
            return LEGAL_RULE_FR
        row = table.get(year, half)
        return (
            f"taux de refinancement de la BCE ({fr_decimal(row.ecb_rate)} %) "
            f"majoré de {int(ECB_MARGIN)} points, {half_year_fr(year, half)}"
        )
    if applied.floor_rate is None:
        return CONTRACTUAL_RULE_FR
    return (
        f"{CONTRACTUAL_RULE_FR} ({fr_decimal(applied.floor_rate)} %, "
        f"{half_year_fr(year, half)})"
    )


def late_payment_terms(
    day, table, policy=LEGAL_DEFAULT, *, indemnity, early_payment_discount=""
):
    """The terms in force on ``day``, as the keyword arguments of
    ``legal_notes``: ``penalty_rate`` (annual %, or None while the legal
    default's figure of that half-year is not in the table),
    ``penalty_rate_basis`` (the rule, in French), ``indemnity`` (euros) and
    ``early_payment_discount`` (empty for none).

    Never raises for the rate table: a missing half-year leaves the figure
    out, a contractual rate below the floor gives the floor.
    """
    table, policy = as_table(table), as_policy(policy)
    return {
        "penalty_rate": applied_rate(day, table, policy).rate,
        "penalty_rate_basis": rate_basis_fr(day, table, policy),
        "indemnity": to_decimal(indemnity, "indemnity"),
        "early_payment_discount": early_payment_discount or "",
    }
