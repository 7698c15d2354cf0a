"""The French *Fichier des Écritures Comptables* (FEC): writer and reader.

Format (LPF art. A47 A-1, general case only; BOI-CF-IOR-60-40-20):

* 18 columns, first line the field names :data:`FEC_COLUMNS`;
* separator ``|`` (default) or tab, lines ending CR LF;
* encoding ISO 8859-15 (default), UTF-8 or ASCII; characters the encoding
  lacks are transliterated (see :mod:`.text`);
* dates ``AAAAMMJJ``; DateLet blank when there is no matching;
* amounts in base 10 with a comma decimal separator, two decimals, no
  thousands separator, right-aligned and left-padded with zeros to
  ``amount_width`` characters (18 by default: the 15 integer digits of Odoo's
  ``to_char(…, '000000000000000D99')`` without the blank sign position
  PostgreSQL adds); a negative amount keeps its ``-`` in the first position;
  the unused side of Debit/Credit is zero, never blank;
* every text value is cleaned of ``|``, tab, CR, LF and control characters;
  an empty PieceRef is written ``-`` and an empty EcritureLib ``/`` (both
  are mandatory, Odoo writes the same), an empty PieceDate and ValidDate
  take EcritureDate (Odoo writes ``move.date`` as ValidDate);
* Montantdevise is signed and, like Idevise, blank when the line has no
  foreign currency.

The writer streams: rows come from any iterable (a generator over a
server-side cursor, see :mod:`.stream`) and are written in small batches to a
binary file object, so memory does not grow with the number of lines. The
opening entries are written first (``opening`` argument).

The reader (:class:`FecReader`) streams a file of either encoding and
separator and yields the raw fields; :func:`parse_fec` turns them back into
:class:`~.canonical.FecLine` (round trip). The checks live in
:mod:`.fec_check`.
"""

import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .canonical import CENT, FIELD_COUNT, ZERO, FecLine, to_date, to_decimal
from .exceptions import (
    InvalidOptionError,
    InvalidSirenError,
    InvalidValueError,
    MalformedFileError,
)
from .text import FEC_ENCODINGS, Transcoder, clean_text, is_clean, normalize_encoding

FEC_COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
DATE_COLUMNS = ("EcritureDate", "PieceDate", "DateLet", "ValidDate")
AMOUNT_COLUMNS = ("Debit", "Credit", "Montantdevise")
SEPARATORS = {"|": "|", "pipe": "|", "\t": "\t", "tab": "\t"}
REFUSED_SEPARATORS = (";", ",")
UTF8_BOM = b"\xef\xbb\xbf"
DEFAULT_AMOUNT_WIDTH = 18
NONOFFICIAL_SUFFIX = "-NONOFFICIAL"
# bytes written to the output per call; bounds the writer's own buffer
FLUSH_SIZE = 1 << 16
# a "line" longer than this is cut, so a file without line breaks cannot
# exhaust memory (it fails the column-count check anyway)
MAX_LINE_BYTES = 1 << 20
DATE_CACHE_SIZE = 4096
_TEXT_INDEXES = (0, 1, 2, 4, 5, 6, 7, 8, 10, 13, 17)
_DATE_INDEXES = (3, 9, 14, 15)

# ----------------------------------------------------------------------
# Column formats
# ----------------------------------------------------------------------


def format_date(value):
    """``AAAAMMJJ`` of a date (``date``, ``datetime`` or ISO text); blank if none."""
    day = to_date(value)
    return "" if day is None else f"{day.year:04d}{day.month:02d}{day.day:02d}"


def format_amount(value, width=DEFAULT_AMOUNT_WIDTH):
    """A FEC amount: comma decimal, two decimals, zero-padded to ``width``.

    ``None`` gives zero. A negative amount starts with ``-`` and keeps the
    width; an amount too large for ``width`` is written whole (never cut).
    ``width=0`` writes the shortest form (``3000,00``).
    """
    return _format_cents(ZERO if value is None else to_decimal(value), width)


def _format_cents(number, width):
    """``number``, a Decimal already rounded to the cent, in the FEC format."""
    if number < 0:
        return "-" + f"{-number:.2f}".replace(".", ",").rjust(width - 1, "0")
    return f"{number:.2f}".replace(".", ",").rjust(width, "0")


def normalize_siren(value):
    """The 9-digit SIREN in ``value`` (spaces allowed); else InvalidSirenError."""
    siren = re.sub(r"\s+", "", str(value or ""))
    if not re.fullmatch(r"\d{9}", siren):
        raise InvalidSirenError(f"A SIREN has 9 digits, not {value!r}.")
    return siren


