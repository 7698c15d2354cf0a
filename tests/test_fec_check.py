"""ledger_export/tools/fec_check.py: each check provoked by a crafted file."""

import io
import random
from datetime import date

import pytest
from ledger_export_tools import fec, fec_check
from ledger_export_tools.exceptions import InvalidOptionError, InvalidValueError
from ledger_export_tools.fec_check import ERROR, INFO, WARNING

YEAR = (date(2024, 1, 1), date(2024, 12, 31))
COLUMNS = fec.FEC_COLUMNS


def rec(number="VT/2024/0001", day="20240115", debit="100,00", credit="0,00", **kw):
    """One FEC record as 18 strings; keyword names are FEC column names."""
    values = {
        "JournalCode": "VT",
        "JournalLib": "Ventes",
        "EcritureNum": number,
        "EcritureDate": day,
        "CompteNum": "411000",
        "CompteLib": "Clients",
        "CompAuxNum": "C1",
        "CompAuxLib": "Client 1",
        "PieceRef": number,
        "PieceDate": day,
        "EcritureLib": "Facture",
        "Debit": debit,
        "Credit": credit,
        "EcritureLet": "",
        "DateLet": "",
        "ValidDate": day,
        "Montantdevise": "",
        "Idevise": "",
    }
    values.update(kw)
    return [values[name] for name in COLUMNS]


def entry(number="VT/2024/0001", day="20240115", amount="100,00", **kw):
    """A balanced two-line entry: customer debit, revenue credit."""
    return [
        rec(number, day, amount, "0,00", **kw),
        rec(
            number,
            day,
            "0,00",
            amount,
            **{"CompteNum": "706000", "CompteLib": "Ventes", "CompAuxNum": "",
               "CompAuxLib": "", **kw},
        ),
    ]  # fmt: skip


def build(records, sep="|", header=COLUMNS, encoding="iso8859-15", end="\r\n"):
    lines = [sep.join(header)] + [
        sep.join(r) if isinstance(r, list) else r for r in records
    ]
    return end.join([*lines, ""]).encode(encoding)


def check(data, **kw):
    return fec_check.check_fec(data, **kw)


def only(report, code):
    return [f for f in report.findings if f.code == code]


def test_a_good_file_has_no_finding():
    report = check(build(entry() + entry("VT/2024/0002", "20240116")), fiscal_year=YEAR)
    assert report.findings == [] and report.counts == {}
    assert (report.lines, report.entries) == (4, 2)
    assert str(report.total_debit) == str(report.total_credit) == "200.00"


def test_every_finding_code_is_documented():
    assert set(fec_check.CHECKS) >= {"entry-unbalanced", "sequence-gap"}
    for severity, description in fec_check.CHECKS.values():
        assert severity in fec_check.SEVERITIES and description


# ----------------------------------------------------------------------
# Entries and numbering
# ----------------------------------------------------------------------


def test_unbalanced_entry():
    records = entry() + [
        rec("VT/2024/0002", "20240116", "100,00", "0,00"),
        rec("VT/2024/0002", "20240116", "0,00", "90,00", CompteNum="706000",
            CompAuxNum="", CompAuxLib=""),
    ]  # fmt: skip
    report = check(build(records))
    assert report.counts == {"entry-unbalanced": 1, "global-balance": 1}
    (finding,) = only(report, "entry-unbalanced")
    assert finding.severity == ERROR and finding.line == 4
    assert "VT/2024/0002" in finding.message and "difference 10.00" in finding.message
    assert not report.ok


def test_numbering_gaps_are_listed():
    records = []
    for number in (1, 2, 5, 6, 9):
        records += entry(f"VT/2024/{number:04d}")
    records += entry("RVT/2024/0001")  # credit notes: another sequence
    report = check(build(records))
    assert report.counts == {"sequence-gap": 2}
    assert report.ok  # a gap is explained in the description, it does not block
    assert {f.severity for f in report.findings} == {WARNING}
    (sequence,) = [s for s in report.sequences if s.prefix == "VT/2024/"]
    assert (sequence.first, sequence.last, sequence.count) == (1, 9, 5)
    assert sequence.gap_labels() == [
        "VT/2024/0003 to VT/2024/0004",
        "VT/2024/0008"[:-1] + "7 to VT/2024/0008",
    ]
    assert sequence.missing == 4
    assert report.summary()["gaps"] == {"VT VT/2024/": sequence.gap_labels()}
    assert (
        "VT/2024/0003 to VT/2024/0004 missing (2 numbers)" in report.findings[0].message
    )


