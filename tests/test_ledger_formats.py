"""ledger_export/tools/formats.py: generic CSV, EBP balance, Quadratus ASCII."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from ledger_export_tools import formats
from ledger_export_tools.canonical import FecLine
from ledger_export_tools.exceptions import (
    FieldOverflowError,
    InvalidOptionError,
    InvalidValueError,
)

D = Decimal
Z = D("0.00")
JAN15, FEB10 = date(2024, 1, 15), date(2024, 2, 10)


def item(journal, number, day, account, account_label, debit, credit, **extra):
    return FecLine(
        journal,
        {"VT": "Ventes", "BQ": "Banque"}[journal],
        number,
        day,
        account,
        account_label,
        extra.get("aux"),
        extra.get("aux_label"),
        extra.get("ref", number),
        day,
        extra.get("label"),
        debit,
        credit,
        extra.get("let"),
        extra.get("let_date"),
        day,
        extra.get("currency_amount"),
        extra.get("currency"),
    )


LEDGER = [
    item("VT", "INV/2024/00001", JAN15, "411000", "Clients", D("1200"), Z,
         aux="C0002", aux_label='Martin, Fils & "Cie"', label="Facture Martin",
         let="A1", let_date=FEB10),
    item("VT", "INV/2024/00001", JAN15, "706000", "Prestations de services", Z,
         D("1000"), label="Conseil; étude\r\nmarché"),
    item("VT", "INV/2024/00001", JAN15, "445710", "TVA collectée", Z, D("200")),
    item("BQ", "BNK1/2024/00001", FEB10, "512000", "Banque", D("1200"), Z,
         ref=None, label="Paiement Martin"),
    item("BQ", "BNK1/2024/00001", FEB10, "411000", "Clients", Z, D("1200"),
         aux="C0002", aux_label='Martin, Fils & "Cie"', label="Paiement Martin",
         let="A1", let_date=FEB10, currency_amount=D("-1300.5"), currency="USD"),
]  # fmt: skip


def written(writer, rows=LEDGER, options=None):
    out = io.BytesIO()
    result = writer(out, rows, options)
    return out.getvalue(), result


# ----------------------------------------------------------------------
# Generic CSV
# ----------------------------------------------------------------------


def test_csv_defaults():
    data, result = written(formats.write_csv)
    assert result.rows == 5 and result.encoding == "iso8859-15"
    text = data.decode("iso8859-15")
    lines = text.split("\r\n")
    assert lines[0] == ",".join(formats.DEFAULT_CSV_COLUMNS)
    assert lines[1] == (
        '15/01/2024,VT,INV/2024/00001,411000,Clients,C0002,"Martin, Fils & ""Cie""",'
        "INV/2024/00001,Facture Martin,1200.00,0.00,A1,,"
    )
    assert lines[2].endswith(",Conseil; étude marché,0.00,1000.00,,,")
    assert "TVA collectée".encode("iso8859-15") in data
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[5][-3:] == ["A1", "-1300.50", "USD"]
    assert len(rows) == 6 and {len(r) for r in rows} == {14}


def test_csv_french_settings():
    options = formats.CsvOptions(
        delimiter=";",
        decimal_separator=",",
        date_format="%Y-%m-%d",
        encoding="utf-8",
        quoting="all",
        line_end="\n",
    )
    data, _result = written(formats.write_csv, options=options)
    lines = data.decode().split("\n")
    assert lines[1] == (
        '"2024-01-15";"VT";"INV/2024/00001";"411000";"Clients";"C0002";'
        '"Martin, Fils & ""Cie""";"INV/2024/00001";"Facture Martin";"1200,00";'
        '"0,00";"A1";"";""'
    )


@pytest.mark.parametrize("delimiter", ["\t", "tab"])
def test_csv_tab_delimiter(delimiter):
    data, _result = written(
        formats.write_csv, options=formats.CsvOptions(delimiter=delimiter)
    )
    rows = list(csv.reader(io.StringIO(data.decode("iso8859-15")), delimiter="\t"))
    assert rows[2][8] == "Conseil; étude marché"


def test_csv_without_quoting_replaces_the_delimiter():
    options = formats.CsvOptions(delimiter=";", quoting="none", header_line=False)
    data, result = written(formats.write_csv, options=options)
    lines = data.decode("iso8859-15").split("\r\n")
    assert len(lines) == 6 and result.rows == 5
    assert lines[0].split(";")[6] == 'Martin, Fils & "Cie"'
    assert lines[1].split(";")[8] == "Conseil  étude marché"
    assert {len(line.split(";")) for line in lines[:-1]} == {14}