def siren_is_valid(siren):
    """True when ``siren`` passes the Luhn check every SIREN satisfies."""
    if not re.fullmatch(r"\d{9}", siren or ""):
        return False
    total = 0
    for index, char in enumerate(reversed(siren)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def siren_from_vat(vat):
    """The SIREN inside a French VAT number ``FRkk123456789``.

    Odoo takes characters 4–13 (``vat[4:13]``); the two-character key is
    checked when it is numeric (key = (12 + 3 × (SIREN mod 97)) mod 97).
    """
    compact = re.sub(r"[\s.-]+", "", str(vat or "")).upper()
    if not re.fullmatch(r"FR[0-9A-Z]{2}\d{9}", compact):
        raise InvalidSirenError(
            f"{vat!r} is not a French VAT number (FR, a 2-character key, 9 digits)."
        )
    key, siren = compact[2:4], compact[4:13]
    if key.isdigit() and int(key) != (12 + 3 * (int(siren) % 97)) % 97:
        raise InvalidSirenError(f"The key of the VAT number {vat!r} is wrong.")
    return siren


def siren_from_registry(value):
    """The SIREN in a company registry value: a SIREN, a SIRET or ``RCS … 123 456 789``.

    For companies without a VAT number (DOM-TOM).
    """
    digits = re.sub(r"\D", "", str(value or ""))
    if len(digits) not in (9, 14):
        raise InvalidSirenError(
            f"{value!r} holds neither a SIREN (9 digits) nor a SIRET (14 digits)."
        )
    return digits[:9]


def fec_filename(siren, closing_date, official=True, extension=".txt"):
    """``<SIREN>FEC<AAAAMMJJ>.txt``, AAAAMMJJ the fiscal year closing date.

    Test Compta Demat extracts SIREN and date from this pattern. A test file
    (unposted entries or failed checks) gets ``-NONOFFICIAL`` before the
    extension, as Odoo names it.
    """
    closing = format_date(closing_date)
    if not closing:
        raise InvalidValueError("The FEC file name needs the fiscal year closing date.")
    if extension and not re.fullmatch(r"\.[A-Za-z0-9]+", extension):
        raise InvalidOptionError(f"{extension!r} is not a file extension.")
    suffix = "" if official else NONOFFICIAL_SUFFIX
    return f"{normalize_siren(siren)}FEC{closing}{suffix}{extension or ''}"


# ----------------------------------------------------------------------
# Writer
# ----------------------------------------------------------------------


def normalize_separator(separator):
    """``"|"`` or ``"\\t"`` (also spelled ``"pipe"``, ``"tab"``)."""
    if separator in SEPARATORS:
        return SEPARATORS[separator]
    if separator in REFUSED_SEPARATORS:
        raise InvalidOptionError(
            f"The separator {separator!r} is refused for fiscal years closed "
            "from 2013 on (Test Compta Demat); use '|' or a tab."
        )
    raise InvalidOptionError(f"The FEC separator is '|' or a tab, not {separator!r}.")


@dataclass(frozen=True)
class FecOptions:
    """How the FEC file is written.

    ``encoding``: ``iso8859-15`` (default), ``utf-8`` or ``ascii`` (any alias
    Python knows); ``bom`` adds a UTF-8 byte order mark (tolerated by Test
    Compta Demat, not needed). ``separator``: ``|`` or tab. ``line_end``:
    ``\\r\\n`` (default), ``\\n`` or ``\\r``. ``amount_width``: zero padding
    of the amounts, 0 for none.
    """

    encoding: str = "iso8859-15"
    separator: str = "|"
    line_end: str = "\r\n"
    amount_width: int = DEFAULT_AMOUNT_WIDTH
    bom: bool = False

    def __post_init__(self):
        object.__setattr__(
            self, "encoding", normalize_encoding(self.encoding, FEC_ENCODINGS)
        )
        object.__setattr__(self, "separator", normalize_separator(self.separator))
        if self.line_end not in ("\r\n", "\n", "\r"):
            raise InvalidOptionError(
                f"Lines end with CR and/or LF, not {self.line_end!r}."
            )
        if not isinstance(self.amount_width, int) or not 0 <= self.amount_width <= 40:
            raise InvalidOptionError(
                f"The amount width is an integer from 0 to 40, not "
                f"{self.amount_width!r}."
            )
        if self.bom and self.encoding != "utf-8":
            raise InvalidOptionError("A byte order mark only exists in UTF-8.")


@dataclass
class FecWriteResult:
    """What the writer produced, for the export record and description document."""

    lines: int = 0
    bytes_written: int = 0
    sha256: str = ""
    total_debit: Decimal = ZERO
    total_credit: Decimal = ZERO
    cleaned_values: int = 0
    transliterated: int = 0
    replaced: int = 0
    replaced_samples: list = field(default_factory=list)
    encoding: str = ""
    separator: str = ""


def _has_unsafe(text):
    return not is_clean(text)


class FecWriter:
    """Write FEC lines incrementally to a binary file object.

    ``write_header()`` once, ``write_line(row)`` per journal item (a
    :class:`~.canonical.FecLine` or any sequence of 18 values in its order),
    then ``close()``, which flushes and returns a :class:`FecWriteResult`
    (the file object itself stays open). The writer keeps at most
    :data:`FLUSH_SIZE` bytes and a few hundred cached dates in memory.
    """

    def __init__(self, out, options=None):
        self.out = out
        self.options = options or FecOptions()
        self.transcoder = Transcoder(self.options.encoding)
        self.result = FecWriteResult(
            encoding=self.options.encoding, separator=self.options.separator
        )
        self._hash = hashlib.sha256()
        self._buffer = []
        self._buffered = 0
        self._dates = {None: "", "": "", False: ""}
        self._zero = format_amount(ZERO, self.options.amount_width)
        self._header_written = False
        self._closed = False

    # -- public API ----------------------------------------------------

    def write_header(self):
        if self._header_written:
            raise InvalidValueError("The FEC header is already written.")
        self._header_written = True
        if self.options.bom:
            self._emit(UTF8_BOM)
        self._emit_text(self.options.separator.join(FEC_COLUMNS))

    def write_line(self, row):
        if not self._header_written:
            self.write_header()
        self._emit_text(self.options.separator.join(self.format_row(row)))
        self.result.lines += 1

    def write_lines(self, rows):
        for row in rows:
            self.write_line(row)

    def close(self):
        """Flush and return the result; the file object is left open."""
        if not self._closed:
            if not self._header_written:
                self.write_header()
            self._flush()
            self._closed = True
            self.result.sha256 = self._hash.hexdigest()
            self.result.transliterated = self.transcoder.transliterated
            self.result.replaced = self.transcoder.replaced
            self.result.replaced_samples = list(self.transcoder.samples)
        return self.result

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self.close()

    # -- formatting ----------------------------------------------------

    def format_row(self, row):
        """The 18 formatted (not yet encoded) values of one journal item."""
        if len(row) != FIELD_COUNT:
            raise InvalidValueError(
                f"A FEC line has {FIELD_COUNT} values, not {len(row)}: {row!r}"
            )
        # hot path: one comprehension per kind of value, few calls per line
        texts = [
            ""
            if (value := row[index]) is None or value is False
            else value
            if value.__class__ is str
            else str(value)
            for index in _TEXT_INDEXES
        ]
        if _has_unsafe("".join(texts)):
            texts = self._clean_texts(texts)
        else:
            texts = [text.strip() for text in texts]
        dates = self._dates
        try:
            days = [dates.get(row[index]) for index in _DATE_INDEXES]
        except TypeError:  # an unhashable value: the slow path reports it
            days = [None] * len(_DATE_INDEXES)
        if None in days:
            days = [
                day if day is not None else self._date(row[index], index)
                for day, index in zip(days, _DATE_INDEXES, strict=True)
            ]
        entry_day, piece_day, matching_day, valid_day = days
        debit_text, debit_value = self._amount(row[11], "debit")
        credit_text, credit_value = self._amount(row[12], "credit")
        result = self.result
        result.total_debit += debit_value
        result.total_credit += credit_value
        currency_amount = row[16]
        if currency_amount is None or currency_amount == "":
            currency_text = ""
        else:
            currency_text = self._amount(currency_amount, "currency_amount")[0]
        return [
            texts[0],
            texts[1],
            texts[2],
            entry_day,
            texts[3],
            texts[4],
            texts[5],
            texts[6],
            texts[7] or "-",
            piece_day or entry_day,
            texts[8] or "/",
            debit_text,
            credit_text,
            texts[9],
            matching_day,
            valid_day or entry_day,
            currency_text,
            texts[10],
        ]

    def _clean_texts(self, texts):
        cleaned = [clean_text(text) for text in texts]
        self.result.cleaned_values += sum(
            1
            for before, after in zip(texts, cleaned, strict=True)
            if after != before.strip()
        )
        return cleaned

    def _date(self, value, index):
        """Slow path of the dates: convert, check and cache."""
        try:
            text = format_date(value)
        except InvalidValueError as exc:
            raise InvalidValueError(f"{FecLine._fields[index]}: {exc}") from None
        if len(self._dates) < DATE_CACHE_SIZE:
            self._dates[value] = text
        return text

    def _amount(self, value, name):
        if value is None or value == "" or value == 0:
            return self._zero, ZERO
        if value.__class__ is Decimal and value.is_finite():
            number = value.quantize(CENT, ROUND_HALF_UP)
        else:
            number = to_decimal(value, name)
        return _format_cents(number, self.options.amount_width), number

    # -- output --------------------------------------------------------

    def _emit_text(self, text):
        self._emit(self.transcoder.encode(text + self.options.line_end))

    def _emit(self, data):
        self._buffer.append(data)
        self._buffered += len(data)
        if self._buffered >= FLUSH_SIZE:
            self._flush()

    def _flush(self):
        if self._buffer:
            chunk = b"".join(self._buffer)
            self.out.write(chunk)
            self._hash.update(chunk)
            self.result.bytes_written += len(chunk)
            self._buffer = []
            self._buffered = 0


def write_fec(out, lines, opening=(), options=None):
    """Write a whole FEC file to the binary file object ``out``.

    ``opening`` (the à-nouveaux, e.g. :func:`~.canonical.opening_lines`) is
    written before ``lines``; both are iterables consumed once. Returns the
    :class:`FecWriteResult`.
    """
    writer = FecWriter(out, options)
    writer.write_header()
    writer.write_lines(opening)
    writer.write_lines(lines)
    return writer.close()


# ----------------------------------------------------------------------
# Reader
# ----------------------------------------------------------------------


def open_source(source):
    """``(binary file object, must_close)`` for bytes, a path or a file object."""
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source)), True
    if isinstance(source, str | os.PathLike):
        return open(source, "rb"), True
    if hasattr(source, "read"):
        return source, False
    raise InvalidValueError(
        f"Expected bytes, a path or a binary file object, not {type(source).__name__}."
    )


