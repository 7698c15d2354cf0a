"""Checks of a FEC file, run before the file is offered (LPF art. A47 A-1 and
the DGFiP's Test Compta Demat).

:func:`check_fec` streams a file (bytes, a path or a binary file object, in
ISO 8859-15 or UTF-8, ``|`` or tab separated) once and returns a
:class:`CheckReport`: the findings (line number, severity, code, message)
and summary counts (lines, entries, total debit and credit, per journal,
per numbering sequence). Memory stays bounded: at most
``max_findings_per_code`` findings of each code are kept (all are counted),
and numbering is tracked as ranges.

It covers the checks of the DGFiP's Test Compta Demat (file name, separator,
header, column count, date and amount formats, debit/credit both or neither
filled, first three characters of CompteNum numeric, mandatory values) and
ours: entries balanced, continuous numbering per journal with the gaps
listed, DateLet present iff EcritureLet, no class 8/9 accounts, sub-ledger
account and label paired, no separator or line break inside values, opening
entries first, chronological order, dates inside the fiscal year.

Severities: ``error`` blocks the official file; ``warning`` is listed in the
description document but does not block (a numbering gap, e.g. a cancelled
invoice, is legitimate once explained); ``info`` is informative.
"""

# _lt only marks templates for Odoo's extraction: the tools have no env, the
# model translates them (see messages.py)
# pylint: disable=prefer-env-translation
import os
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter

from .canonical import FIELD_COUNT, ZERO, to_date
from .exceptions import InvalidOptionError
from .fec import (
    FEC_COLUMNS,
    NONOFFICIAL_SUFFIX,
    REFUSED_SEPARATORS,
    FecReader,
    siren_is_valid,
)
from .messages import _lt, render
from .text import is_clean

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

# code: (severity, what it means); the registry documents every finding
CHECKS = {
    "filename": (ERROR, "file name is not <SIREN>FEC<AAAAMMJJ>"),
    "filename-test": (WARNING, "file name marks a test (non-official) file"),
    "filename-siren": (WARNING, "SIREN in the file name fails the Luhn check"),
    "empty-file": (ERROR, "no line after the header"),
    "separator": (ERROR, "separator is not '|' or tab"),
    "header": (ERROR, "first line is not the 18 FEC field names in order"),
    "header-case": (WARNING, "field names differ from the standard in case only"),
    "bom": (INFO, "UTF-8 byte order mark (tolerated)"),
    "encoding": (ERROR, "bytes invalid in the file's encoding"),
    "line-endings": (WARNING, "lines end in different ways"),
    "blank-line": (WARNING, "empty line"),
    "column-count": (ERROR, "line without exactly 18 fields"),
    "value-separator": (ERROR, "value holds a separator, tab or control character"),
    "required": (ERROR, "mandatory value missing"),
    "date-format": (ERROR, "date not AAAAMMJJ or not a calendar date"),
    "amount-format": (ERROR, "amount not in the FEC number format"),
    "negative-amount": (ERROR, "negative Debit or Credit"),
    "debit-and-credit": (ERROR, "both Debit and Credit filled"),
    "zero-amount": (ERROR, "neither Debit nor Credit filled"),
    "account-prefix": (ERROR, "CompteNum does not start with three digits"),
    "account-class": (ERROR, "CompteNum outside PCG classes 1 to 7"),
    "aux-pair": (ERROR, "CompAuxNum and CompAuxLib not both filled or blank"),
    "aux-account": (WARNING, "sub-ledger account on a non-third-party account"),
    "lettering-date": (ERROR, "EcritureLet and DateLet not both filled or blank"),
    "currency-pair": (WARNING, "Montantdevise and Idevise not both filled or blank"),
    "journal-label": (WARNING, "one JournalCode with several JournalLib"),
    "opening-order": (ERROR, "opening entry after other entries"),
    "opening-date": (WARNING, "opening entry not dated the first day of the year"),
    "chronology": (ERROR, "line earlier than the previous one"),
    "date-range": (ERROR, "EcritureDate outside the fiscal year"),
    "entry-unbalanced": (ERROR, "entry whose debit differs from its credit"),
    "entry-split": (ERROR, "entry number met again after other entries"),
    "entry-date": (ERROR, "lines of one entry with different EcritureDate"),
    "sequence-gap": (WARNING, "numbers missing in a journal's sequence"),
    "sequence-unnumbered": (WARNING, "entry number without a numeric part"),
    "global-balance": (WARNING, "total debit differs from total credit"),
}

