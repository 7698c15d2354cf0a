"""The canonical extract: one tuple per journal item, shared by every format.

The export query returns its columns in the order of :class:`FecLine` (the
18 FEC fields of LPF art. A47 A-1), so a database row, a ``FecLine`` and any 18-item
sequence are interchangeable. Values may be Python objects (``date``,
``Decimal``) as a DB-API cursor returns them, or the text a PostgreSQL
``COPY … TO STDOUT`` writes (``2024-01-31``, ``1234.50``): the converters
below accept both.
"""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from .exceptions import InvalidValueError

ZERO = Decimal("0.00")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")
CENT = Decimal("0.01")


class FecLine(NamedTuple):
    """One journal item of the canonical extract (the FEC column order)."""

    journal_code: str
    journal_label: str
    entry_number: str
    entry_date: date
    account_code: str
    account_label: str
    aux_account: str | None = None
    aux_label: str | None = None
    piece_ref: str | None = None
    piece_date: date | None = None
    label: str | None = None
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    matching_code: str | None = None
    matching_date: date | None = None
    valid_date: date | None = None
    currency_amount: Decimal | None = None
    currency_code: str | None = None


FIELD_COUNT = len(FecLine._fields)


class OpeningBalance(NamedTuple):
    """One balance carried forward: ``balance`` is debit minus credit."""

    account_code: str
    account_label: str
    balance: Decimal
    aux_account: str | None = None
    aux_label: str | None = None


def to_date(value, field="date"):
    """``value`` as a ``date``; ``None`` and ``""`` give ``None``.

    Accepts ``date``, ``datetime`` (its date is kept) and ISO text
    ``YYYY-MM-DD`` (optionally followed by a time, as COPY writes timestamps).
    """
    if value is None or value is False or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError as exc:
            raise InvalidValueError(
                f"{field}: {value!r} is not a date (not a calendar day)."
            ) from exc
    raise InvalidValueError(f"{field}: {value!r} is not a date (expected YYYY-MM-DD).")


def to_decimal(value, field="amount"):
    """``value`` as a ``Decimal`` rounded to the cent; ``None``/``""`` give ``None``.

    Accepts ``Decimal``, ``int``, ``float`` (through its shortest repr) and
    text with a dot decimal separator, as PostgreSQL writes numerics.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidValueError(f"{field}: {value!r} is not an amount.")
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, str):
            number = Decimal(value.strip())
        else:
            raise InvalidValueError(f"{field}: {value!r} is not an amount.")
        if not number.is_finite():
            raise InvalidValueError(f"{field}: {value!r} is not a finite amount.")
        return number.quantize(CENT, ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise InvalidValueError(f"{field}: {value!r} is not an amount.") from exc


def as_fec_line(row):
    """``row`` (any 18-item sequence) as a :class:`FecLine` with typed values.

    Dates become ``date``, amounts ``Decimal`` (debit and credit default to
    zero), blank texts ``None``. Texts are not cleaned here: each format
    cleans what it writes.
    """
    if len(row) != FIELD_COUNT:
        raise InvalidValueError(
            f"A canonical row has {FIELD_COUNT} values, not {len(row)}: {row!r}"
        )
    values = list(row)
    for index in (0, 1, 2, 4, 5, 6, 7, 8, 10, 13, 17):
        value = values[index]
        blank = value is None or value is False or value == ""
        values[index] = None if blank else str(value)
    for index in (3, 9, 14, 15):
        values[index] = to_date(values[index], FecLine._fields[index])
    for index in (11, 12):
        values[index] = to_decimal(values[index], FecLine._fields[index]) or ZERO
    values[16] = to_decimal(values[16], "currency_amount")
    return FecLine(*values)


def opening_lines(
    balances,
    opening_date,
    *,
    journal_code="OUV",
    journal_label="Balance initiale",
    entry_number=None,
    result_account=None,
):
    """Generate the opening entry ("à-nouveaux") from carried-forward balances.

    As Odoo's ``l10n_fr_fec`` builds it: journal ``OUV``, entry
    ``OUVERTURE/<year>``, dated the first day of the fiscal year, one line per
    balance-sheet account and, for receivables and payables, one per partner
    (``aux_account``). ``balances`` is an iterable of :class:`OpeningBalance`
    (or 3- to 5-item tuples in its order); zero balances are skipped.

    Whatever does not balance (the undistributed profit or loss) goes to
    ``result_account``, a ``(code, label)`` pair, merged with that account's
    own balance when it has one; without it an unbalanced input raises
    :class:`InvalidValueError` once the balances are consumed.
    """
    opening_date = to_date(opening_date, "opening_date")
    if opening_date is None:
        raise InvalidValueError("The opening entry needs a date.")
    number = entry_number or f"OUVERTURE/{opening_date.year}"
    residual = ZERO
    held = None

    def line(code, label, balance, aux=None, aux_label=None):
        return FecLine(
            journal_code,
            journal_label,
            number,
            opening_date,
            code,
            label,
            aux,
            aux_label,
            "-",
            opening_date,
            "/",
            balance if balance > 0 else ZERO,
            -balance if balance < 0 else ZERO,
            None,
            None,
            opening_date,
            None,
            None,
        )

    for item in balances:
        balance_item = OpeningBalance(*item)
        amount = to_decimal(balance_item.balance, "balance") or ZERO
        residual += amount
        if (
            result_account
            and balance_item.account_code == result_account[0]
            and not balance_item.aux_account
        ):
            held = amount if held is None else held + amount
            continue
        if amount:
            yield line(
                balance_item.account_code,
                balance_item.account_label,
                amount,
                balance_item.aux_account,
                balance_item.aux_label,
            )
    if result_account:
        amount = (held or ZERO) - residual
        if amount:
            yield line(result_account[0], result_account[1], amount)
    elif residual:
        raise InvalidValueError(
            f"The opening balances do not balance (difference {residual}); "
            "give the account that receives the result (result_account)."
        )
