"""Late-payment terms as printed on invoices and in the Factur-X notes."""

from datetime import date
from decimal import Decimal

import pytest
from account_invoice_fr_tools import rates, terms
from account_invoice_fr_tools.exceptions import MissingRateError, RateBelowFloorError
from account_invoice_fr_tools.rates import HalfYearRate, RatePolicy
from hypothesis import given
from hypothesis import strategies as st

TABLE = [
    HalfYearRate(2025, 2, Decimal("2.15"), Decimal("2.76")),
    HalfYearRate(2026, 1, Decimal("2.15"), Decimal("2.62")),
]


def test_legal_default_basis_names_the_half_year():
    result = terms.late_payment_terms(date(2025, 12, 31), TABLE, indemnity=40)
    assert result == {
        "penalty_rate": Decimal("12.15"),
        "penalty_rate_basis": (
            "taux de refinancement de la BCE (2,15 %) majoré de 10 points, "
            "2e semestre 2025"
        ),
        "indemnity": Decimal("40"),
        "early_payment_discount": "",
    }
    first = terms.late_payment_terms(date(2026, 1, 1), TABLE, indemnity=40)
    assert first["penalty_rate_basis"].endswith("1er semestre 2026")


def test_contractual_rate_and_its_floor():
    policy = RatePolicy.contractual("9")
    result = terms.late_payment_terms(
        date(2026, 3, 1),
        TABLE,
        policy,
        indemnity=Decimal("40"),
        early_payment_discount="1 % à 8 jours",
    )
    assert result["penalty_rate"] == Decimal("9")
    assert result["penalty_rate_basis"] == (
        "taux contractuel, au moins égal à 3 fois le taux d'intérêt légal "
        "(7,86 %, 1er semestre 2026)"
    )
    assert result["early_payment_discount"] == "1 % à 8 jours"
    # below the floor: the terms state the floor, never an error
    floored = terms.late_payment_terms(
        date(2025, 9, 1), TABLE, RatePolicy.contractual("8"), indemnity=40
    )
    assert floored["penalty_rate"] == Decimal("8.28")


@given(
    day=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    contractual=st.one_of(
        st.none(), st.decimals(min_value=Decimal("0.01"), max_value=30, places=2)
    ),
)
def test_terms_never_fail_and_state_the_rule(day, contractual):
    """Any date, with or without a row: the rule is stated, the figure only
    when the table has it (the legal default) or it is agreed."""
    policy = RatePolicy.contractual(contractual) if contractual else None
    result = terms.late_payment_terms(day, TABLE, policy, indemnity=40)
    known = (day.year, 1 if day.month <= 6 else 2) in {(2025, 2), (2026, 1)}
    if contractual is None:
        assert "taux de refinancement de la BCE" in result["penalty_rate_basis"]
        assert "majoré de 10 points" in result["penalty_rate_basis"]
        assert (result["penalty_rate"] is not None) == known
    else:
        assert result["penalty_rate_basis"].startswith("taux contractuel")
        assert result["penalty_rate"] >= contractual
    assert result["indemnity"] == 40


def test_missing_half_year_states_the_rule_without_a_figure():
    result = terms.late_payment_terms(date(2027, 2, 1), TABLE, indemnity=40)
    assert result["penalty_rate"] is None
    assert result["penalty_rate_basis"] == (
        "taux de refinancement de la BCE majoré de 10 points"
    )
    with pytest.raises(MissingRateError, match="H1 2027"):
        rates.rate_for(date(2027, 2, 1), TABLE)
    with pytest.raises(RateBelowFloorError):
        rates.rate_for(date(2025, 9, 1), TABLE, RatePolicy.contractual("8"))


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_fr_decimal_uses_a_comma(value):
    text = terms.fr_decimal(value)
    assert "." not in text
    assert Decimal(text.replace(",", ".")) == value


@given(day=st.dates(date(2024, 1, 1), date(2030, 12, 31)))
def test_factur_x_notes_state_the_rule_for_any_invoice_date(day):
    """The company's terms feed the PMD/PMT notes of any invoice date: a
    half-year missing from the table never blocks them."""
    from account_facturx_fr_tools.facturx_model import legal_notes

    notes = legal_notes(**terms.late_payment_terms(day, TABLE, indemnity=40))
    assert notes.late_penalties.startswith(
        "Pénalités de retard exigibles dès le lendemain de la date d'échéance, "
        "sans rappel : "
    )
    assert "taux de refinancement de la BCE" in notes.late_penalties
    assert "majoré de 10 points" in notes.late_penalties
    known = (day.year, 1 if day.month <= 6 else 2) in {(2025, 2), (2026, 1)}
    assert ("taux annuel de 12,15 %" in notes.late_penalties) == known
    assert "None" not in notes.late_penalties
    assert "40 €" in notes.recovery_indemnity
