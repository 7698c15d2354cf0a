"""Accountants' formats built from the canonical extract (readme/DESCRIPTION.md).

Every writer takes the same rows as the FEC writer (:class:`~.canonical.FecLine`
or 18-value tuples, any iterable, consumed once) and writes bytes to a binary
file object in small batches. Text values never span lines: line breaks and
control characters become a space; characters the encoding lacks are
transliterated (see :mod:`.text`).

* :func:`write_csv`: generic journal-items CSV with settable columns,
  delimiter, decimal separator, date format, quoting and encoding. Column
  keys and defaults follow Akretion's ``account_move_export`` (field keys,
  ``%d/%m/%Y``, ``,`` delimiter, ``.`` decimals, minimal quoting, ISO 8859-15,
  header labels equal to the keys).
* :func:`write_ebp_balance`: EBP trial balance, as OCA/l10n-france
  ``account_balance_ebp_csv_export`` (16.0) writes it: header
  ``"Compte.Numero","Compte.Intitule","Balance.SldCptNDebit",
  "Balance.SldCptNCredit","Balance.SldCptNSoldeD","Balance.SldCptNSolde"``,
  account number and name quoted, amounts unquoted with a dot and two
  decimals, the credit balance as a positive number, ``,`` delimiter, UTF-8.
  Memory grows with the number of accounts only.
* :func:`write_quadra`: Quadratus "QC_ASC" fixed-width ASCII, one ``M``
  record per journal item: account (8 characters), journal (2), date
  (JJMMAA), D/C flag and amount in cents; the positions and widths follow
  the record layout of QC_ASC.doc (02/2015) as Akretion's
  ``account_move_export_quadra`` implements it (:data:`QUADRA_M_LAYOUT`).
"""

import csv
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .canonical import ZERO, as_fec_line
from .exceptions import FieldOverflowError, InvalidOptionError, InvalidValueError
from .text import Transcoder, clean_text, normalize_encoding, one_line

FLUSH_SIZE = 1 << 16
LINE_ENDS = ("\r\n", "\n", "\r")


@dataclass
class ExportResult:
    """What a writer produced."""

    rows: int = 0
    bytes_written: int = 0
    sha256: str = ""
    encoding: str = ""
    transliterated: int = 0
    replaced: int = 0
    replaced_samples: list = field(default_factory=list)


class _Sink:
    """Encode text, buffer up to FLUSH_SIZE bytes, hash and write to ``out``."""

    def __init__(self, out, encoding):
        self.out = out
        self.transcoder = Transcoder(encoding)
        self.result = ExportResult(encoding=self.transcoder.encoding)
        self._hash = hashlib.sha256()
        self._buffer = []
        self._size = 0

    def write(self, text):  # pylint: disable=method-required-super
        data = self.transcoder.encode(text)
        self._buffer.append(data)
        self._size += len(data)
        if self._size >= FLUSH_SIZE:
            self._flush()
        return len(text)

    def _flush(self):
        if self._buffer:
            chunk = b"".join(self._buffer)
            self.out.write(chunk)
            self._hash.update(chunk)
            self.result.bytes_written += len(chunk)
            self._buffer = []
            self._size = 0

    def close(self):
        self._flush()
        result = self.result
        result.sha256 = self._hash.hexdigest()
        result.transliterated = self.transcoder.transliterated
        result.replaced = self.transcoder.replaced
        result.replaced_samples = list(self.transcoder.samples)
        return result


def _check_line_end(line_end):
    if line_end not in LINE_ENDS:
        raise InvalidOptionError(f"Lines end with CR and/or LF, not {line_end!r}.")


def _decimal_text(number, decimals, separator="."):
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{number.quantize(quantum, ROUND_HALF_UP):.{decimals}f}"
    return text if separator == "." else text.replace(".", separator)


# ----------------------------------------------------------------------
# Generic CSV
# ----------------------------------------------------------------------