def iter_physical_lines(stream, chunk_size=FLUSH_SIZE):
    """Yield ``(bytes without terminator, terminator)`` from a binary stream.

    Lines end with CR LF, LF or CR (A47 A-1: CR and/or LF), as in universal
    newlines; the
    last line may have no terminator (``b""``).
    """
    pending = b""
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            break
        if isinstance(chunk, str):
            raise InvalidValueError("The FEC source must be opened in binary mode.")
        data = pending + chunk
        lines = data.splitlines(keepends=True)
        pending = lines.pop() if lines else b""
        # a final CR may be the first half of CR LF: wait for the next chunk
        if pending.endswith(b"\n") or len(pending) > MAX_LINE_BYTES:
            lines.append(pending)
            pending = b""
        for line in lines:
            yield _split_terminator(line)
    if pending:
        yield _split_terminator(pending)


def _split_terminator(line):
    if line.endswith(b"\r\n"):
        return line[:-2], b"\r\n"
    if line.endswith(b"\n") or line.endswith(b"\r"):
        return line[:-1], line[-1:]
    return line, b""


class FecReader:
    """Stream the records of a FEC file of either encoding and separator.

    Iterating yields ``(line_number, fields)`` for every line after the
    header (line 1), ``fields`` being the decoded, unstripped values. After
    the first record, ``header``, ``separator``, ``encoding`` (as detected or
    given), ``bom`` and ``line_endings`` are set. Problems met while reading
    (undecodable bytes …) are passed to ``on_problem(line, code, message)``
    when given, else ignored (the bytes are replaced).

    Encoding detection: a UTF-8 BOM means UTF-8; otherwise the first line
    that is not pure ASCII decides: valid UTF-8, else ISO 8859-15.
    Separator detection: ``|`` if the header holds one, else tab, else the
    refused ``;`` or ``,`` (reported by the checker).
    """

    def __init__(self, source, encoding=None, separator=None, on_problem=None):
        self.source = source
        self.encoding = normalize_encoding(encoding) if encoding else None
        self.separator = (
            separator if separator is None else SEPARATORS.get(separator, separator)
        )
        self.on_problem = on_problem
        self.header = None
        self.bom = False
        self.line_endings = set()

    def __iter__(self):
        stream, must_close = open_source(self.source)
        try:
            yield from self._records(stream)
        finally:
            if must_close:
                stream.close()

    def _records(self, stream):
        number = 0
        for raw, terminator in iter_physical_lines(stream):
            number += 1
            if terminator:
                self.line_endings.add(terminator)
            if number == 1:
                if raw.startswith(UTF8_BOM):
                    raw = raw[len(UTF8_BOM) :]
                    self.bom = True
                    self.encoding = self.encoding or "utf-8"
                text = self.decode(raw, number)
                self.separator = self.separator or detect_separator(text)
                self.header = text.split(self.separator) if self.separator else [text]
                continue
            text = self.decode(raw, number)
            yield number, text.split(self.separator) if self.separator else [text]

    def decode(self, raw, number):
        if raw.isascii():
            return raw.decode("ascii")
        if self.encoding is None:
            try:
                text = raw.decode("utf-8")
                self.encoding = "utf-8"
                return text
            except UnicodeDecodeError:
                self.encoding = "iso8859-15"
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError as exc:
            if self.on_problem:
                self.on_problem(
                    number,
                    "encoding",
                    f"Bytes invalid in {self.encoding} at position {exc.start} "
                    "(mixed encodings?).",
                )
            return raw.decode(self.encoding, errors="replace")


