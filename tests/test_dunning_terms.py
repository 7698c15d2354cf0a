"""Late-payment terms as printed on invoices and in the Factur-X notes."""

from datetime import date
from decimal import Decimal

import pytest
from dunning_levels_tools import terms
from dunning_levels_tools.exceptions import MissingRateError, RateBelowFloorError
from dunning_levels_tools.rates import HalfYearRate, RatePolicy
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
        "penalty_rate_basis": "taux BCE 2,15 % + 10 points, 2e semestre 2025",
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
        "taux contractuel, au moins 3 fois le taux d'intérêt légal "
        "(7,86 %, 1er semestre 2026)"
    )
    assert result["early_payment_discount"] == "1 % à 8 jours"
    with pytest.raises(RateBelowFloorError):
        terms.late_payment_terms(
            date(2025, 9, 1), TABLE, RatePolicy.contractual("8"), indemnity=40
        )


def test_missing_half_year():
    with pytest.raises(MissingRateError, match="H1 2027"):
        terms.late_payment_terms(date(2027, 2, 1), TABLE, indemnity=40)


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_fr_decimal_uses_a_comma(value):
    text = terms.fr_decimal(value)
    assert "." not in text
    assert Decimal(text.replace(",", ".")) == value
