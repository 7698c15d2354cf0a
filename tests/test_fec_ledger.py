"""A small ledger written as a FEC, checked with zero findings, parsed back."""

import hashlib
import io
from datetime import date
from decimal import Decimal

import pytest
from ledger_export_tools import canonical, fec, fec_check, text
from ledger_export_tools.canonical import FecLine
from ledger_export_tools.exceptions import MalformedFileError

D = Decimal
Z = D("0.00")
SIREN = "732829320"
YEAR = (date(2024, 1, 1), date(2024, 12, 31))


def item(
    journal, journal_label, number, day, account, account_label, debit, credit, **extra
):
    return FecLine(
        journal,
        journal_label,
        number,
        day,
        account,
        account_label,
        extra.get("aux"),
        extra.get("aux_label"),
        extra.get("ref", number),
        extra.get("piece_date", day),
        extra.get("label"),
        debit,
        credit,
        extra.get("let"),
        extra.get("let_date"),
        day,
        extra.get("currency_amount"),
        extra.get("currency"),
    )


def opening():
    return canonical.opening_lines(
        [
            ("512000", "Banque", D("5000.00")),
            ("411000", "Clients", D("1200.00"), "C0001", "Dupont SA"),
            ("401000", "Fournisseurs", D("-800.00"), "F0001", "Durand SARL"),
            ("101000", "Capital", D("-4000.00")),
        ],
        YEAR[0],
        result_account=("120000", "Résultat de l'exercice"),
    )


def ledger():
    """Invoice, vendor bill, payment matched with the invoice, USD invoice, OD."""
    jan15, jan20, feb10, mar1, dec31 = (
        date(2024, 1, 15),
        date(2024, 1, 20),
        date(2024, 2, 10),
        date(2024, 3, 1),
        date(2024, 12, 31),
    )
    vt, ha, bq, od = "Ventes", "Achats", "Banque", "Opérations diverses"
    return [
        item("VT", vt, "INV/2024/00001", jan15, "411000", "Clients", D("1200"), Z,
             aux="C0002", aux_label="Martin & Fils", label="Facture Martin",
             let="A1", let_date=feb10),
        item("VT", vt, "INV/2024/00001", jan15, "706000", "Prestations de services",
             Z, D("1000"), label="Conseil | mars\n2024"),
        item("VT", vt, "INV/2024/00001", jan15, "445710", "TVA collectée", Z,
             D("200"), label="TVA 20 %"),
        item("HA", ha, "BILL/2024/00001", jan20, "607000", "Achats de marchandises",
             D("500"), Z, ref="FAC-778", piece_date=date(2024, 1, 18),
             label="Fournitures"),
        item("HA", ha, "BILL/2024/00001", jan20, "445660", "TVA déductible",
             D("100"), Z, ref="FAC-778", piece_date=date(2024, 1, 18)),
        item("HA", ha, "BILL/2024/00001", jan20, "401000", "Fournisseurs", Z,
             D("600"), aux="F0002", aux_label="Coopérative ‘Bio’ Œuvre",
             ref="FAC-778", piece_date=date(2024, 1, 18)),
        item("BQ", bq, "BNK1/2024/00001", feb10, "512000", "Banque", D("1200"), Z,
             ref=None, label="Paiement INV/2024/00001"),
        item("BQ", bq, "BNK1/2024/00001", feb10, "411000", "Clients", Z,
             D("1200"), aux="C0002", aux_label="Martin & Fils", ref=None,
             label="Paiement INV/2024/00001", let="A1", let_date=feb10),
        item("VT", vt, "INV/2024/00002", mar1, "411000", "Clients", D("920"), Z,
             aux="C0003", aux_label="Acme Inc.", label="Invoice USD",
             currency_amount=D("1000"), currency="USD"),
        item("VT", vt, "INV/2024/00002", mar1, "706000", "Prestations de services",
             Z, D("920"), label="Invoice USD", currency_amount=D("-1000"),
             currency="USD"),
        item("OD", od, "MISC/2024/00001", dec31, "681120", "Dotations", D("300"),
             Z, label="Amortissement 2024"),
        item("OD", od, "MISC/2024/00001", dec31, "281830", "Amortissements", Z,
             D("300"), label="Amortissement 2024"),
    ]  # fmt: skip


def write(**options):
    out = io.BytesIO()
    result = fec.write_fec(out, ledger(), opening(), fec.FecOptions(**options))
    return out.getvalue(), result


def expected_lines(encoding):
    """What a reader gets back: cleaned, transliterated, with the defaults."""
    transcoder = text.Transcoder(encoding)
    rows = []
    for row in [*opening(), *ledger()]:
        line = canonical.as_fec_line(row)
        values = list(line)
        for index in (0, 1, 2, 4, 5, 6, 7, 8, 10, 13, 17):
            value = transcoder.transliterate(text.clean_text(values[index]))
            values[index] = value or None
        line = FecLine(*values)
        rows.append(
            line._replace(
                piece_ref=line.piece_ref or "-",
                label=line.label or "/",
                piece_date=line.piece_date or line.entry_date,
                valid_date=line.valid_date or line.entry_date,
            )
        )
    return rows


