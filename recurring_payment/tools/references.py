"""Transaction references of a collection batch, computed together.

Plain Python (no Odoo). The rule is Odoo's ``payment.transaction.
_compute_reference`` with a custom prefix: the prefix (made ASCII) when no
transaction has it yet, else ``<prefix>-<n>`` with ``n`` one more than the
largest number already used after that prefix. Computing a whole batch at
once needs one query for the exact prefixes instead of one per transaction;
the few prefixes already taken have their ``<prefix>-<n>`` references looked
up apart.
"""

import re
import unicodedata

SEPARATOR = "-"


def ascii_prefix(text):
    """The prefix as Odoo keeps it: accents dropped, other non-ASCII removed
    (``É`` -> ``E``)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def next_reference(prefix, taken, separator=SEPARATOR):
    """The reference for ``prefix`` given the references ``taken`` (those equal
    to the prefix or starting with ``prefix + separator`` are enough)."""
    if prefix not in taken:
        return prefix
    pattern = re.compile(rf"^{re.escape(prefix)}{re.escape(separator)}(\d+)$")
    numbers = [int(match.group(1)) for ref in taken if (match := pattern.match(ref))]
    return f"{prefix}{separator}{max(numbers, default=0) + 1}"


def assign_references(prefixes, taken, separator=SEPARATOR):
    """One unique reference per prefix of ``prefixes`` (in order), none of
    ``taken`` and no two alike, even for a prefix repeated in the batch."""
    taken = set(taken)
    references = []
    for prefix in prefixes:
        reference = next_reference(prefix, taken, separator)
        taken.add(reference)
        references.append(reference)
    return references
