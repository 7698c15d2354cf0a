"""Text cleaning and encoding with documented transliteration.

Two problems of every flat export are solved here once:

* **Separators and line breaks inside values** shift the columns of a
  delimited file (OCA/l10n-france#99). :func:`clean_text` replaces every run of
  ``|``, tab, CR, LF, other C0/C1 control characters and the Unicode line and
  paragraph separators by a single space, then strips the value.
* **Characters outside the target encoding.** A47 A-1 III allows ASCII or
  ISO 8859-15 (and we offer UTF-8). Such characters are transliterated,
  never dropped silently. :class:`Transcoder` tries, in order,
  (1) the table :data:`TRANSLITERATIONS` (typographic quotes and dashes, the
  euro sign, ligatures …), (2) Unicode compatibility decomposition (NFKD)
  without the combining marks (``ā`` → ``a``, ``ﬁ`` → ``fi``), and only then
  (3) the replacement character ``?``. Every transliterated and replaced
  character is counted, and the first replaced ones are kept as samples, so
  the description document can state what happened.
"""

import codecs
import re
import unicodedata

from .exceptions import InvalidOptionError

# the encodings A47 A-1 III allows, plus UTF-8; EBCDIC is not offered
FEC_ENCODINGS = ("iso8859-15", "utf-8", "ascii")
REPLACEMENT = "?"
MAX_SAMPLES = 20

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f|\u2028\u2029]")
# a run of forbidden characters with the blanks around it becomes one space
_UNSAFE_RUN = re.compile(r"\s*(?:[\x00-\x1f\x7f-\x9f|\u2028\u2029]\s*)+")
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BREAKS_RUN = re.compile(r"\s*(?:[\x00-\x1f\x7f-\x9f\u2028\u2029]\s*)+")

# Tried before the Unicode decomposition; only used for characters the target
# encoding lacks (ISO 8859-15 keeps é, œ, €, « » …; ASCII needs all of them).
TRANSLITERATIONS = {
    "\u00a0": " ",  # no-break space
    "\u2007": " ",
    "\u2009": " ",
    "\u202f": " ",  # narrow no-break space (French typography)
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2039": "'",
    "\u203a": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "*",
    "\u00b7": ".",
    "\u20ac": "EUR",
    "\u00a3": "GBP",
    "\u00a5": "JPY",
    "\u00a9": "(C)",
    "\u00ae": "(R)",
    "\u2122": "TM",
    "\u00b0": "o",
    "\u00ba": "o",
    "\u00aa": "a",
    "\u00b2": "2",
    "\u00b3": "3",
    "\u00d7": "x",
    "\u00f7": "/",
    "\u0152": "OE",
    "\u0153": "oe",
    "\u00c6": "AE",
    "\u00e6": "ae",
    "\u00df": "ss",
    "\u1e9e": "SS",
    "\u00d8": "O",
    "\u00f8": "o",
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u00d0": "D",
    "\u00f0": "d",
    "\u00de": "TH",
    "\u00fe": "th",
    "\u0131": "i",
}


def normalize_encoding(name, allowed=None):
    """The codec name of ``name`` (``"latin9"`` → ``"iso8859-15"``).

    ``allowed`` restricts the result to a tuple of canonical names.
    """
    if not isinstance(name, str) or not name:
        raise InvalidOptionError(f"The encoding must be a codec name, not {name!r}.")
    try:
        canonical = codecs.lookup(name).name
    except LookupError as exc:
        raise InvalidOptionError(f"Unknown encoding {name!r}.") from exc
    if allowed is not None and canonical not in allowed:
        raise InvalidOptionError(
            f"The encoding {name!r} is not allowed here; use one of "
            f"{', '.join(allowed)}."
        )
    return canonical


def clean_text(value):
    """``value`` as a one-line string without ``|``, tab, CR, LF or controls.

    ``None`` and ``False`` (an empty Odoo field) give ``""``; numbers are
    written with ``str``. Each run of forbidden characters, with the blanks
    around it, becomes one space, and the result is stripped.
    """
    if value is None or value is False:
        return ""
    if not isinstance(value, str):
        value = str(value)
    if _UNSAFE.search(value):
        value = _UNSAFE_RUN.sub(" ", value)
    return value.strip()


def one_line(value):
    """Like :func:`clean_text` but keeps ``|``: for formats with other delimiters."""
    if value is None or value is False:
        return ""
    if not isinstance(value, str):
        value = str(value)
    if _BREAKS.search(value):
        value = _BREAKS_RUN.sub(" ", value)
    return value.strip()


def is_clean(value):
    """True when ``value`` holds no separator, line break or control character."""
    return not _UNSAFE.search(value)


class Transcoder:
    """Encode text to one encoding, transliterating what it cannot represent.

    ``transliterated`` counts characters written differently but readably,
    ``replaced`` those written as ``?``; ``samples`` keeps the first distinct
    replaced characters (at most :data:`MAX_SAMPLES`).
    """

    def __init__(self, encoding):
        self.encoding = normalize_encoding(encoding)
        self.transliterated = 0
        self.replaced = 0
        self.samples = []
        self._cache = {}

    def encode(self, text):
        """``text`` as bytes of the target encoding."""
        try:
            return text.encode(self.encoding)
        except UnicodeEncodeError:
            return self.transliterate(text).encode(self.encoding)

    def transliterate(self, text):
        """``text`` with every character the encoding lacks substituted."""
        try:
            text.encode(self.encoding)
        except UnicodeEncodeError:
            return "".join(self._substitute(char) for char in text)
        return text

    def _substitute(self, char):
        cached = self._cache.get(char)
        if cached is None:
            try:
                char.encode(self.encoding)
                return char
            except UnicodeEncodeError:
                cached = self._cache[char] = self._find_substitute(char)
        if cached == REPLACEMENT:
            self.replaced += 1
            if char not in self.samples and len(self.samples) < MAX_SAMPLES:
                self.samples.append(char)
        else:
            self.transliterated += 1
        return cached

    def _find_substitute(self, char):
        candidates = []
        if char in TRANSLITERATIONS:
            candidates.append(TRANSLITERATIONS[char])
        decomposed = unicodedata.normalize("NFKD", char)
        candidates.append(
            "".join(c for c in decomposed if not unicodedata.combining(c))
        )
        for candidate in candidates:
            if not candidate:
                continue
            try:
                candidate.encode(self.encoding)
            except UnicodeEncodeError:
                # the decomposition may hold a character that needs the table
                candidate = "".join(
                    TRANSLITERATIONS.get(c, c) for c in candidate
                ).strip()
                try:
                    candidate.encode(self.encoding)
                except UnicodeEncodeError:
                    continue
            if candidate and is_clean(candidate):
                return candidate
        return REPLACEMENT