def test_csv_chosen_columns_and_headers():
    options = formats.CsvOptions(
        columns=("journal_name", "invoice_date", "balance", "empty",
                 "reconcile_date", "validation_date", "origin_currency_amount"),
        headers=("Journal", "Date pièce", "Solde", "", "Lettrage", "Validation",
                 "Devise"),
        decimals=3,
    )  # fmt: skip
    data, _result = written(formats.write_csv, options=options)
    rows = list(csv.reader(io.StringIO(data.decode("iso8859-15"))))
    assert rows[0] == [
        "Journal",
        "Date pièce",
        "Solde",
        "",
        "Lettrage",
        "Validation",
        "Devise",
    ]
    assert rows[1] == [
        "Ventes",
        "15/01/2024",
        "1200.000",
        "",
        "10/02/2024",
        "15/01/2024",
        "",
    ]
    assert rows[5][2] == "-1200.000" and rows[5][6] == "-1300.500"


def test_csv_ascii_transliterates():
    data, result = written(
        formats.write_csv, options=formats.CsvOptions(encoding="ascii")
    )
    assert b"Conseil; etude marche" in data and b"TVA collectee" in data
    assert result.transliterated == 3 and result.replaced == 0  # é é é


@pytest.mark.parametrize(
    "options, message",
    [
        ({"columns": ("date", "amount")}, "Unknown CSV columns"),
        ({"columns": ()}, "at least one column"),
        ({"headers": ("Date",)}, "header labels"),
        ({"delimiter": "/"}, "delimiter"),
        ({"decimal_separator": ";"}, "decimal separator"),
        ({"quoting": "some"}, "Quoting"),
        ({"quoting": "none", "decimal_separator": ","}, "must differ"),
        ({"date_format": "YYYY-MM-DD"}, "strftime"),
        ({"decimals": 9}, "Decimals"),
        ({"encoding": "nope"}, "Unknown encoding"),
        ({"line_end": "\n\n"}, "CR and/or LF"),
    ],
)
def test_csv_invalid_options(options, message):
    with pytest.raises(InvalidOptionError, match=message):
        formats.CsvOptions(**options)


def test_csv_refuses_malformed_rows():
    with pytest.raises(InvalidValueError, match="18 values"):
        written(formats.write_csv, rows=[("VT",)])


# ----------------------------------------------------------------------
# EBP trial balance
# ----------------------------------------------------------------------


def test_ebp_balance():
    data, result = written(formats.write_ebp_balance)
    assert result.rows == 4 and result.encoding == "utf-8"
    assert data.decode().split("\r\n") == [
        '"Compte.Numero","Compte.Intitule","Balance.SldCptNDebit",'
        '"Balance.SldCptNCredit","Balance.SldCptNSoldeD","Balance.SldCptNSolde"',
        '"411000","Clients",1200.00,1200.00,0.00,0.00',
        '"445710","TVA collectée",0.00,200.00,0.00,200.00',
        '"512000","Banque",1200.00,0.00,1200.00,0.00',
        '"706000","Prestations de services",0.00,1000.00,0.00,1000.00',
        "",
    ]


def test_trial_balance_rows():
    rows = formats.trial_balance(LEDGER)
    assert [r.account_code for r in rows] == ["411000", "445710", "512000", "706000"]
    assert (rows[2].debit_balance, rows[2].credit_balance) == (D("1200.00"), Z)
    assert (rows[3].debit_balance, rows[3].credit_balance) == (Z, D("1000.00"))


def test_ebp_from_balance_rows_with_quotes_and_encoding():
    rows = [formats.BalanceRow('401"A"', "Fournisseurs «Bio»", D("10"), D("25.555"))]
    options = formats.EbpOptions(encoding="cp1252", line_end="\n")
    data, _result = written(formats.write_ebp_balance, rows, options)
    assert data.decode("cp1252").split("\n")[1] == (
        '"401""A""","Fournisseurs «Bio»",10.00,25.56,0.00,15.56'
    )


def test_ebp_needs_accounts():
    row = LEDGER[0]._replace(account_code="")
    with pytest.raises(InvalidValueError, match="without account"):
        written(formats.write_ebp_balance, [row])


# ----------------------------------------------------------------------
# Quadratus
# ----------------------------------------------------------------------

OFFSETS = {}
_position = 0
for _name, _width in formats.QUADRA_M_LAYOUT:
    OFFSETS[_name] = (_position, _position + _width)
    _position += _width