REQUIRED_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "ValidDate",
)
_INDEX = {name: index for index, name in enumerate(FEC_COLUMNS)}
_REQUIRED = tuple(_INDEX[name] for name in REQUIRED_COLUMNS)
_required_values = itemgetter(*_REQUIRED)
_DATES = tuple(
    (_INDEX[name], name)
    for name in ("EcritureDate", "PieceDate", "DateLet", "ValidDate")
)
(
    _JOURNAL,
    _JOURNAL_LABEL,
    _NUMBER,
    _ENTRY_DATE,
    _ACCOUNT,
    _ACCOUNT_LABEL,
    _AUX,
    _AUX_LABEL,
    _PIECE,
    _PIECE_DATE,
    _LABEL,
    _DEBIT,
    _CREDIT,
    _LETTERING,
    _LETTERING_DATE,
    _VALID_DATE,
    _CURRENCY_AMOUNT,
    _CURRENCY,
) = range(FIELD_COUNT)

_FILENAME = re.compile(r"(?P<siren>.*)FEC(?P<date>\d{8})(?P<rest>.*)")
_AMOUNT = re.compile(r"([+-]?)(\d+)(?:,(\d*))?")
_DATE = re.compile(r"\d{8}")
_NUMBERED = re.compile(r"(.*?)(\d+)")
# entry numbers without digits are remembered to detect reuse, up to this many
MAX_UNNUMBERED = 100_000
DATE_CACHE_SIZE = 4096
# the amounts met first (zero, recurring prices) are parsed once
AMOUNT_CACHE_SIZE = 256


@dataclass(frozen=True)
class Finding:
    """One problem: ``line`` is the physical line (1 = header) or ``None``;
    ``template`` and ``params`` make the English ``message``, and let the
    addon write it in another language (:mod:`.messages`)."""

    severity: str
    code: str
    template: str
    line: int | None = None
    column: str | None = None
    params: dict = field(default_factory=dict)

    @property
    def message(self):
        return render(self.template, self.params)

    def __str__(self):
        where = f"line {self.line}: " if self.line else ""
        return f"[{self.severity}] {self.code}: {where}{self.message}"


@dataclass
class JournalSummary:
    code: str
    label: str
    lines: int = 0
    entries: int = 0
    debit: Decimal = ZERO
    credit: Decimal = ZERO


@dataclass
class SequenceSummary:
    """One numbering sequence: entry numbers ``<prefix><digits>`` of a journal."""

    journal: str
    prefix: str
    width: int
    first: int
    last: int
    count: int
    gaps: list = field(default_factory=list)  # (first missing, last missing)

    def format_number(self, number):
        return f"{self.prefix}{str(number).zfill(self.width)}"

    def gap_labels(self):
        """``INV/2024/00005`` or ``INV/2024/00005 to INV/2024/00007`` per gap."""
        return [
            self.format_number(start)
            if start == end
            else f"{self.format_number(start)} to {self.format_number(end)}"
            for start, end in self.gaps
        ]

    @property
    def missing(self):
        return sum(end - start + 1 for start, end in self.gaps)