def detect_separator(header):
    """The separator of a header line, or ``None`` when it has none."""
    for candidate in ("|", "\t", ";", ","):
        if candidate in header:
            return candidate
    return None


_AMOUNT = re.compile(r"([+-]?)(\d+)(?:,(\d*))?")
_DATE = re.compile(r"\d{8}")


def parse_amount(text):
    """A FEC amount (``-000000000001234,50``) as a ``Decimal``; blank gives ``None``.

    Leading and trailing blanks are ignored (Odoo's core builder writes a
    blank sign position); a dot decimal separator is refused.
    """
    text = text.strip()
    if not text:
        return None
    match = _AMOUNT.fullmatch(text)
    if not match:
        raise InvalidValueError(
            f"{text!r} is not a FEC amount (digits, comma decimal separator)."
        )
    sign, units, decimals = match.groups()
    try:
        number = Decimal(f"{sign}{units}.{decimals or '0'}")
    except InvalidOperation as exc:  # pragma: no cover - the regex forbids it
        raise InvalidValueError(f"{text!r} is not a FEC amount.") from exc
    return number.quantize(CENT) if number.as_tuple().exponent > -2 else number


def parse_date(text):
    """A FEC date ``AAAAMMJJ`` as a ``date``; blank gives ``None``."""
    text = text.strip()
    if not text:
        return None
    if not _DATE.fullmatch(text):
        raise InvalidValueError(f"{text!r} is not a date AAAAMMJJ.")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError as exc:
        raise InvalidValueError(f"{text!r} is not a calendar date.") from exc