def field(record, name):
    start, end = OFFSETS[name]
    return record[start:end]


def records(rows=LEDGER, **options):
    data, result = written(formats.write_quadra, rows, formats.QuadraOptions(**options))
    lines = data.decode("ascii").split("\r\n")
    assert lines[-1] == ""
    return lines[:-1], result


def test_quadra_record_layout():
    assert formats.QUADRA_RECORD_WIDTH == OFFSETS["entry_number"][1]
    lines, result = records()
    assert result.rows == 5
    assert {len(line) for line in lines} == {formats.QUADRA_RECORD_WIDTH}
    first = lines[0]
    assert first[0] == "M"
    assert field(first, "account") == "C0002   "  # the customer's account
    assert field(first, "journal") == "VT"
    assert field(first, "folio") == "000"
    assert field(first, "date") == "150124"  # JJMMAA
    assert field(first, "free_label") == "Facture Martin      "
    assert field(first, "direction") + field(first, "sign") == "D+"
    assert field(first, "amount") == "000000120000"  # cents
    assert field(first, "piece_ref") == "INV/2024"  # cut to 8 characters
    assert field(first, "journal3") == "VT "
    assert field(first, "label").rstrip() == "Facture Martin"
    assert field(first, "entry_number").rstrip() == "INV/2024/00001"
    assert field(first, "lettering") == "  "
    assert field(first, "currency") == "   "


def test_quadra_credit_currency_and_cut_labels():
    lines, _result = records()
    second, fifth = lines[1], lines[4]
    assert field(second, "account") == "706000  "
    assert field(second, "direction") == "C"
    assert field(second, "amount") == "000000100000"
    assert field(second, "free_label") == "Conseil; etude march"  # 20 characters
    assert field(second, "label") == "Conseil; etude marche         "
    assert field(fifth, "currency") == "USD"
    assert field(fifth, "journal") == "BQ"


def test_quadra_general_account_on_request():
    lines, _result = records(use_aux_account=False)
    assert field(lines[0], "account") == "411000  "


def test_quadra_transliterates_to_ascii():
    row = LEDGER[0]._replace(label="Œuvre « spéciale » – 2024")
    lines, result = records([row])
    assert field(lines[0], "label").rstrip() == 'OEuvre " speciale " - 2024'
    assert result.transliterated == 5  # Œ « é » –


def test_quadra_single_byte_encodings_only():
    with pytest.raises(InvalidOptionError, match="not allowed"):
        formats.QuadraOptions(encoding="utf-8")
    out = io.BytesIO()
    formats.write_quadra(out, LEDGER, formats.QuadraOptions(encoding="cp1252"))
    assert "étude".encode("cp1252") in out.getvalue()
    assert len(out.getvalue()) == 5 * (formats.QUADRA_RECORD_WIDTH + 2)


def test_quadra_never_cuts_identifiers():
    with pytest.raises(FieldOverflowError, match="8 characters"):
        records([LEDGER[1]._replace(account_code="706000000")])
    bank = [
        LEDGER[3]._replace(journal_code="BNK1"),
        LEDGER[3]._replace(journal_code="BNK2"),
    ]
    with pytest.raises(FieldOverflowError, match="journal_codes"):
        records(bank)
    lines, _result = records(bank, journal_codes={"BNK1": "B1", "BNK2": "B2"})
    assert [field(x, "journal") for x in lines] == ["B1", "B2"]
    assert [field(x, "journal3") for x in lines] == ["   ", "   "]
    with pytest.raises(FieldOverflowError, match="12 digits"):
        records([LEDGER[0]._replace(debit=D("10000000000"))])


def test_quadra_invalid_options_and_rows():
    with pytest.raises(InvalidOptionError, match="1 or 2 characters"):
        formats.QuadraOptions(journal_codes={"BNK1": "BNK"})
    with pytest.raises(InvalidValueError, match="without date"):
        records([LEDGER[0]._replace(entry_date=None)])


def test_csv_keeps_pipes_but_not_line_breaks():
    row = LEDGER[0]._replace(label="Lot A|B\n\tsuite")
    data, _result = written(formats.write_csv, rows=[row])
    rows = list(csv.reader(io.StringIO(data.decode("iso8859-15"))))
    assert rows[1][8] == "Lot A|B suite"
    options = formats.CsvOptions(delimiter="|", quoting="none")
    data, _result = written(formats.write_csv, rows=[row], options=options)
    assert data.decode("iso8859-15").split("\r\n")[1].split("|")[8] == "Lot A B suite"