def test_numbers_out_of_order_leave_no_gap():
    records = []
    for number in (3, 1, 2, 5, 4):
        records += entry(f"VT/2024/{number:04d}")
    report = check(build(records))
    assert report.counts == {}
    assert report.sequences[0].gaps == []


def test_gaps_are_per_journal():
    records = entry("2024/0001") + entry(
        "2024/0001", JournalCode="HA", JournalLib="Achats"
    )
    records += entry("2024/0003", JournalCode="HA", JournalLib="Achats")
    report = check(build(records))  # fmt: skip
    assert report.counts == {"sequence-gap": 1}
    assert "Journal HA: 2024/0002 missing (1 number)" in report.findings[0].message


def test_entry_split_or_number_reused():
    records = entry() + entry("VT/2024/0002") + entry()
    report = check(build(records))
    assert report.counts == {"entry-split": 1}
    assert only(report, "entry-split")[0].line == 6


def test_entry_number_without_digits():
    report = check(build(entry("FACTURE") + entry("AVOIR") + entry("FACTURE")))
    assert report.counts == {"sequence-unnumbered": 3, "entry-split": 1}


def test_lines_of_one_entry_with_different_dates():
    records = entry()
    records[1][COLUMNS.index("EcritureDate")] = "20240116"
    report = check(build(records))
    assert report.counts == {"entry-date": 1}


# ----------------------------------------------------------------------
# Debit and credit
# ----------------------------------------------------------------------


def test_both_debit_and_credit():
    records = [
        rec(debit="100,00", credit="50,00"),
        rec(debit="0,00", credit="50,00", CompteNum="706000", CompAuxNum="",
            CompAuxLib=""),
    ]  # fmt: skip
    report = check(build(records))
    assert report.counts == {"debit-and-credit": 1}
    assert only(report, "debit-and-credit")[0].line == 2


def test_neither_debit_nor_credit():
    records = [*entry(), rec(debit="0,00", credit="", CompteNum="706000")]
    report = check(build(records))
    assert report.counts == {"zero-amount": 1, "required": 1, "aux-account": 1}
    assert only(report, "required")[0].column == "Credit"


@pytest.mark.parametrize(
    "amount, reason",
    [
        ("100.00", "uses a dot"),
        ("1 000,00", "thousands separator"),
        ("1.000,00", "thousands separator"),
        ("1\u00a0000,00", "thousands separator"),
        ("100,00 EUR", "not a number"),
        ("1e2", "not a number"),
    ],
)
def test_amount_format(amount, reason):
    report = check(build(entry(amount=amount)))
    assert report.counts == {"amount-format": 2}
    assert reason in report.findings[0].message
    assert report.findings[0].column == "Debit"


def test_amounts_as_odoo_core_writes_them_are_accepted():
    report = check(
        build(entry(amount=" 000000000000100,00") + entry("VT/2024/0002", amount="7"))
    )
    assert report.counts == {}


def test_negative_debit_or_credit():
    report = check(build(entry(amount="-100,00")))
    assert report.counts == {"negative-amount": 2}


def test_signed_foreign_currency_amount_is_fine():
    records = entry(Montantdevise="-00000000000110,00", Idevise="USD")
    assert check(build(records)).counts == {}


# ----------------------------------------------------------------------
# Dates
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "column, value, reason",
    [
        ("EcritureDate", "2024-01-15", "not in the format AAAAMMJJ"),
        ("EcritureDate", "15/01/2024", "not in the format AAAAMMJJ"),
        ("PieceDate", "20240230", "not a calendar date"),
        ("ValidDate", "2024011", "not in the format AAAAMMJJ"),
        ("DateLet", "20241301", "not a calendar date"),
    ],
)
def test_bad_dates(column, value, reason):
    extra = {"EcritureLet": "A1"} if column == "DateLet" else {}
    report = check(build(entry(**{column: value, **extra})))
    assert report.counts == {"date-format": 2}
    finding = report.findings[0]
    assert finding.column == column and reason in finding.message
    assert finding.line == 2


