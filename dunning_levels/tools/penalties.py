"""Late-payment penalties and the fixed recovery indemnity (L441-10 II, D441-5).

Penalties run from the day after the due date, without any reminder: an
invoice due on 15 December is 1 day late on 16 December. For each half-year
the late period touches, the penalty is

    unpaid amount × annual rate × days late in that half-year / 365

with that half-year's rate (365 also in leap years). The rates are data passed
in: ``rate_of(day)`` gives the applied rate of the half-year of ``day`` (its
``year``, ``half``, ``date_end``, ``rate``, ``status`` and
``contractual_rate``; account_invoice_fr's ``rates.applied_rate`` with the
company's table and policy). A half-year whose rate
is not known yet (no row in the table under the legal default) adds nothing
for now: its segment says so and the penalty is computed once the figures
are entered. A contractual rate below the floor of a half-year is raised to
that floor for that half-year. The exact amounts are
summed and the total is rounded half-up once to the currency's decimals; the
per-half-year amounts shown on a reminder are rounded cumulatively, so they
always add up to the total.

The €40 indemnity is due per invoice paid late (D441-5). It is a euro amount:
for an invoice in another currency it is converted at the rate passed in (the
company's rate of the day), never left out silently.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .exceptions import InvalidItemError
from .money import EUR, CurrencyTable, round_half_up, to_decimal

#: Statuses of the applied rate of a half-year, as the caller's ``rate_of``
#: gives them (account_invoice_fr ``tools/rates.py``, ``AppliedRate``).
RATE_OK = "ok"
RATE_MISSING = "missing"
RATE_FLOOR = "floor"
RATE_UNCHECKED = "unchecked"

DAYS_IN_YEAR = 365
LEGAL_INDEMNITY_EUR = Decimal("40.00")


def days_late(due_date, on_date):
    """Days from the due date to ``on_date``: 1 the day after the due date.

    Zero on the due date, negative before it.
    """
    return (on_date - due_date).days


def is_overdue(due_date, on_date):
    """Overdue from the day after the due date: never on the due date itself."""
    return days_late(due_date, on_date) >= 1


@dataclass(frozen=True)
class PenaltySegment:
    """The part of a late period that falls in one half-year.

    ``rate`` is None (and ``amount`` zero) while the half-year's figures are
    missing; ``status`` is the status of the applied rate (``RATE_*``).
    ``contractual_rate``: the rate agreed, when the floor replaced it.
    """

    year: int
    half: int
    date_from: date
    date_to: date
    days: int
    rate: Decimal | None
    amount: Decimal
    status: str = "ok"
    contractual_rate: Decimal | None = None


@dataclass(frozen=True)
class Penalty:
    """Penalty of one invoice on a date, split by half-year."""

    base: Decimal
    days: int
    total: Decimal
    segments: tuple = ()

    def _with_status(self, status):
        return tuple(s for s in self.segments if s.status == status)

    @property
    def missing_segments(self):
        """Half-years whose penalties wait for the rate table's figures."""
        return self._with_status(RATE_MISSING)

    @property
    def floor_segments(self):
        """Half-years where the floor replaced the contractual rate."""
        return self._with_status(RATE_FLOOR)

    @property
    def unchecked_segments(self):
        """Half-years where the contractual rate could not be checked."""
        return self._with_status(RATE_UNCHECKED)


def late_periods(due_date, on_date, rate_of):
    """The late days (day after due date to ``on_date``) cut by half-year.

    A list of (applied rate, first day, last day), empty when not late;
    ``rate_of``: see the module docstring.
    """
    periods = []
    start = due_date + timedelta(days=1)
    while start <= on_date:
        applied = rate_of(start)
        end = min(applied.date_end, on_date)
        periods.append((applied, start, end))
        start = end + timedelta(days=1)
    return periods


def compute_penalty(base, due_date, on_date, rate_of, digits=2):
    """Penalty on ``base`` (the unpaid amount, VAT included) on ``on_date``.

    ``rate_of(day)``: the applied rate of the half-year of ``day`` (module
    docstring). Never fails on a missing rate: that half-year adds nothing.
    """
    base = to_decimal(base, "penalty base")
    if base < 0:
        raise InvalidItemError(f"The penalty base cannot be negative ({base}).")
    periods = late_periods(due_date, on_date, rate_of)
    divisor = 100 * DAYS_IN_YEAR
    cumulated = Decimal(0)
    shown = Decimal(0)
    segments = []
    for applied, start, end in periods:
        days = (end - start).days + 1
        if applied.rate is not None:
            cumulated += base * applied.rate * days  # exact: one division at the end
        rounded = round_half_up(cumulated / divisor, digits)
        segments.append(
            PenaltySegment(
                applied.year,
                applied.half,
                start,
                end,
                days,
                applied.rate,
                rounded - shown,
                applied.status,
                applied.contractual_rate if applied.status == RATE_FLOOR else None,
            )
        )
        shown = rounded
    return Penalty(
        base=base,
        days=max(days_late(due_date, on_date), 0),
        total=round_half_up(cumulated / divisor, digits),
        segments=tuple(segments),
    )


def indemnity_amount(currency, currencies=None, amount_eur=LEGAL_INDEMNITY_EUR):
    """The fixed indemnity (€40 by default) in ``currency``, rounded.

    ``currencies``: a :class:`~.money.CurrencyTable` giving the EUR rate when
    ``currency`` is not the euro.
    """
    currencies = currencies or CurrencyTable()
    return currencies.convert(amount_eur, EUR, currency)
