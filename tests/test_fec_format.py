"""ledger_export/tools/fec.py: column formats, options, file name (fec.md §2–3)."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from ledger_export_tools import canonical, fec, text
from ledger_export_tools.canonical import FecLine
from ledger_export_tools.exceptions import (
    InvalidOptionError,
    InvalidSirenError,
    InvalidValueError,
    LedgerExportError,
)

D = Decimal
HEADER = (
    "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|"
    "CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|"
    "EcritureLet|DateLet|ValidDate|Montantdevise|Idevise"
)


def line(**changes):
    values = {
        "journal_code": "VT",
        "journal_label": "Ventes",
        "entry_number": "INV/2024/00001",
        "entry_date": date(2024, 3, 5),
        "account_code": "411000",
        "account_label": "Clients",
        "aux_account": "C0042",
        "aux_label": "Dupont SA",
        "piece_ref": "F-2024-001",
        "piece_date": date(2024, 3, 4),
        "label": "Facture Dupont",
        "debit": D("3000.00"),
        "credit": D("0.00"),
        "matching_code": "A12",
        "matching_date": date(2024, 4, 2),
        "valid_date": date(2024, 3, 6),
        "currency_amount": None,
        "currency_code": None,
    }
    values.update(changes)
    return FecLine(**values)


def write(rows, **options):
    out = io.BytesIO()
    result = fec.write_fec(out, rows, options=fec.FecOptions(**options))
    return out.getvalue(), result


def fields(row, **options):
    data, _result = write([row], **options)
    encoding = fec.FecOptions(**options).encoding
    lines = data.decode(encoding).split(fec.FecOptions(**options).line_end)
    return lines[1].split(fec.FecOptions(**options).separator)


# ----------------------------------------------------------------------
# Dates and amounts
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (date(2024, 2, 29), "20240229"),
        (datetime(2024, 12, 31, 23, 59), "20241231"),
        ("2024-01-05", "20240105"),
        ("2024-01-05 10:00:00+01", "20240105"),
        (None, ""),
        ("", ""),
    ],
)
def test_format_date(value, expected):
    assert fec.format_date(value) == expected


@pytest.mark.parametrize("value", ["05/01/2024", "20240105", 20240105, "2024-02-30"])
def test_format_date_refuses_other_forms(value):
    with pytest.raises(InvalidValueError, match="not a date"):
        fec.format_date(value)


@pytest.mark.parametrize(
    "value, expected",
    [
        (D("3000"), "000000000003000,00"),
        (D("3000.00"), "000000000003000,00"),
        (D("0.005"), "000000000000000,01"),  # half up, not banker's rounding
        (D("1234.565"), "000000000001234,57"),
        (1234, "000000000001234,00"),
        (0.1 + 0.2, "000000000000000,30"),
        ("1234.5", "000000000001234,50"),
        (None, "000000000000000,00"),
        (D("-3000"), "-00000000003000,00"),
        (D("1234567890123456.78"), "1234567890123456,78"),  # never cut
    ],
)
def test_format_amount(value, expected):
    assert fec.format_amount(value) == expected
    assert "." not in expected and " " not in expected


def test_format_amount_width():
    assert fec.format_amount(D("3000"), width=0) == "3000,00"
    assert fec.format_amount(D("-3000"), width=0) == "-3000,00"
    assert fec.format_amount(D("5"), width=10) == "0000005,00"


@pytest.mark.parametrize("value", ["12,50", "abc", True, D("NaN"), float("inf"), []])
def test_format_amount_refuses_non_numbers(value):
    with pytest.raises(InvalidValueError):
        fec.format_amount(value)


# ----------------------------------------------------------------------
# The 18 columns
# ----------------------------------------------------------------------


def test_header_is_the_18_field_names_in_order():
    data, result = write([])
    assert data == (HEADER + "\r\n").encode()
    assert len(fec.FEC_COLUMNS) == 18
    assert result.lines == 0


def test_each_column_of_a_line():
    assert fields(line()) == [
        "VT",
        "Ventes",
        "INV/2024/00001",
        "20240305",
        "411000",
        "Clients",
        "C0042",
        "Dupont SA",
        "F-2024-001",
        "20240304",
        "Facture Dupont",
        "000000000003000,00",
        "000000000000000,00",  # the unused side is zero, never blank
        "A12",
        "20240402",
        "20240306",
        "",
        "",
    ]


def test_defaults_of_optional_and_mandatory_values():
    values = fields(
        line(
            aux_account=None,
            aux_label=None,
            piece_ref="",
            piece_date=None,
            label=None,
            debit=None,
            credit=D("12.3"),
            matching_code=None,
            matching_date=None,
            valid_date=None,
        )
    )
    assert values[6:8] == ["", ""]
    assert values[8] == "-"  # PieceRef is mandatory: Odoo writes "-"
    assert values[9] == "20240305"  # PieceDate defaults to EcritureDate
    assert values[10] == "/"  # EcritureLib is mandatory: Odoo writes "/"
    assert values[11:13] == ["000000000000000,00", "000000000000012,30"]
    assert values[13:15] == ["", ""]  # DateLet blank without matching
    assert values[15] == "20240305"  # ValidDate: Odoo writes move.date


def test_foreign_currency_amount_is_signed():
    values = fields(line(currency_amount=D("-3250.5"), currency_code="USD"))
    assert values[16:] == ["-00000000003250,50", "USD"]
    values = fields(line(currency_amount="3250.50", currency_code="USD"))
    assert values[16:] == ["000000000003250,50", "USD"]


def test_amount_width_option():
    values = fields(line(), amount_width=0)
    assert values[11:13] == ["3000,00", "0,00"]


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("Dupont | Fils", "Dupont Fils"),
        ("Facture\r\nDupont", "Facture Dupont"),
        ("Facture\nDupont\n", "Facture Dupont"),
        ("a\tb", "a b"),
        ("a\x00b\x1fc\x85d", "a b c d"),
        ("ligne\u2028suivante", "ligne suivante"),
        ("  espaces  ", "espaces"),
    ],
)
def test_values_are_cleaned_of_separators_and_line_breaks(raw, cleaned):
    assert text.clean_text(raw) == cleaned
    values = fields(line(label=raw, account_label=raw, aux_label=raw))
    assert values[10] == values[5] == values[7] == cleaned
    assert len(values) == 18


def test_cleaned_values_are_counted():
    _data, result = write([line(label="a|b", piece_ref="x\ny"), line()])
    assert result.cleaned_values == 2


def test_non_text_values_are_written_as_text():
    values = fields(line(account_code=411000, aux_account=42))
    assert values[4] == "411000" and values[6] == "42"


# ----------------------------------------------------------------------
# Encodings and separators
# ----------------------------------------------------------------------


def test_default_encoding_is_iso_8859_15():
    data, result = write([line(label="Réglé 100 € œuvre")])
    assert result.encoding == "iso8859-15"
    assert "Réglé 100 € œuvre".encode("iso8859-15") in data
    assert b"\xa4" in data and b"\xbd" in data  # euro and oe in ISO 8859-15
    assert result.transliterated == result.replaced == 0


def test_characters_outside_iso_8859_15_are_transliterated():
    label = "L’offre “spéciale” – 3…5 ā ﬁn"
    data, result = write([line(label=label)])
    assert fields(line(label=label))[10] == 'L\'offre "spéciale" - 3...5 a fin'
    assert result.transliterated == 7  # ’ “ ” – … ā ﬁ
    assert result.replaced == 0
    data.decode("iso8859-15")


def test_untransliterable_characters_are_replaced_and_reported():
    data, result = write([line(label="Client 漢字 ok", aux_label="漢")])
    assert b"Client ?? ok" in data
    assert result.replaced == 3
    assert result.replaced_samples == ["漢", "字"]


def test_transliteration_never_introduces_a_separator():
    # FULLWIDTH VERTICAL LINE decomposes to "|"
    assert text.Transcoder("ascii").transliterate("a\uff5cb") == "a?b"


def test_utf8_keeps_every_character():
    label = "L’offre “spéciale” 漢字 €"
    data, result = write([line(label=label)], encoding="utf-8")
    assert label.encode() in data
    assert not data.startswith(fec.UTF8_BOM)
    assert result.transliterated == result.replaced == 0


def test_utf8_byte_order_mark_on_request():
    data, _result = write([line()], encoding="UTF-8", bom=True)
    assert data.startswith(fec.UTF8_BOM + b"JournalCode|")


def test_ascii_transliterates_accents_and_symbols():
    data, result = write([line(label="Réglé 100 € Œuvre à Noël")], encoding="ascii")
    assert b"Regle 100 EUR OEuvre a Noel" in data
    assert result.replaced == 0


@pytest.mark.parametrize("alias", ["ISO-8859-15", "iso8859_15", "latin9", "L9"])
def test_encoding_aliases(alias):
    assert fec.FecOptions(encoding=alias).encoding == "iso8859-15"


@pytest.mark.parametrize("separator", ["\t", "tab"])
def test_tab_separator(separator):
    data, _result = write([line(label="a\tb|c")], separator=separator)
    header, row, end = data.decode("iso8859-15").split("\r\n")
    assert header == HEADER.replace("|", "\t")
    assert row.split("\t")[10] == "a b c"
    assert len(row.split("\t")) == 18 and end == ""


def test_line_end_option():
    data, _result = write([line()], line_end="\n")
    assert data.count(b"\n") == 2 and b"\r" not in data


@pytest.mark.parametrize(
    "options, message",
    [
        ({"separator": ";"}, "refused"),
        ({"separator": ","}, "refused"),
        ({"separator": "/"}, "'|' or a tab"),
        ({"encoding": "cp1252"}, "not allowed"),
        ({"encoding": "klingon"}, "Unknown encoding"),
        ({"bom": True}, "byte order mark"),
        ({"line_end": "\r\r"}, "CR and/or LF"),
        ({"amount_width": -1}, "amount width"),
    ],
)
def test_invalid_options(options, message):
    with pytest.raises(InvalidOptionError, match=message):
        fec.FecOptions(**options)


def test_errors_are_value_errors():
    assert issubclass(InvalidOptionError, LedgerExportError)
    assert issubclass(LedgerExportError, ValueError)


# ----------------------------------------------------------------------
# Bad rows
# ----------------------------------------------------------------------


def test_row_with_wrong_length():
    with pytest.raises(InvalidValueError, match="18 values, not 3"):
        write([("VT", "Ventes", "X")])


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"entry_date": "05/03/2024"}, "entry_date"),
        ({"matching_date": 20240305}, "matching_date"),
        ({"debit": "1 000,00"}, "debit"),
        ({"credit": object()}, "credit"),
        ({"currency_amount": "n/a"}, "currency_amount"),
    ],
)
def test_unformattable_values_raise(changes, message):
    with pytest.raises(InvalidValueError, match=message):
        write([line(**changes)])


# ----------------------------------------------------------------------
# Canonical rows
# ----------------------------------------------------------------------


def test_rows_as_copy_text_are_accepted():
    row = (
        "VT",
        "Ventes",
        "INV/2024/00001",
        "2024-03-05",
        "411000",
        "Clients",
        "C0042",
        "Dupont SA",
        "F-2024-001",
        "2024-03-04",
        "Facture Dupont",
        "3000.00",
        "0.00",
        "A12",
        "2024-04-02",
        "2024-03-06",
        None,
        None,
    )
    assert write([row])[0] == write([line()])[0]
    assert canonical.as_fec_line(row) == line()


def test_as_fec_line_types_and_blanks():
    typed = canonical.as_fec_line(
        line(aux_account="", debit=1, credit=None, currency_amount="1.005")
    )
    assert typed.aux_account is None
    assert typed.debit == D("1.00") and typed.credit == D("0.00")
    assert typed.currency_amount == D("1.01")


# ----------------------------------------------------------------------
# File name and SIREN
# ----------------------------------------------------------------------


def test_file_name():
    assert fec.fec_filename("732829320", date(2024, 12, 31)) == (
        "732829320FEC20241231.txt"
    )
    assert fec.fec_filename("732 829 320", "2025-03-31", official=False) == (
        "732829320FEC20250331-NONOFFICIAL.txt"
    )
    assert fec.fec_filename("732829320", date(2024, 12, 31), extension=".csv") == (
        "732829320FEC20241231.csv"
    )


@pytest.mark.parametrize("siren", ["73282932", "7328293201", "ABC829320", "", None])
def test_file_name_needs_a_siren(siren):
    with pytest.raises(InvalidSirenError, match="9 digits"):
        fec.fec_filename(siren, date(2024, 12, 31))


def test_file_name_needs_a_closing_date():
    with pytest.raises(InvalidValueError, match="closing date"):
        fec.fec_filename("732829320", None)
    with pytest.raises(InvalidOptionError, match="extension"):
        fec.fec_filename("732829320", date(2024, 12, 31), extension="txt/")


def test_siren_from_vat():
    assert fec.siren_from_vat("FR44732829320") == "732829320"
    assert fec.siren_from_vat("fr 44 732 829 320") == "732829320"
    with pytest.raises(InvalidSirenError, match="key"):
        fec.siren_from_vat("FR45732829320")
    for vat in ("BE0477472701", "FR4473282932", None):
        with pytest.raises(InvalidSirenError, match="French VAT"):
            fec.siren_from_vat(vat)


def test_siren_from_registry():
    assert fec.siren_from_registry("RCS Paris 732 829 320") == "732829320"
    assert fec.siren_from_registry("732 829 320 00074") == "732829320"
    with pytest.raises(InvalidSirenError):
        fec.siren_from_registry("RCS Saint-Denis B 12345")


def test_siren_luhn_check():
    assert fec.siren_is_valid("732829320")
    assert fec.siren_is_valid("542065479")
    assert not fec.siren_is_valid("732829321")
    assert not fec.siren_is_valid("12345")


# ----------------------------------------------------------------------
# Opening entry
# ----------------------------------------------------------------------


def test_opening_lines_as_odoo_builds_them():
    lines = list(
        canonical.opening_lines(
            [
                ("512000", "Banque", D("1500.00")),
                ("411000", "Clients", D("300.00"), "C0042", "Dupont SA"),
                ("401000", "Fournisseurs", D("0")),
                ("101000", "Capital", "-1000"),
                ("120000", "Résultat", D("-100.00")),
            ],
            date(2024, 1, 1),
            result_account=("120000", "Résultat"),
        )
    )
    assert [(x.account_code, x.debit, x.credit) for x in lines] == [
        ("512000", D("1500.00"), D("0.00")),
        ("411000", D("300.00"), D("0.00")),
        ("101000", D("0.00"), D("1000.00")),
        ("120000", D("0.00"), D("800.00")),  # its balance plus the result
    ]
    first = lines[0]
    assert (first.journal_code, first.journal_label) == ("OUV", "Balance initiale")
    assert first.entry_number == "OUVERTURE/2024"
    assert first.entry_date == first.piece_date == first.valid_date == date(2024, 1, 1)
    assert (first.piece_ref, first.label) == ("-", "/")
    assert lines[1].aux_account == "C0042"


def test_opening_lines_must_balance_without_result_account():
    balances = [("512000", "Banque", D("10")), ("101000", "Capital", D("-9"))]
    with pytest.raises(InvalidValueError, match="do not balance"):
        list(canonical.opening_lines(balances, date(2024, 1, 1)))
    balanced = [("512000", "Banque", D("10")), ("101000", "Capital", D("-10"))]
    lines = list(canonical.opening_lines(balanced, "2024-07-01", entry_number="AN"))
    assert [x.entry_number for x in lines] == ["AN", "AN"]