def test_dates_outside_the_fiscal_year():
    records = entry(day="20231231") + entry("VT/2024/0002", day="20240102")
    report = check(build(records), fiscal_year=YEAR)
    assert report.counts == {"date-range": 2}


def test_chronological_order():
    records = entry(day="20240210") + entry("VT/2024/0002", day="20240205")
    report = check(build(records))
    assert report.counts == {"chronology": 2}
    assert "on line 3" in report.findings[0].message


def test_opening_entries_come_first():
    opening = entry(
        "OUVERTURE/2024", "20240101", JournalCode="OUV", JournalLib="Balance initiale"
    )
    good = check(build(opening + entry()), fiscal_year=YEAR)
    assert good.counts == {}
    late = check(build(entry(day="20240101") + opening))
    assert late.counts == {"opening-order": 2}  # fmt: skip


def test_opening_entry_dated_the_first_day():
    opening = entry(
        "OUVERTURE/2024", "20240102", JournalCode="OUV", JournalLib="Balance initiale"
    )
    report = check(build(opening), fiscal_year=YEAR)  # fmt: skip
    assert report.counts == {"opening-date": 2}
    report = check(build(opening), opening_journals=("AN",))
    assert report.counts == {}


def test_fiscal_year_must_be_a_pair_of_dates():
    with pytest.raises(InvalidOptionError, match="fiscal year"):
        check(build(entry()), fiscal_year=(date(2024, 12, 31), date(2024, 1, 1)))


# ----------------------------------------------------------------------
# Values
# ----------------------------------------------------------------------


def test_missing_mandatory_value():
    report = check(build(entry(EcritureLib=" ", PieceRef="")))
    assert report.counts == {"required": 4}
    assert {f.column for f in report.findings} == {"EcritureLib", "PieceRef"}


def test_account_must_start_with_three_digits():
    records = entry()
    records[1][COLUMNS.index("CompteNum")] = "VTE706"
    report = check(build(records))
    assert report.counts == {"account-prefix": 1}


@pytest.mark.parametrize("account", ["801000", "906000", "000706"])
def test_account_classes_8_and_9(account):
    records = entry()
    records[1][COLUMNS.index("CompteNum")] = account
    report = check(build(records))
    assert report.counts == {"account-class": 1}


def test_sub_ledger_account_on_every_line():
    records = entry()
    records[1][COLUMNS.index("CompAuxNum")] = "C1"
    records[1][COLUMNS.index("CompAuxLib")] = "Client 1"
    report = check(build(records))
    assert report.counts == {"aux-account": 1}
    assert report.ok


def test_sub_ledger_number_and_label_go_together():
    report = check(build(entry(CompAuxLib="")[:1] + entry()[1:]))
    assert report.counts == {"aux-pair": 1}


def test_lettering_code_needs_its_date():
    records = entry()
    records[0][COLUMNS.index("EcritureLet")] = "A1"
    records[1][COLUMNS.index("DateLet")] = "20240201"
    report = check(build(records))
    assert report.counts == {"lettering-date": 2}
    assert [f.column for f in report.findings] == ["DateLet", "EcritureLet"]


def test_currency_amount_and_code_go_together():
    report = check(build(entry(Montantdevise="000000000000110,00")))
    assert report.counts == {"currency-pair": 2}


def test_one_label_per_journal():
    records = entry() + entry("VT/2024/0002", JournalLib="Ventes France")
    report = check(build(records))
    assert report.counts == {"journal-label": 1}


# ----------------------------------------------------------------------
# Structure: header, columns, separators, encodings
# ----------------------------------------------------------------------


def test_wrong_column_count():
    records = entry() + [rec("VT/2024/0002")[:17]]
    report = check(build(records))
    (finding,) = only(report, "column-count")
    assert finding.line == 4 and "17 fields instead of 18" in finding.message
    assert not report.ok


def test_label_with_a_pipe():
    records = entry(EcritureLib="Facture | mars")
    report = check(build(records))
    assert report.counts["column-count"] == 2
    finding = report.findings[0]
    assert "19 fields instead of 18" in finding.message
    assert "contains the separator '|'" in finding.message