@dataclass
class CheckReport:
    """Findings and summary of one checked file."""

    findings: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # code -> occurrences
    severities: dict = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    lines: int = 0
    entries: int = 0
    total_debit: Decimal = ZERO
    total_credit: Decimal = ZERO
    encoding: str | None = None
    separator: str | None = None
    bom: bool = False
    line_endings: tuple = ()
    filename: str | None = None
    journals: dict = field(default_factory=dict)
    sequences: list = field(default_factory=list)

    @property
    def error_count(self):
        return self.severities[ERROR]

    @property
    def warning_count(self):
        return self.severities[WARNING]

    @property
    def ok(self):
        """True when nothing blocks the official file."""
        return self.severities[ERROR] == 0

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity == WARNING]

    def codes(self):
        """The set of finding codes met."""
        return set(self.counts)

    def summary(self):
        """A JSON-friendly dict of the counts, for the export record."""
        return {
            "filename": self.filename,
            "lines": self.lines,
            "entries": self.entries,
            "total_debit": str(self.total_debit),
            "total_credit": str(self.total_credit),
            "encoding": self.encoding,
            "separator": self.separator,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "counts": dict(sorted(self.counts.items())),
            "journals": {
                code: {
                    "label": j.label,
                    "lines": j.lines,
                    "entries": j.entries,
                    "debit": str(j.debit),
                    "credit": str(j.credit),
                }
                for code, j in sorted(self.journals.items())
            },
            "gaps": {
                f"{s.journal} {s.prefix}": s.gap_labels()
                for s in self.sequences
                if s.gaps
            },
        }


class _Runs:
    """Sorted disjoint ranges of the numbers met in one sequence."""

    __slots__ = ("starts", "ends", "width")

    def __init__(self, width):
        self.starts = []
        self.ends = []
        self.width = width

    def add(self, number):
        """Record ``number``; False when it was already recorded."""
        starts, ends = self.starts, self.ends
        if ends and number == ends[-1] + 1:  # the usual case: the next number
            ends[-1] = number
            return True
        index = bisect_left(starts, number)
        if index < len(starts) and starts[index] == number:
            return False
        if index and ends[index - 1] >= number:
            return False
        joins_left = index and ends[index - 1] == number - 1
        joins_right = index < len(starts) and starts[index] == number + 1
        if joins_left and joins_right:
            ends[index - 1] = ends[index]
            del starts[index], ends[index]
        elif joins_left:
            ends[index - 1] = number
        elif joins_right:
            starts[index] = number
        else:
            starts.insert(index, number)
            ends.insert(index, number)
        return True


