"""SEPA returns, decline kinds and presentations of
``recurring_payment_sepa/tools/returns.py`` (no Odoo)."""

import ast
from pathlib import Path

import pytest
from recurring_payment_sepa_tools import returns

WIZARD = (
    Path(__file__).resolve().parent.parent
    / "recurring_payment_sepa"
    / "wizards"
    / "recurring_payment_sepa_return.py"
)


@pytest.mark.parametrize("code", ["AC04", "AC06", "MD01", "MD07", "ac04 ", "MS02"])
def test_closed_accounts_and_missing_mandates_are_hard(code):
    assert returns.return_kind(code) == returns.HARD


@pytest.mark.parametrize("code", ["AM04", "MS03", "FF01"])
def test_insufficient_funds_and_technical_reasons_are_soft(code):
    assert returns.return_kind(code) == returns.SOFT


@pytest.mark.parametrize("code", ["", None, "XX99"])
def test_unknown_reasons_are_refused(code):
    with pytest.raises(returns.ReturnError):
        returns.return_kind(code)


def test_codes_are_well_formed():
    codes = list(returns.RETURN_KINDS)
    assert all(len(code) == 4 and code.isupper() for code in codes)
    assert set(returns.RETURN_KINDS.values()) == {returns.HARD, returns.SOFT}


def test_the_return_wizard_offers_exactly_the_known_codes():
    """The wizard's selection (translated labels) lists the codes of
    ``RETURN_KINDS``, each label starting with its code."""
    tree = ast.parse(WIZARD.read_text())
    selection = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", "") == "reason_code" for t in node.targets)
    )
    pairs = ast.literal_eval(selection.args[0])
    assert [code for code, _label in pairs] == list(returns.RETURN_KINDS)
    assert all(label.startswith(f"{code} - ") for code, label in pairs)


def test_a_debit_is_presented_at_most_twice():
    assert returns.MAX_PRESENTATIONS == 2
    assert returns.capped_retry_days((3, 7, 14)) == (3,)
    assert returns.capped_retry_days(()) == ()
    assert returns.capped_retry_days((3, 7, 14), limit=1) == ()
    assert returns.capped_retry_days((3, 7, 14), limit=5) == (3, 7, 14)
    with pytest.raises(returns.ReturnError):
        returns.capped_retry_days((3,), limit=0)


@pytest.mark.parametrize(
    ("mandate_type", "sequence", "expected"),
    [
        ("recurrent", "first", "FRST"),
        ("recurrent", "recurring", "RCUR"),
        ("recurrent", "final", "FNAL"),
        ("oneoff", "first", "OOFF"),
    ],
)
def test_debit_sequence(mandate_type, sequence, expected):
    assert returns.debit_sequence(mandate_type, sequence) == expected