def test_label_with_a_line_break():
    data = build(entry(EcritureLib="Facture\r\nmars"))
    report = check(data)
    assert report.counts["column-count"] == 4
    messages = [f.message for f in only(report, "column-count")]
    assert (
        "line break" in messages[1] and "lines 2 and 3 make one record" in messages[1]
    )


def test_tab_inside_a_value_of_a_pipe_file():
    report = check(build(entry(EcritureLib="Facture\tmars")))
    assert report.counts == {"value-separator": 2}
    assert report.findings[0].column == "EcritureLib"


def test_pipe_inside_a_value_of_a_tab_file():
    report = check(build(entry(CompteLib="Clients|France"), sep="\t"))
    assert report.separator == "\t"
    assert report.counts == {"value-separator": 2}


def test_tab_separated_file_passes():
    report = check(build(entry(), sep="\t"))
    assert report.counts == {} and report.separator == "\t"


@pytest.mark.parametrize("sep", [";", ","])
def test_refused_separators(sep):
    records = entry()
    if sep == ",":  # amounts without decimals, so that the file still splits
        records = [[value.replace(",00", "") for value in r] for r in records]
    report = check(build(records, sep=sep))
    assert report.counts == {"separator": 1}
    assert report.findings[0].line == 1


def test_header_with_a_missing_field():
    header = [name for name in COLUMNS if name != "Idevise"]
    report = check(build([r[:17] for r in entry()], header=header))
    assert report.counts == {"header": 1, "column-count": 2}
    assert "missing Idevise" in report.findings[0].message


def test_header_with_other_names_or_order():
    header = list(COLUMNS)
    header[11], header[12] = "Montant", "Sens"
    report = check(build(entry(), header=header))
    assert "unexpected Montant, Sens" in only(report, "header")[0].message
    header = list(COLUMNS)
    header[11], header[12] = header[12], header[11]
    report = check(build(entry(), header=header))
    assert "not in the standard order" in only(report, "header")[0].message


def test_header_case_only_is_a_warning():
    report = check(build(entry(), header=[name.upper() for name in COLUMNS]))
    assert report.counts == {"header-case": 1} and report.ok


def test_empty_files():
    assert check(build([])).counts == {"empty-file": 1}
    assert check(b"").counts == {"header": 1, "empty-file": 1}


def test_blank_line():
    data = build(entry()[:1] + [""] + entry()[1:])
    report = check(data)
    assert report.counts == {"blank-line": 1}
    assert report.findings[0].line == 3


def test_utf8_byte_order_mark_is_tolerated():
    data = fec.UTF8_BOM + build(entry(EcritureLib="Réglé"), encoding="utf-8")
    report = check(data)
    assert report.counts == {"bom": 1}
    assert report.findings[0].severity == INFO
    assert report.ok and report.bom and report.encoding == "utf-8"


@pytest.mark.parametrize("encoding", ["iso8859-15", "utf-8"])
def test_encoding_is_detected(encoding):
    report = check(build(entry(EcritureLib="Réglé 10 €"), encoding=encoding))
    assert report.counts == {} and report.encoding == encoding


def test_mixed_encodings():
    records = entry(EcritureLib="Réglé") + [
        "|".join(r).encode("iso8859-15")
        for r in entry("VT/2024/0002", EcritureLib="Été")
    ]
    data = build(records[:2], encoding="utf-8") + b"\r\n".join(records[2:]) + b"\r\n"
    report = check(data)
    assert report.counts == {"encoding": 2}
    assert report.findings[0].line == 4


def test_mixed_line_endings():
    data = build(entry()).replace(b"\r\n", b"\n", 1)
    report = check(data)
    assert report.counts == {"line-endings": 1}
    assert report.line_endings == ("\n", "\r\n")


def test_old_mac_line_endings_are_lines():
    report = check(build(entry(), end="\r"))
    assert report.counts == {} and report.lines == 2