class FecChecker:
    """Streaming checker; :func:`check_fec` is the entry point."""

    def __init__(
        self,
        fiscal_year=None,
        opening_journals=("OUV",),
        max_findings_per_code=100,
    ):
        self.report = CheckReport()
        if fiscal_year is not None:
            start, end = (to_date(day, "fiscal_year") for day in fiscal_year)
            if start is None or end is None or end < start:
                raise InvalidOptionError(
                    f"The fiscal year is a (start, end) pair of dates, not "
                    f"{fiscal_year!r}."
                )
            fiscal_year = (start, end)
        self.fiscal_year = fiscal_year
        self.opening_journals = frozenset(opening_journals or ())
        self.max_findings = max_findings_per_code
        self._dates = {}
        self._amounts = {}
        self._seen_regular = False
        self._last_date = None
        self._last_date_line = None
        self._short_line = None  # (line number, field count) of a short line
        self._entry = None
        self._sequences = {}
        self._unnumbered = set()

    # -- findings ------------------------------------------------------

    def add(self, code, template, line=None, column=None, **params):
        """Record a finding; ``template`` is marked with ``_lt`` and filled
        with ``params``."""
        severity = CHECKS[code][0]
        report = self.report
        count = report.counts.get(code, 0)
        report.counts[code] = count + 1
        report.severities[severity] += 1
        if count < self.max_findings:
            report.findings.append(
                Finding(severity, code, template, line, column, params)
            )

    # -- file level ----------------------------------------------------

    def check_filename(self, name, closing_date=None):
        for finding in check_filename(name, closing_date):
            self.add(finding.code, finding.template, **finding.params)
        self.report.filename = os.path.basename(str(name))

    def check_header(self, reader):
        report = self.report
        report.separator = reader.separator
        report.bom = reader.bom
        if reader.bom:
            self.add("bom", _lt("The file starts with a UTF-8 byte order mark."), 1)
        if reader.separator is None:
            self.add("separator", _lt("The header holds neither '|' nor a tab."), 1)
        elif reader.separator in REFUSED_SEPARATORS:
            self.add(
                "separator",
                _lt(
                    "The separator %(separator)s is refused for fiscal years "
                    "closed from 2013 on; use '|' or a tab."
                ),
                1,
                separator=repr(reader.separator),
            )
        header = [name.strip() for name in reader.header or ()]
        if header == list(FEC_COLUMNS):
            return
        if [name.lower() for name in header] == [n.lower() for n in FEC_COLUMNS]:
            self.add("header-case", _lt("The field names differ in case only."), 1)
            return
        missing = [name for name in FEC_COLUMNS if name not in header]
        extra = [name for name in header if name not in FEC_COLUMNS]
        if missing and extra:
            template = _lt(
                "The header is not the 18 FEC field names: missing %(missing)s; "
                "unexpected %(extra)s."
            )
        elif missing:
            template = _lt(
                "The header is not the 18 FEC field names: missing %(missing)s."
            )
        elif extra:
            template = _lt(
                "The header is not the 18 FEC field names: unexpected %(extra)s."
            )
        else:
            template = _lt(
                "The header is not the 18 FEC field names: the fields are not in "
                "the standard order."
            )
        params = {"missing": ", ".join(missing), "extra": ", ".join(extra)}
        self.add("header", template, 1, **(params if missing or extra else {}))

    def finish(self, reader):
        report = self.report
        self._close_entry()
        report.encoding = reader.encoding
        report.line_endings = tuple(sorted(e.decode() for e in reader.line_endings))
        if len(reader.line_endings) > 1:
            self.add(
                "line-endings", _lt("Lines end with different CR/LF combinations.")
            )
        if report.lines == 0:
            self.add("empty-file", _lt("The file has no line after the header."))
        for (journal, prefix), runs in sorted(self._sequences.items()):
            self._close_sequence(journal, prefix, runs)
        if report.total_debit != report.total_credit:
            self.add(
                "global-balance",
                _lt("Total debit %(debit)s differs from total credit %(credit)s."),
                debit=str(report.total_debit),
                credit=str(report.total_credit),
            )
        return report

    # -- line level ----------------------------------------------------

    def check_record(self, number, fields):
        if len(fields) == 1 and not fields[0].strip():
            self.add("blank-line", _lt("Empty line."), number)
            return
        self.report.lines += 1
        if len(fields) != FIELD_COUNT:
            self._column_count(number, fields)
            return
        self._short_line = None
        if not is_clean("".join(fields)):
            self._unclean(number, fields)
        values = list(map(str.strip, fields))
        if "" in _required_values(values):
            for index in _REQUIRED:
                if not values[index]:
                    self.add(
                        "required",
                        _lt("%(field)s is empty."),
                        number,
                        FEC_COLUMNS[index],
                        field=FEC_COLUMNS[index],
                    )
        dates = self._check_dates(number, values)
        debit, credit = self._check_amounts(number, values)
        self._check_account(number, values)
        self._check_pairs(number, values)
        self._check_order(number, values, dates)
        self._track(number, values, dates[_ENTRY_DATE], debit, credit)

    def _unclean(self, number, fields):
        for column, value in zip(FEC_COLUMNS, fields, strict=True):
            if not is_clean(value):
                self.add(
                    "value-separator",
                    _lt(
                        "%(field)s holds a separator, tab, line break or control "
                        "character: %(value)s."
                    ),
                    number,
                    column,
                    field=column,
                    value=repr(value),
                )

    def _column_count(self, number, fields):
        count = len(fields)
        params = {"count": count, "expected": FIELD_COUNT}
        separator = self.report.separator or "|"
        if count > FIELD_COUNT:
            template = _lt(
                "%(count)s fields instead of %(expected)s: a value probably "
                "contains the separator %(separator)s."
            )
            params["separator"] = repr(separator)
            self._short_line = None
        elif self._short_line and self._short_line[1] + count - 1 == FIELD_COUNT:
            template = _lt(
                "%(count)s fields instead of %(expected)s: a value probably "
                "contains a line break (lines %(first)s and %(last)s make one "
                "record)."
            )
            params.update(first=self._short_line[0], last=number)
            self._short_line = None
        else:
            template = _lt("%(count)s fields instead of %(expected)s.")
            self._short_line = (number, count)
        self.add("column-count", template, number, **params)

    def _parse_date(self, text):
        """``date``, or the message template saying why ``text`` is not a
        FEC date."""
        cached = self._dates.get(text)
        if cached is not None:
            return cached
        if not _DATE.fullmatch(text):
            result = _lt("%(field)s %(value)s is not in the format AAAAMMJJ.")
        else:
            try:
                result = date(int(text[:4]), int(text[4:6]), int(text[6:]))
            except ValueError:
                result = _lt("%(field)s %(value)s is not a calendar date.")
        if len(self._dates) < DATE_CACHE_SIZE:
            self._dates[text] = result
        return result

    def _check_dates(self, number, values):
        dates = {}
        for index, column in _DATES:
            text = values[index]
            if not text:
                dates[index] = None
                continue
            parsed = self._parse_date(text)
            if isinstance(parsed, str):
                self.add(
                    "date-format",
                    parsed,
                    number,
                    column,
                    field=column,
                    value=repr(text),
                )
                parsed = None
            dates[index] = parsed
        return dates

    def _parse_amount(self, number, column, text, signed):
        """The amount (blank counts as zero); ``None`` when malformed."""
        if not text:
            return ZERO
        amount = self._amounts.get(text)
        if amount is not None:  # well-formed amounts met before (zero …)
            if amount < 0 and not signed:
                self._negative(number, column, text)
            return amount
        match = _AMOUNT.fullmatch(text)
        if match is None:
            if re.fullmatch(r"[+-]?\d+\.\d*", text):
                template = _lt(
                    "%(field)s %(value)s uses a dot; the decimal separator is a comma."
                )
            elif re.search(r"\d[\s.,']\d{3}[\s.,']", text) or re.search(
                r"\d\s\d", text
            ):
                template = _lt("%(field)s %(value)s has a thousands separator.")
            else:
                template = _lt(
                    "%(field)s %(value)s is not a number (digits, comma decimal "
                    "separator)."
                )
            self.add(
                "amount-format",
                template,
                number,
                column,
                field=column,
                value=repr(text),
            )
            return None
        sign, units, decimals = match.groups()
        amount = Decimal(f"{sign}{units}.{decimals or '0'}")
        if len(self._amounts) < AMOUNT_CACHE_SIZE:
            self._amounts[text] = amount
        if amount < 0 and not signed:
            self._negative(number, column, text)
        return amount

    def _negative(self, number, column, text):
        self.add(
            "negative-amount",
            _lt("%(field)s %(value)s is negative."),
            number,
            column,
            field=column,
            value=repr(text),
        )

    def _check_amounts(self, number, values):
        debit = self._parse_amount(number, "Debit", values[_DEBIT], False)
        credit = self._parse_amount(number, "Credit", values[_CREDIT], False)
        self._parse_amount(number, "Montantdevise", values[_CURRENCY_AMOUNT], True)
        if debit is not None and credit is not None:
            if debit and credit:
                self.add(
                    "debit-and-credit",
                    _lt(
                        "Both Debit (%(debit)s) and Credit (%(credit)s) are filled; "
                        "one of them must be zero."
                    ),
                    number,
                    debit=values[_DEBIT],
                    credit=values[_CREDIT],
                )
            elif not debit and not credit:
                self.add("zero-amount", _lt("Debit and Credit are both zero."), number)
        return debit or ZERO, credit or ZERO

    def _check_account(self, number, values):
        account = values[_ACCOUNT]
        if not account:
            return
        if not account[:3].isdigit() or not account[:3].isascii():
            self.add(
                "account-prefix",
                _lt(
                    "CompteNum %(account)s does not start with three digits of the "
                    "French chart of accounts."
                ),
                number,
                "CompteNum",
                account=repr(account),
            )
        elif account[0] in "089":
            self.add(
                "account-class",
                _lt(
                    "CompteNum %(account)s is in class %(class)s; the FEC holds "
                    "general ledger accounts of classes 1 to 7."
                ),
                number,
                "CompteNum",
                account=repr(account),
                **{"class": account[0]},
            )
        if values[_AUX] and account[0] != "4":
            self.add(
                "aux-account",
                _lt(
                    "CompAuxNum %(aux)s on account %(account)s: sub-ledger accounts "
                    "belong on receivable and payable lines only."
                ),
                number,
                "CompAuxNum",
                aux=repr(values[_AUX]),
                account=repr(account),
            )

    def _check_pairs(self, number, values):
        if bool(values[_AUX]) != bool(values[_AUX_LABEL]):
            self.add(
                "aux-pair",
                _lt("CompAuxNum and CompAuxLib must be both filled or both blank."),
                number,
                "CompAuxLib" if values[_AUX] else "CompAuxNum",
            )
        if bool(values[_LETTERING]) != bool(values[_LETTERING_DATE]):
            self.add(
                "lettering-date",
                _lt("EcritureLet %(value)s without DateLet")
                if values[_LETTERING]
                else _lt("DateLet %(value)s without EcritureLet"),
                number,
                "DateLet" if values[_LETTERING] else "EcritureLet",
                value=repr(values[_LETTERING] or values[_LETTERING_DATE]),
            )
        if bool(values[_CURRENCY_AMOUNT]) != bool(values[_CURRENCY]):
            self.add(
                "currency-pair",
                _lt("Montantdevise and Idevise must be both filled or both blank."),
                number,
                "Idevise" if values[_CURRENCY_AMOUNT] else "Montantdevise",
            )

    def _check_order(self, number, values, dates):
        journal = values[_JOURNAL]
        entry_date = dates[_ENTRY_DATE]
        if journal in self.opening_journals:
            if self._seen_regular:
                self.add(
                    "opening-order",
                    _lt(
                        "Opening entry %(entry)s (journal %(journal)s) after other "
                        "entries; the à-nouveaux come first."
                    ),
                    number,
                    entry=repr(values[_NUMBER]),
                    journal=journal,
                )
            if self.fiscal_year and entry_date and entry_date != self.fiscal_year[0]:
                self.add(
                    "opening-date",
                    _lt(
                        "Opening entry dated %(date)s, not the first day of the "
                        "fiscal year."
                    ),
                    number,
                    date=values[_ENTRY_DATE],
                )
        else:
            self._seen_regular = True
        if self.fiscal_year and entry_date:
            start, end = self.fiscal_year
            if not start <= entry_date <= end:
                self.add(
                    "date-range",
                    _lt(
                        "EcritureDate %(date)s is outside the fiscal year %(start)s – "
                        "%(end)s."
                    ),
                    number,
                    "EcritureDate",
                    date=values[_ENTRY_DATE],
                    start=start.isoformat(),
                    end=end.isoformat(),
                )
        order_date = dates[_VALID_DATE] or entry_date
        if order_date is None:
            return
        if self._last_date and order_date < self._last_date:
            self.add(
                "chronology",
                _lt(
                    "Validation date %(date)s is earlier than %(previous)s on line "
                    "%(previous_line)s; lines follow the chronological order of "
                    "validation."
                ),
                number,
                date=order_date.isoformat(),
                previous=self._last_date.isoformat(),
                previous_line=self._last_date_line,
            )
        else:
            self._last_date = order_date
            self._last_date_line = number

    # -- entries and sequences -----------------------------------------

    def _track(self, number, values, entry_date, debit, credit):
        report = self.report
        report.total_debit += debit
        report.total_credit += credit
        journal_code = values[_JOURNAL]
        journal = report.journals.get(journal_code)
        if journal is None:
            journal = report.journals[journal_code] = JournalSummary(
                journal_code, values[_JOURNAL_LABEL]
            )
        elif journal.label != values[_JOURNAL_LABEL] and "journal-label" not in (
            report.counts
        ):
            self.add(
                "journal-label",
                _lt("Journal %(journal)s is labelled %(label)s and %(other)s."),
                number,
                journal=journal_code,
                label=repr(journal.label),
                other=repr(values[_JOURNAL_LABEL]),
            )
        journal.lines += 1
        journal.debit += debit
        journal.credit += credit
        key = (journal_code, values[_NUMBER])
        entry = self._entry
        if entry is None or entry[0] != key:
            self._close_entry()
            self._open_entry(number, key, entry_date)
            entry = self._entry
        elif entry_date and entry[2] and entry_date != entry[2] and not entry[5]:
            entry[5] = True
            self.add(
                "entry-date",
                _lt(
                    "Entry %(entry)s of journal %(journal)s has lines dated "
                    "%(date)s and %(other)s."
                ),
                number,
                entry=repr(key[1]),
                journal=key[0],
                date=entry[2].isoformat(),
                other=entry_date.isoformat(),
            )
        entry[3] += debit
        entry[4] += credit

    def _open_entry(self, number, key, entry_date):
        # [key, first line, date, debit, credit, date problem reported]
        self._entry = [key, number, entry_date, ZERO, ZERO, False]
        self.report.entries += 1
        journal_code, entry_number = key
        self.report.journals[journal_code].entries += 1
        match = _NUMBERED.fullmatch(entry_number)
        if match is None:
            if entry_number:
                self.add(
                    "sequence-unnumbered",
                    _lt(
                        "Entry number %(entry)s of journal %(journal)s has no numeric "
                        "part; its continuity cannot be checked."
                    ),
                    number,
                    entry=repr(entry_number),
                    journal=journal_code,
                )
            known = key in self._unnumbered
            if not known and len(self._unnumbered) < MAX_UNNUMBERED:
                self._unnumbered.add(key)
        else:
            prefix, digits = match.groups()
            runs = self._sequences.get((journal_code, prefix))
            if runs is None:
                runs = self._sequences[(journal_code, prefix)] = _Runs(len(digits))
            known = not runs.add(int(digits))
        if known:
            self.add(
                "entry-split",
                _lt(
                    "Entry %(entry)s of journal %(journal)s appears again after "
                    "other entries: its lines are not contiguous or the number is "
                    "used twice."
                ),
                number,
                entry=repr(entry_number),
                journal=journal_code,
            )

    def _close_entry(self):
        entry = self._entry
        if entry is None:
            return
        self._entry = None
        (journal_code, entry_number), first_line, _day, debit, credit, _ = entry
        if debit != credit:
            self.add(
                "entry-unbalanced",
                _lt(
                    "Entry %(entry)s of journal %(journal)s does not balance: debit "
                    "%(debit)s, credit %(credit)s (difference %(difference)s)."
                ),
                first_line,
                entry=repr(entry_number),
                journal=journal_code,
                debit=str(debit),
                credit=str(credit),
                difference=str(debit - credit),
            )

    def _close_sequence(self, journal, prefix, runs):
        gaps = [
            (runs.ends[index] + 1, runs.starts[index + 1] - 1)
            for index in range(len(runs.starts) - 1)
        ]
        summary = SequenceSummary(
            journal,
            prefix,
            runs.width,
            runs.starts[0],
            runs.ends[-1],
            sum(
                end - start + 1
                for start, end in zip(runs.starts, runs.ends, strict=True)
            ),
            gaps,
        )
        self.report.sequences.append(summary)
        for start, end in gaps:
            count = end - start + 1
            if count == 1:
                template = _lt(
                    "Journal %(journal)s: %(first)s missing (1 number); explain the "
                    "gap in the description."
                )
            else:
                template = _lt(
                    "Journal %(journal)s: %(first)s to %(last)s missing (%(count)s "
                    "numbers); explain the gap in the description."
                )
            self.add(
                "sequence-gap",
                template,
                journal=journal,
                first=summary.format_number(start),
                last=summary.format_number(end),
                count=count,
            )


