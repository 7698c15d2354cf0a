"""Identifiers of French Factur-X parties, read from the way Odoo stores them.

Odoo 19 keeps a French company's SIRET (14 digits) or SIREN (9 digits) in
``company_registry`` (as ``l10n_fr_pdp`` reads it); the SIREN is the first
9 digits of the SIRET (BR-FR-09). Plain Python, no Odoo import.
"""

import re

_SPACES = re.compile(r"[\s.\-]")
_DIGITS = re.compile(r"^\d+$")
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$")


def split_registry(value) -> tuple[str, str]:
    """``(siren, siret)`` from a company registry value.

    14 digits: the SIRET and its first 9 digits; 9 digits: the SIREN alone;
    anything else: ``("", "")`` (not a French identifier). Spaces, dots and
    dashes are ignored.
    """
    text = _SPACES.sub("", value or "")
    if not _DIGITS.match(text):
        return "", ""
    if len(text) == 14:
        return text[:9], text
    if len(text) == 9:
        return text, ""
    return "", ""


def looks_like_iban(value) -> str:
    """The IBAN without spaces, upper case, when ``value`` has its shape; else ''."""
    text = re.sub(r"\s", "", value or "").upper()
    return text if _IBAN.match(text) else ""


def bar_treatment(*, is_company: bool, country_code: str, siren: str) -> str:
    """The BAR note (BR-FR-20) of a buyer: B2B for a French company with a
    SIREN, B2BINT for a company abroad, B2C for a person."""
    if not is_company:
        return "B2C" if (country_code or "FR") == "FR" else "B2CINT"
    if country_code == "FR" or siren:
        return "B2B"
    return "B2BINT"