# ----------------------------------------------------------------------
# File name
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, codes",
    [
        ("732829320FEC20241231.txt", []),
        ("/tmp/exports/732829320FEC20241231.txt", []),
        ("732829320FEC20241231", []),
        ("732829320FEC20241231-NONOFFICIAL.txt", ["filename-test"]),
        ("732829321FEC20241231.txt", ["filename-siren"]),
        ("FEC_2024.txt", ["filename"]),
        ("12345FEC20241231.txt", ["filename"]),
        ("732829320FEC20241332.txt", ["filename"]),
        ("732829320FEC20241231_v2.txt", ["filename"]),
        ("732829320FEC20240630.txt", ["filename"]),  # not the closing date
    ],
)
def test_file_name(name, codes):
    findings = fec_check.check_filename(name, closing_date=YEAR[1])
    assert [f.code for f in findings] == codes


def test_file_name_checked_with_the_file():
    report = check(build(entry()), filename="export.txt", fiscal_year=YEAR)
    assert report.counts == {"filename": 1} and not report.ok
    assert report.filename == "export.txt"


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------


def test_findings_are_capped_but_counted():
    records = []
    for number in range(1, 151):
        records += entry(f"VT/2024/{number:04d}", EcritureLet="A1")
    report = check(build(records), max_findings_per_code=10)
    assert report.counts == {"lettering-date": 300}
    assert len(report.findings) == 10
    assert report.error_count == 300
    assert report.summary()["counts"] == {"lettering-date": 300}


def test_finding_text():
    finding = fec_check.Finding(ERROR, "required", "EcritureLib is empty.", 7)
    assert str(finding) == "[error] required: line 7: EcritureLib is empty."


def test_check_accepts_a_file_object(tmp_path):
    path = tmp_path / "732829320FEC20241231.txt"
    path.write_bytes(build(entry()))
    with path.open("rb") as handle:
        report = check(handle)
        assert not handle.closed
    assert report.counts == {} and report.filename is None
    assert check(str(path)).filename == path.name


# ----------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------


def test_numbering_ranges_against_a_set():
    rng = random.Random(19)
    numbers = list(range(1, 400))
    for _ in range(150):
        numbers.remove(rng.choice(numbers))
    shuffled = numbers + rng.sample(numbers, 20)  # 20 numbers used twice
    rng.shuffle(shuffled)
    runs = fec_check._Runs(4)
    seen = set()
    for number in shuffled:
        assert runs.add(number) is (number not in seen)
        seen.add(number)
    missing = sorted(set(range(min(seen), max(seen) + 1)) - seen)
    gaps = [
        (runs.ends[index] + 1, runs.starts[index + 1] - 1)
        for index in range(len(runs.starts) - 1)
    ]
    assert [n for start, end in gaps for n in range(start, end + 1)] == missing


@pytest.mark.parametrize("chunk_size", range(1, 9))
def test_physical_lines_across_chunks(chunk_size):
    data = b"a|b\r\nc\rd\n\r\ne"
    lines = list(fec.iter_physical_lines(io.BytesIO(data), chunk_size))
    assert lines == [
        (b"a|b", b"\r\n"),
        (b"c", b"\r"),
        (b"d", b"\n"),
        (b"", b"\r\n"),
        (b"e", b""),
    ]


def test_a_file_without_line_breaks_is_read_in_bounded_pieces(monkeypatch):
    monkeypatch.setattr(fec, "MAX_LINE_BYTES", 100)
    pieces = list(fec.iter_physical_lines(io.BytesIO(b"x" * 1000), 64))
    assert b"".join(line for line, _end in pieces) == b"x" * 1000
    assert max(len(line) for line, _end in pieces) < 200


def test_reader_refuses_text_streams():
    with pytest.raises(InvalidValueError, match="binary mode"):
        check(io.StringIO("JournalCode|JournalLib\r\n"))
    with pytest.raises(InvalidValueError, match="binary file object"):
        check(12)


def test_amounts_parsed_once_are_still_checked_on_every_line():
    """Amounts met before come from a cache: each line is still checked."""
    records = [
        rec("VT/2024/0001", debit="-5,00", credit="0,00"),
        rec("VT/2024/0001", debit="0,00", credit="-5,00"),
        rec("VT/2024/0002", debit="-5,00", credit="0,00"),
        rec("VT/2024/0002", debit="0,00", credit="-5,00"),
    ]
    report = fec_check.check_fec(build(records), fiscal_year=YEAR)
    assert report.counts["negative-amount"] == 4
    assert report.total_debit == report.total_credit