ENCODINGS = ["iso8859-15", "utf-8", "ascii"]
SEPARATORS = ["|", "\t"]


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_ledger_passes_every_check(encoding, separator):
    data, result = write(encoding=encoding, separator=separator)
    report = fec_check.check_fec(
        data, filename=fec.fec_filename(SIREN, YEAR[1]), fiscal_year=YEAR
    )
    assert report.findings == []
    assert report.ok and report.error_count == report.warning_count == 0
    # detected from the first non-ASCII line; a pure ASCII file never needs it
    assert report.encoding == (None if encoding == "ascii" else encoding)
    assert report.separator == separator
    assert report.lines == result.lines == 17
    assert report.entries == 6
    assert report.total_debit == report.total_credit == result.total_debit
    assert result.total_debit == result.total_credit == D("10420.00")


def test_ledger_summary_per_journal_and_sequence():
    data, _result = write()
    report = fec_check.check_fec(data, fiscal_year=YEAR)
    journals = report.journals
    assert list(journals) == ["OUV", "VT", "HA", "BQ", "OD"]
    assert (journals["VT"].lines, journals["VT"].entries) == (5, 2)
    assert journals["VT"].debit == journals["VT"].credit == D("2120.00")
    assert journals["OUV"].label == "Balance initiale"
    sequences = {(s.journal, s.prefix): s for s in report.sequences}
    assert sequences[("VT", "INV/2024/")].first == 1
    assert sequences[("VT", "INV/2024/")].last == 2
    assert all(not s.gaps for s in report.sequences)
    summary = report.summary()
    assert summary["errors"] == 0 and summary["gaps"] == {}
    assert summary["journals"]["BQ"]["debit"] == "1200.00"


def test_opening_entries_come_first():
    data, _result = write()
    lines = data.decode("iso8859-15").split("\r\n")
    assert [x.split("|")[0] for x in lines[1:6]] == ["OUV"] * 5
    assert lines[1].split("|")[2] == "OUVERTURE/2024"
    assert lines[6].split("|")[0] == "VT"


def test_lettering_of_invoice_and_payment():
    data, _result = write()
    lettered = [
        line.split("|")
        for line in data.decode("iso8859-15").split("\r\n")
        if "|A1|" in line
    ]
    assert [(x[2], x[4], x[13], x[14]) for x in lettered] == [
        ("INV/2024/00001", "411000", "A1", "20240210"),
        ("BNK1/2024/00001", "411000", "A1", "20240210"),
    ]


def test_result_hash_and_size():
    data, result = write()
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.bytes_written == len(data)
    assert result.cleaned_values == 1  # "Conseil | mars\n2024"
    assert result.transliterated == 2  # the quotes of ‘Bio’


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_round_trip(encoding, separator):
    data, _result = write(encoding=encoding, separator=separator)
    assert list(fec.parse_fec(data)) == expected_lines(encoding)


def test_round_trip_keeps_unicode_in_utf8():
    data, _result = write(encoding="utf-8")
    parsed = list(fec.parse_fec(data))
    assert parsed[10].aux_label == "Coopérative ‘Bio’ Œuvre"
    assert parsed[6].label == "Conseil mars 2024"
    assert parsed[13].currency_amount == D("1000.00")
    assert parsed[14].currency_amount == D("-1000.00")


def test_written_file_checked_by_path(tmp_path):
    path = tmp_path / fec.fec_filename(SIREN, YEAR[1])
    with path.open("wb") as handle:
        fec.write_fec(handle, ledger(), opening())
    report = fec_check.check_fec(path, fiscal_year=YEAR)
    assert report.filename == "732829320FEC20241231.txt"
    assert report.findings == []
    assert len(list(fec.parse_fec(path))) == 17


def test_core_builder_style_file_passes():
    """Odoo's generate_fec: UTF-8, blank sign position, ``0,00`` unused side."""
    rows = [
        "VT|Ventes|INV/2024/00001|20240115|411000|Clients|C2|Martin|INV/2024/00001|"
        "20240115|Facture| 000000000001200,00|0,00|||20240115||",
        "VT|Ventes|INV/2024/00001|20240115|706000|Prestations|||INV/2024/00001|"
        "20240115|Facture|0,00| 000000000001200,00|||20240115||",
    ]
    data = "\r\n".join(["|".join(fec.FEC_COLUMNS), *rows, ""]).encode()
    report = fec_check.check_fec(data)
    assert report.findings == []
    assert report.total_debit == D("1200.00")
    assert [x.debit for x in fec.parse_fec(data)] == [D("1200.00"), D("0.00")]


def test_strict_parser_refuses_malformed_files():
    data, _result = write()
    with pytest.raises(MalformedFileError, match="Line 2: 19 fields"):
        list(fec.parse_fec(data.replace(b"|Banque|", b"|Ban|que|", 1)))
    with pytest.raises(MalformedFileError, match="Line 1: the header"):
        list(fec.parse_fec(data.replace(b"JournalLib", b"Journal")))
    with pytest.raises(MalformedFileError, match="not a calendar date"):
        list(fec.parse_fec(data.replace(b"20240115", b"20240135", 1)))
    with pytest.raises(MalformedFileError, match="not a FEC amount"):
        list(fec.parse_fec(data.replace(b"000000000005000,00", b"5000.00", 1)))