# key: (kind, FecLine attribute); keys as in Akretion's account_move_export
CSV_FIELDS = {
    "entry_number": ("text", "entry_number"),
    "date": ("date", "entry_date"),
    "invoice_date": ("date", "piece_date"),
    "journal_code": ("text", "journal_code"),
    "journal_name": ("text", "journal_label"),
    "account_code": ("text", "account_code"),
    "account_name": ("text", "account_label"),
    "partner_code": ("text", "aux_account"),
    "partner_name": ("text", "aux_label"),
    "item_label": ("text", "label"),
    "debit": ("amount", "debit"),
    "credit": ("amount", "credit"),
    "balance": ("balance", None),
    "entry_ref": ("text", "piece_ref"),
    "reconcile_ref": ("text", "matching_code"),
    "reconcile_date": ("date", "matching_date"),
    "validation_date": ("date", "valid_date"),
    "origin_currency_amount": ("amount", "currency_amount"),
    "origin_currency_code": ("text", "currency_code"),
    "empty": ("empty", None),
}
DEFAULT_CSV_COLUMNS = (
    "date",
    "journal_code",
    "entry_number",
    "account_code",
    "account_name",
    "partner_code",
    "partner_name",
    "entry_ref",
    "item_label",
    "debit",
    "credit",
    "reconcile_ref",
    "origin_currency_amount",
    "origin_currency_code",
)
CSV_DELIMITERS = {",": ",", ";": ";", "|": "|", "\t": "\t", "tab": "\t"}
CSV_QUOTING = {
    "minimal": csv.QUOTE_MINIMAL,
    "all": csv.QUOTE_ALL,
    "none": csv.QUOTE_NONE,
}


