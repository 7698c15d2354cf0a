"""Grouping keys of consolidated invoices (readme/DESCRIPTION.md).

Keys are read from the prepared invoice values, never from the source
documents, and every key value is normalised so that it is never None: an id
or False for a relation, a string ('' when empty) for text. Sorting then
grouping by such tuples can neither merge by accident (a key missing from the
values) nor raise TypeError (None next to an integer).
"""

from .exceptions import GroupingError


def normalise(value):
    """A grouping value: ids stay ints, empty relations False, text a str."""
    if value is None or value is False:
        return False
    if isinstance(value, (list, tuple)):
        # a Command list or a (id, name) pair: keep what identifies it
        return tuple(normalise(v) for v in value)
    if isinstance(value, (int, str)):
        return value
    return str(value)


def key_of(values, key_names):
    """The grouping key of invoice ``values`` over ``key_names``.

    Every name must be present in the values: a key that the prepare step
    does not write would evaluate to the same missing value everywhere and
    silently merge every invoice (OCA/account-invoicing #1747).
    """
    missing = [name for name in key_names if name not in values]
    if missing:
        raise GroupingError(
            "Grouping keys missing from the invoice values: " + ", ".join(missing)
        )
    return tuple(_sortable(normalise(values[name])) for name in key_names)


def _sortable(value):
    """``value`` tagged with its kind, so that keys compare without comparing
    types: False first, then ids, then text, then tuples (a relation's
    ``(id, name)``, a Command list), element by element in the same way."""
    if value is False:
        return (0, "")
    if isinstance(value, int):
        return (1, value)
    if isinstance(value, tuple):
        return (3, tuple(_sortable(item) for item in value))
    return (2, value)


def differing_keys(keys, key_names):
    """The names of the keys whose values differ among the given key tuples."""
    keys = list(keys)
    if len(keys) < 2:
        return []
    return [
        name
        for position, name in enumerate(key_names)
        if len({key[position] for key in keys}) > 1
    ]


def conflicts(values_list, key_names):
    """The names among ``key_names`` whose value differs across
    ``values_list`` (the invoice values of one billing account's sources)."""
    keys = [key_of(values, key_names) for values in values_list]
    return differing_keys(keys, key_names)


def join_text(texts, limit=2000, separator=", "):
    """Distinct non-empty texts joined in order, cut at ``limit`` characters."""
    seen = []
    for text in texts:
        if text and text not in seen:
            seen.append(text)
    joined = separator.join(seen)
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"
