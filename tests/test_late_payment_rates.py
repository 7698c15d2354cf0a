"""account_invoice_fr/tools: the half-yearly late-payment rate table.

Figures from dunning_fr.md §8.2: H2 2025 and H1 2026 both have an ECB main
rate of 2.15 % (default penalty rate 12.15 %); legal rates for professional
creditors 2.76 % (floor 8.28 %) and 2.62 % (floor 7.86 %).
"""

from datetime import date
from decimal import Decimal

import pytest
from account_invoice_fr_tools import rates
from account_invoice_fr_tools.exceptions import (
    InvalidSettingsError,
    InvoiceFrError,
    MissingRateError,
    RateBelowFloorError,
    RateTableError,
)
from account_invoice_fr_tools.rates import HalfYearRate, RatePolicy

D = Decimal
SPEC_TABLE = [
    HalfYearRate(2025, 2, D("2.15"), D("2.76"), "legal rate H2 2025 (cna2c.fr)"),
    HalfYearRate(2026, 1, D("2.15"), D("2.62"), "arrêté of 15 Dec 2025"),
]


# ----------------------------------------------------------------------
# Rate table
# ----------------------------------------------------------------------


def test_spec_rows_give_default_rate_and_floor():
    h2_2025, h1_2026 = SPEC_TABLE
    assert h2_2025.default_penalty_rate == D("12.15")
    assert h1_2026.default_penalty_rate == D("12.15")
    assert h2_2025.floor_rate == D("8.28")
    assert h1_2026.floor_rate == D("7.86")
    assert h2_2025.date_start == date(2025, 7, 1)
    assert h2_2025.date_end == date(2025, 12, 31)
    assert h1_2026.date_end == date(2026, 6, 30)
    assert h1_2026.label == "H1 2026"


def test_rows_accept_odoo_floats_and_start_dates():
    row = HalfYearRate.from_start(date(2026, 1, 1), 2.15, 2.62)
    assert row == HalfYearRate(2026, 1, D("2.15"), D("2.62"))
    assert row.floor_rate == D("7.86")
    with pytest.raises(RateTableError, match="1 January or 1 July"):
        HalfYearRate.from_start(date(2026, 2, 1), 2.15, 2.62)


@pytest.mark.parametrize(
    "args, message",
    [
        ((2025, 3, D(2), D(2)), "half-year must be 1 or 2"),
        ((2025, 1, D(-1), D(2)), "cannot be negative"),
        ((2025, 1, "abc", D(2)), "must be a number"),
    ],
)
def test_invalid_rows(args, message):
    with pytest.raises(InvoiceFrError, match=message):
        HalfYearRate(*args)


def test_duplicate_half_year_rejected():
    with pytest.raises(RateTableError, match="two rows for H2 2025"):
        rates.RateTable([*SPEC_TABLE, SPEC_TABLE[0]])


@pytest.mark.parametrize(
    "day", [date(2025, 7, 1), date(2025, 12, 31), date(2026, 1, 1), date(2026, 6, 30)]
)
def test_legal_default_rate(day):
    assert rates.rate_for(day, SPEC_TABLE, "legal_default") == D("12.15")
    assert rates.rate_for(day, SPEC_TABLE, RatePolicy.legal_default()) == D("12.15")


@pytest.mark.parametrize("day", [date(2025, 6, 30), date(2026, 7, 1)])
def test_missing_half_year_is_a_clear_error(day):
    label = "H1 2025" if day.year == 2025 else "H2 2026"
    with pytest.raises(MissingRateError, match=f"No late-payment reference.*{label}"):
        rates.rate_for(day, SPEC_TABLE)


def test_contractual_rate_of_5_percent_rejected_against_both_floors():
    with pytest.raises(RateBelowFloorError, match=r"5 % .* 8\.28 % for H2 2025"):
        rates.rate_for(date(2025, 9, 1), SPEC_TABLE, D(5))
    with pytest.raises(RateBelowFloorError, match=r"5 % .* 7\.86 % for H1 2026"):
        rates.rate_for(date(2026, 3, 1), SPEC_TABLE, RatePolicy.contractual(5))
    assert rates.floor_violations(5, SPEC_TABLE) == SPEC_TABLE


@pytest.mark.parametrize(
    "policy, message",
    [
        (lambda: RatePolicy("weird"), "Unknown penalty rate policy"),
        (lambda: RatePolicy("contractual"), "needs a rate"),
        (lambda: RatePolicy("legal_default", D(9)), "takes no contractual rate"),
        (lambda: RatePolicy.contractual(0), "must be positive"),
        (lambda: rates.as_policy("twelve"), "must be a number"),
    ],
)
def test_invalid_policies(policy, message):
    with pytest.raises(InvalidSettingsError, match=message):
        policy()
