"""account_facturx_fr/tools: French identifiers as Odoo stores them."""

import pytest
from account_facturx_fr_tools import facturx_identifiers as ids


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12345678200010", ("123456782", "12345678200010")),
        ("123 456 782 00010", ("123456782", "12345678200010")),
        ("123456782", ("123456782", "")),
        ("123.456.782", ("123456782", "")),
        ("12345", ("", "")),
        ("RCS Paris 123456782", ("", "")),
        ("", ("", "")),
        (False, ("", "")),
    ],
)
def test_split_registry(value, expected):
    assert ids.split_registry(value) == expected


def test_looks_like_iban():
    assert ids.looks_like_iban("fr76 3000 6000 0112 3456 7890 189") == (
        "FR7630006000011234567890189"
    )
    assert ids.looks_like_iban("123456789") == ""
    assert ids.looks_like_iban(None) == ""


def test_bar_treatment():
    assert ids.bar_treatment(is_company=True, country_code="FR", siren="1") == "B2B"
    assert ids.bar_treatment(is_company=True, country_code="BE", siren="") == "B2BINT"
    assert ids.bar_treatment(is_company=False, country_code="FR", siren="") == "B2C"
    assert ids.bar_treatment(is_company=False, country_code="DE", siren="") == "B2CINT"