def check_filename(name, closing_date=None):
    """Findings about a FEC file name (``<SIREN>FEC<AAAAMMJJ>[-NONOFFICIAL].ext``).

    Test Compta Demat reads SIREN and closing date with the pattern
    ``(.*)FEC(AAAAMMJJ)`` and refuses other names; ``closing_date``, when
    given, must be the date in the name.
    """
    findings = []
    base = os.path.basename(str(name))
    stem = base.rsplit(".", 1)[0] if "." in base else base
    match = _FILENAME.fullmatch(stem.upper())

    def error(template, code="filename", severity=ERROR, **params):
        findings.append(
            Finding(severity, code, template, params=dict(params, name=repr(base)))
        )

    if match is None:
        error(_lt("%(name)s does not follow the pattern <SIREN>FEC<AAAAMMJJ>."))
        return findings
    siren, day, rest = match.group("siren", "date", "rest")
    if not re.fullmatch(r"\d{9}", siren):
        error(
            _lt("%(name)s: %(siren)s before 'FEC' is not a 9-digit SIREN."),
            siren=repr(siren),
        )
    elif not siren_is_valid(siren):
        error(
            _lt("%(name)s: the SIREN %(siren)s fails the Luhn check."),
            "filename-siren",
            WARNING,
            siren=siren,
        )
    try:
        closing = date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        error(_lt("%(name)s: %(day)s is not a calendar date."), day=day)
        closing = None
    if closing and closing_date is not None and closing != to_date(closing_date):
        error(
            _lt(
                "%(name)s: the date in the name must be the fiscal year closing "
                "date %(closing)s."
            ),
            closing=to_date(closing_date).strftime("%Y%m%d"),
        )
    if rest == NONOFFICIAL_SUFFIX:
        error(_lt("%(name)s is marked as a test file."), "filename-test", WARNING)
    elif rest:
        error(
            _lt("%(name)s: unexpected %(rest)s after the closing date."),
            rest=repr(rest),
        )
    return findings