def parse_fec(source, encoding=None, separator=None):
    """Yield the lines of a FEC file as typed :class:`~.canonical.FecLine`.

    Strict: a wrong header, column count, date or amount raises
    :class:`MalformedFileError` with the line number (use
    :func:`.fec_check.check_fec` to list every problem instead). Blank
    optional values become ``None``.
    """
    reader = FecReader(source, encoding=encoding, separator=separator)
    expected = [name.lower() for name in FEC_COLUMNS]
    header_checked = False
    for number, fields in reader:
        if not header_checked:
            header = [name.strip().lower() for name in reader.header]
            if reader.separator not in ("|", "\t") or header != expected:
                raise MalformedFileError(
                    "Line 1: the header is not the 18 FEC field names in order, "
                    "separated by '|' or a tab."
                )
            header_checked = True
        if len(fields) != FIELD_COUNT:
            raise MalformedFileError(
                f"Line {number}: {len(fields)} fields instead of {FIELD_COUNT}."
            )
        try:
            yield _typed_line(fields)
        except InvalidValueError as exc:
            raise MalformedFileError(f"Line {number}: {exc}") from None


def _typed_line(fields):
    values = [value.strip() for value in fields]
    typed = []
    for name, value in zip(FEC_COLUMNS, values, strict=True):
        if name in DATE_COLUMNS:
            typed.append(parse_date(value))
        elif name in AMOUNT_COLUMNS:
            number = parse_amount(value)
            typed.append(ZERO if number is None and name != "Montantdevise" else number)
        else:
            typed.append(value or None)
    return FecLine(*typed)