# date formats offered for the CSV, the French one first
DATE_FORMAT_PRESETS = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%m/%d/%Y",
    "%Y%m%d",
    "%d%m%Y",
    "%d/%m/%y",
)
# how each strftime directive reads in a pattern; callers pass their
# language's words (JJ/MM/AAAA in French)
DATE_TOKENS = {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%y": "YY"}
DATE_FORMAT_EXAMPLE = date(2025, 12, 31)


def date_format_pattern(date_format, tokens=None):
    """``%d/%m/%Y`` as ``DD/MM/YYYY``: each directive replaced by its token,
    ``%%`` by ``%``; a directive without a token is kept as it is."""
    tokens = {**DATE_TOKENS, **(tokens or {}), "%%": "%"}
    return re.sub(r"%.", lambda match: tokens.get(match[0], match[0]), date_format)


def date_format_label(date_format, tokens=None, example=DATE_FORMAT_EXAMPLE):
    """``31/12/2025 (DD/MM/YYYY)``: an example date in the format, then its
    pattern."""
    return (
        f"{example.strftime(date_format)} ({date_format_pattern(date_format, tokens)})"
    )


@dataclass(frozen=True)
class CsvOptions:
    """Settings of the generic CSV.

    ``columns``: keys of :data:`CSV_FIELDS`; ``headers``: their labels (the
    keys by default); ``header_line``: write the labels first; ``delimiter``:
    ``,`` ``;`` ``|`` or tab; ``decimal_separator``: ``.`` or ``,``;
    ``date_format``: a ``strftime`` format; ``quoting``: ``minimal``, ``all``
    or ``none`` (then the delimiter is replaced by a space inside values);
    ``decimals``: digits after the decimal separator.
    """

    columns: tuple = DEFAULT_CSV_COLUMNS
    headers: tuple | None = None
    header_line: bool = True
    delimiter: str = ","
    decimal_separator: str = "."
    date_format: str = "%d/%m/%Y"
    encoding: str = "iso8859-15"
    quoting: str = "minimal"
    line_end: str = "\r\n"
    decimals: int = 2

    def __post_init__(self):
        columns = tuple(self.columns)
        unknown = [key for key in columns if key not in CSV_FIELDS]
        if not columns or unknown:
            raise InvalidOptionError(
                f"Unknown CSV columns {unknown!r}; choose among "
                f"{', '.join(CSV_FIELDS)}."
                if unknown
                else "The CSV needs at least one column."
            )
        object.__setattr__(self, "columns", columns)
        headers = tuple(columns if self.headers is None else self.headers)
        if len(headers) != len(columns):
            raise InvalidOptionError(
                f"{len(headers)} header labels for {len(columns)} columns."
            )
        object.__setattr__(self, "headers", headers)
        if self.delimiter not in CSV_DELIMITERS:
            raise InvalidOptionError(
                f"The CSV delimiter is ',', ';', '|' or tab, not {self.delimiter!r}."
            )
        object.__setattr__(self, "delimiter", CSV_DELIMITERS[self.delimiter])
        if self.decimal_separator not in (".", ","):
            raise InvalidOptionError(
                f"The decimal separator is '.' or ',', not {self.decimal_separator!r}."
            )
        if self.quoting not in CSV_QUOTING:
            raise InvalidOptionError(
                f"Quoting is minimal, all or none, not {self.quoting!r}."
            )
        if self.quoting == "none" and self.decimal_separator == self.delimiter:
            raise InvalidOptionError(
                "Without quoting, the delimiter and the decimal separator must differ."
            )
        if "%" not in str(self.date_format):
            raise InvalidOptionError(
                f"{self.date_format!r} is not a strftime date format."
            )
        date(2024, 1, 31).strftime(self.date_format)
        object.__setattr__(self, "encoding", normalize_encoding(self.encoding))
        _check_line_end(self.line_end)
        if not isinstance(self.decimals, int) or not 0 <= self.decimals <= 6:
            raise InvalidOptionError(f"Decimals go from 0 to 6, not {self.decimals!r}.")


class CsvFormatter:
    """Turn canonical rows into lists of CSV values for one :class:`CsvOptions`."""

    def __init__(self, options=None):
        self.options = options or CsvOptions()
        self._getters = [CSV_FIELDS[key] for key in self.options.columns]

    def values(self, row):
        line = as_fec_line(row)
        options = self.options
        result = []
        for kind, attribute in self._getters:
            if kind == "text":
                value = one_line(getattr(line, attribute))
                if options.quoting == "none":
                    value = value.replace(options.delimiter, " ")
            elif kind == "date":
                day = getattr(line, attribute)
                value = day.strftime(options.date_format) if day else ""
            elif kind == "amount":
                number = getattr(line, attribute)
                value = "" if number is None else self._amount(number)
            elif kind == "balance":
                value = self._amount(line.debit - line.credit)
            else:
                value = ""
            result.append(value)
        return result

    def _amount(self, number):
        return _decimal_text(
            number, self.options.decimals, self.options.decimal_separator
        )


def write_csv(out, lines, options=None):
    """Write the generic journal-items CSV; returns an :class:`ExportResult`."""
    formatter = CsvFormatter(options)
    options = formatter.options
    sink = _Sink(out, options.encoding)
    quoting = CSV_QUOTING[options.quoting]
    writer = csv.writer(
        sink,
        delimiter=options.delimiter,
        quoting=quoting,
        quotechar=None if quoting == csv.QUOTE_NONE else '"',
        lineterminator=options.line_end,
    )
    if options.header_line:
        writer.writerow(
            [h.replace(options.delimiter, " ") for h in options.headers]
            if quoting == csv.QUOTE_NONE
            else list(options.headers)
        )
    for row in lines:
        writer.writerow(formatter.values(row))
        sink.result.rows += 1
    return sink.close()


# ----------------------------------------------------------------------
# EBP trial balance
# ----------------------------------------------------------------------

EBP_COLUMNS = (
    "Compte.Numero",
    "Compte.Intitule",
    "Balance.SldCptNDebit",
    "Balance.SldCptNCredit",
    "Balance.SldCptNSoldeD",
    "Balance.SldCptNSolde",
)


@dataclass(frozen=True)
class BalanceRow:
    """One account of the trial balance: movements and closing balance."""

    account_code: str
    account_label: str
    debit: Decimal
    credit: Decimal

    @property
    def debit_balance(self):
        return max(self.debit - self.credit, ZERO)

    @property
    def credit_balance(self):
        return max(self.credit - self.debit, ZERO)


def trial_balance(lines):
    """Aggregate canonical rows per general account, sorted by account code.

    Debit and credit sum every row given (the caller chooses whether the
    à-nouveaux are in); the label is the first one met.
    """
    totals = {}
    for row in lines:
        line = as_fec_line(row)
        code = clean_text(line.account_code)
        if not code:
            raise InvalidValueError(f"A journal item without account: {row!r}")
        current = totals.get(code)
        if current is None:
            totals[code] = [clean_text(line.account_label), line.debit, line.credit]
        else:
            current[1] += line.debit
            current[2] += line.credit
    return [
        BalanceRow(code, label, debit, credit)
        for code, (label, debit, credit) in sorted(totals.items())
    ]


@dataclass(frozen=True)
class EbpOptions:
    encoding: str = "utf-8"
    line_end: str = "\r\n"

    def __post_init__(self):
        object.__setattr__(self, "encoding", normalize_encoding(self.encoding))
        _check_line_end(self.line_end)


def _quoted(text):
    return '"' + text.replace('"', '""') + '"'


def write_ebp_balance(out, lines, options=None):
    """Write the EBP trial balance of ``lines`` (rows or :class:`BalanceRow`)."""
    options = options or EbpOptions()
    sink = _Sink(out, options.encoding)
    sink.write(",".join(_quoted(name) for name in EBP_COLUMNS) + options.line_end)
    rows = lines if isinstance(lines, list) and _all_balance_rows(lines) else None
    for balance in rows if rows is not None else trial_balance(lines):
        values = (
            _quoted(balance.account_code),
            _quoted(balance.account_label),
            _decimal_text(balance.debit, 2),
            _decimal_text(balance.credit, 2),
            _decimal_text(balance.debit_balance, 2),
            _decimal_text(balance.credit_balance, 2),
        )
        sink.write(",".join(values) + options.line_end)
        sink.result.rows += 1
    return sink.close()


def _all_balance_rows(items):
    return bool(items) and all(isinstance(item, BalanceRow) for item in items)


# ----------------------------------------------------------------------
# Quadratus QC_ASC
# ----------------------------------------------------------------------

# (field, width) of the "M" (journal item) record, in order
QUADRA_M_LAYOUT = (
    ("type", 1),  # "M"
    ("account", 8),  # 8-character account
    ("journal", 2),  # 2-character journal
    ("folio", 3),  # always "000"
    ("date", 6),  # JJMMAA
    ("label_code", 1),
    ("free_label", 20),
    ("direction", 1),  # D/C flag
    ("sign", 1),  # "+"; the amount is unsigned
    ("amount", 12),  # amount in cents, zero-padded
    ("counterpart", 8),
    ("due_date", 6),
    ("lettering", 2),
    ("statistics", 3),
    ("piece_number", 5),
    ("business_code", 10),
    ("quantity", 10),
    ("piece_ref", 8),
    ("currency", 3),
    ("journal3", 3),  # journal code on 3 characters
    ("vat_flag", 1),
    ("vat_method", 1),
    ("vat_code", 1),
    ("label", 30),
    ("vat_code2", 3),
    ("piece_alpha", 10),
    ("reserved", 10),
    ("currency_amount", 13),
    ("attachment", 12),
    ("quantity2", 10),
    ("unique_number", 10),
    ("operator", 4),
    ("system_date", 14),
    ("entry_number", 20),  # takes precedence over piece_ref when filled
)
QUADRA_RECORD_WIDTH = sum(width for _name, width in QUADRA_M_LAYOUT)
# fixed widths only hold with one byte per character
QUADRA_ENCODINGS = ("ascii", "iso8859-15", "cp1252")


@dataclass(frozen=True)
class QuadraOptions:
    """Settings of the Quadratus export.

    ``encoding``: single-byte only (ASCII by default, the "ASCII" of the
    format's name). ``journal_codes``: FEC journal code → 2-character
    Quadratus code; unmapped codes are cut to 2 characters, and two journals
    cut to the same code raise :class:`FieldOverflowError`.
    ``use_aux_account``: Quadratus keeps third parties in the account field,
    so the sub-ledger account replaces the general one when present (as the
    Quadra exports for Odoo do).
    """

    encoding: str = "ascii"
    line_end: str = "\r\n"
    journal_codes: dict | None = None
    use_aux_account: bool = True

    def __post_init__(self):
        object.__setattr__(
            self, "encoding", normalize_encoding(self.encoding, QUADRA_ENCODINGS)
        )
        _check_line_end(self.line_end)
        for source, target in (self.journal_codes or {}).items():
            if not target or len(target) > 2:
                raise InvalidOptionError(
                    f"The Quadratus code of journal {source!r} has 1 or 2 "
                    f"characters, not {target!r}."
                )


class QuadraFormatter:
    """Build ``M`` records; remembers journal codes to detect collisions."""

    def __init__(self, options=None):
        self.options = options or QuadraOptions()
        self.transcoder = Transcoder(self.options.encoding)
        self._journals = {}  # Quadratus code -> FEC journal code

    def _text(self, value, width):
        return clean_text(self.transcoder.transliterate(clean_text(value)))[:width]

    def _journal(self, code):
        mapped = (self.options.journal_codes or {}).get(code) or code[:2]
        previous = self._journals.setdefault(mapped, code)
        if previous != code:
            raise FieldOverflowError(
                f"Journals {previous!r} and {code!r} both become {mapped!r} in "
                "Quadratus (2 characters); map them with journal_codes."
            )
        return mapped

    def record(self, row):
        """The ``M`` record (text, without line end) of one canonical row."""
        line = as_fec_line(row)
        if line.entry_date is None:
            raise InvalidValueError(f"A journal item without date: {row!r}")
        account = self._text(
            line.aux_account
            if self.options.use_aux_account and line.aux_account
            else line.account_code,
            None,
        )
        if not account or len(account) > 8:
            raise FieldOverflowError(
                f"Account {account!r} does not fit the 8 characters of Quadratus."
            )
        journal_code = self._text(line.journal_code, None)
        if not journal_code:
            raise InvalidValueError(f"A journal item without journal: {row!r}")
        label = self._text(line.label, None)
        net = line.debit - line.credit
        cents = int((abs(net) * 100).to_integral_value(ROUND_HALF_UP))
        if len(str(cents)) > 12:
            raise FieldOverflowError(
                f"Amount {net} exceeds the 12 digits of Quadratus."
            )
        values = {
            "type": "M",
            "account": account,
            "journal": self._journal(journal_code),
            "folio": "000",
            "date": line.entry_date.strftime("%d%m%y"),
            "free_label": label[:20],
            "direction": "D" if net >= 0 else "C",
            "sign": "+",
            "amount": str(cents).zfill(12),
            "piece_ref": self._text(line.piece_ref, 8),
            "currency": self._text(line.currency_code, 3)
            if line.currency_amount is not None
            else "",
            "journal3": journal_code if len(journal_code) <= 3 else "",
            "label": label[:30],
            "entry_number": self._text(line.entry_number, 20),
        }
        record = "".join(
            values.get(name, "")[:width].ljust(width) for name, width in QUADRA_M_LAYOUT
        )
        assert len(record) == QUADRA_RECORD_WIDTH
        return record


def write_quadra(out, lines, options=None):
    """Write the Quadratus ASCII file; returns an :class:`ExportResult`.

    Labels and references longer than their field are cut; account and
    journal codes are never cut silently (:class:`FieldOverflowError`).
    Lettering, due date and foreign-currency amount are left blank: Odoo's
    matching codes do not fit 2 characters, and the canonical extract has
    no due date.
    """
    formatter = QuadraFormatter(options)
    sink = _Sink(out, formatter.options.encoding)
    line_end = formatter.options.line_end
    for row in lines:
        sink.write(formatter.record(row) + line_end)
        sink.result.rows += 1
    result = sink.close()
    result.transliterated += formatter.transcoder.transliterated
    result.replaced += formatter.transcoder.replaced
    return result