def check_fec(
    source,
    filename=None,
    fiscal_year=None,
    opening_journals=("OUV",),
    encoding=None,
    separator=None,
    max_findings_per_code=100,
):
    """Check a FEC file and return a :class:`CheckReport`.

    ``source``: bytes, a path or a binary file object (read once, streamed).
    ``filename``: also check the file name (defaults to the path's name).
    ``fiscal_year``: ``(start, end)`` dates; enables the date-range and
    opening-date checks and the closing date of the name.
    ``opening_journals``: journal codes of the à-nouveaux (Odoo: ``OUV``).
    ``encoding``/``separator``: force them instead of detecting them.
    """
    checker = FecChecker(fiscal_year, opening_journals, max_findings_per_code)
    if filename is None and isinstance(source, str | os.PathLike):
        filename = source
    if filename is not None:
        checker.check_filename(filename, fiscal_year[1] if fiscal_year else None)
    reader = FecReader(
        source,
        encoding=encoding,
        separator=separator,
        on_problem=lambda line, code, message: checker.add(code, message, line),
    )
    header_checked = False
    for number, fields in reader:
        if not header_checked:
            checker.check_header(reader)
            header_checked = True
        checker.check_record(number, fields)
    if not header_checked:
        if reader.header is None:
            checker.add("header", _lt("The file is empty: no header line."))
        else:
            checker.check_header(reader)
    return checker.finish(reader)
