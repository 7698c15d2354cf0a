"""Half-yearly late-payment rates (Code de commerce L441-10 II).

The default penalty rate is the ECB main refinancing rate in force on
1 January (first half-year) or 1 July (second half-year) plus 10 points. A
contractual rate may be agreed instead, but never below three times the legal
interest rate of the half-year it is applied in.

Rates are data: the caller passes the table (the ``dunning.rate`` records,
seeded by the addon's XML data); nothing here knows a figure. All rates are
annual percentages (``Decimal("12.15")`` for 12.15 %). The reminders' penalties
(dunning_levels) get the :class:`AppliedRate` of each half-year from
:func:`applied_rate`, through the caller: they need no rate table.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from .exceptions import (
    InvalidSettingsError,
    MissingRateError,
    RateBelowFloorError,
    RateTableError,
)

LEGAL_DEFAULT = "legal_default"
CONTRACTUAL = "contractual"
ECB_MARGIN = Decimal(10)
FLOOR_FACTOR = Decimal(3)


def to_decimal(value, what="rate"):
    """``value`` as a Decimal (ints, Decimals, numeric strings, floats through
    ``str``, so that ``2.15`` stays ``Decimal("2.15")``)."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or value is None:
        raise InvalidSettingsError(f"The {what} must be a number, not {value!r}.")
    else:
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            raise InvalidSettingsError(
                f"The {what} must be a number, not {value!r}."
            ) from None
    if not result.is_finite():
        raise InvalidSettingsError(f"The {what} must be a finite number.")
    return result


def half_year_of(day):
    """(year, half) of ``day``: half 1 is January–June, half 2 July–December."""
    return day.year, 1 if day.month <= 6 else 2


def half_year_bounds(year, half):
    """First and last day of a half-year."""
    if half == 1:
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)


def half_year_label(year, half):
    return f"H{half} {year}"


@dataclass(frozen=True)
class HalfYearRate:
    """One row of the rate table: the reference rates of a half-year."""

    year: int
    half: int
    ecb_rate: Decimal
    legal_rate_professional: Decimal
    source: str = ""

    def __post_init__(self):
        if not isinstance(self.year, int) or not 1900 <= self.year <= 9999:
            raise RateTableError(f"Invalid year {self.year!r} in the rate table.")
        if self.half not in (1, 2):
            raise RateTableError(
                f"The half-year must be 1 or 2, not {self.half!r} ({self.year})."
            )
        for name in ("ecb_rate", "legal_rate_professional"):
            value = to_decimal(getattr(self, name), name.replace("_", " "))
            if value < 0:
                raise RateTableError(
                    f"The {name.replace('_', ' ')} of {self.label} cannot be "
                    f"negative ({value})."
                )
            object.__setattr__(self, name, value)

    @classmethod
    def from_start(cls, date_start, ecb_rate, legal_rate_professional, source=""):
        """Row built from the half-year's first day (1 January or 1 July)."""
        if date_start.day != 1 or date_start.month not in (1, 7):
            raise RateTableError(
                f"A half-year starts on 1 January or 1 July, not {date_start}."
            )
        year, half = half_year_of(date_start)
        return cls(year, half, ecb_rate, legal_rate_professional, source)

    @property
    def key(self):
        return self.year, self.half

    @property
    def label(self):
        return half_year_label(self.year, self.half)

    @property
    def date_start(self):
        return half_year_bounds(self.year, self.half)[0]

    @property
    def date_end(self):
        return half_year_bounds(self.year, self.half)[1]

    @property
    def default_penalty_rate(self):
        """ECB main rate + 10 points."""
        return self.ecb_rate + ECB_MARGIN

    @property
    def floor_rate(self):
        """Minimum contractual rate: 3 × the legal interest rate."""
        return self.legal_rate_professional * FLOOR_FACTOR


class RateTable:
    """The half-yearly rows indexed by (year, half); one row per half-year."""

    def __init__(self, rows=()):
        self._rows = {}
        for row in rows:
            if not isinstance(row, HalfYearRate):
                raise RateTableError(
                    f"Rate table rows must be HalfYearRate, not {type(row).__name__}."
                )
            if row.key in self._rows:
                raise RateTableError(f"The rate table has two rows for {row.label}.")
            self._rows[row.key] = row

    def __iter__(self):
        return iter(sorted(self._rows.values(), key=lambda row: row.key))

    def __len__(self):
        return len(self._rows)

    def get(self, year, half):
        """The row of a half-year; :class:`MissingRateError` when absent."""
        try:
            return self._rows[year, half]
        except KeyError:
            raise MissingRateError(
                f"No late-payment reference rate for {half_year_label(year, half)} "
                f"({half_year_bounds(year, half)[0]} to "
                f"{half_year_bounds(year, half)[1]}): add the ECB and legal "
                f"interest rates of that half-year to the rate table."
            ) from None

    def for_date(self, day):
        return self.get(*half_year_of(day))


def as_table(table):
    """``table`` as a :class:`RateTable` (rows or an existing table)."""
    return table if isinstance(table, RateTable) else RateTable(table)


@dataclass(frozen=True)
class RatePolicy:
    """Which penalty rate a company applies.

    ``kind``: ``legal_default`` (ECB + 10 points, changing every half-year)
    or ``contractual`` (``contractual_rate``, a fixed annual percentage
    agreed in the general terms of sale).
    """

    kind: str = LEGAL_DEFAULT
    contractual_rate: Decimal | None = None

    def __post_init__(self):
        if self.kind == LEGAL_DEFAULT:
            if self.contractual_rate is not None:
                raise InvalidSettingsError(
                    "The legal default rate policy takes no contractual rate."
                )
            return
        if self.kind != CONTRACTUAL:
            raise InvalidSettingsError(
                f"Unknown penalty rate policy {self.kind!r}: use "
                f"{LEGAL_DEFAULT!r} or {CONTRACTUAL!r}."
            )
        if self.contractual_rate is None:
            raise InvalidSettingsError("A contractual rate policy needs a rate.")
        rate = to_decimal(self.contractual_rate, "contractual penalty rate")
        if rate <= 0:
            raise InvalidSettingsError(
                f"The contractual penalty rate must be positive, not {rate}."
            )
        object.__setattr__(self, "contractual_rate", rate)

    @classmethod
    def legal_default(cls):
        return cls(LEGAL_DEFAULT)

    @classmethod
    def contractual(cls, rate):
        return cls(CONTRACTUAL, rate)


def as_policy(policy):
    """A :class:`RatePolicy` from a policy, ``"legal_default"`` or a rate."""
    if isinstance(policy, RatePolicy):
        return policy
    if policy is None or policy == LEGAL_DEFAULT:
        return RatePolicy.legal_default()
    return RatePolicy.contractual(policy)


def rate_for(day, table, policy=LEGAL_DEFAULT):
    """The annual penalty rate (percent) applying on ``day``.

    Legal default: the ECB rate of the half-year + 10 points. Contractual: the
    agreed rate, checked against the floor (3 × legal rate) of that half-year.
    Raises :class:`MissingRateError` when the half-year is not in the table
    and :class:`RateBelowFloorError` when the contractual rate is too low.
    """
    policy = as_policy(policy)
    row = as_table(table).for_date(day)
    if policy.kind == LEGAL_DEFAULT:
        return row.default_penalty_rate
    if policy.contractual_rate < row.floor_rate:
        raise RateBelowFloorError(
            f"The contractual penalty rate of {policy.contractual_rate} % is below "
            f"the legal minimum of {row.floor_rate} % for {row.label} (3 × the "
            f"legal interest rate of {row.legal_rate_professional} %, Code de "
            f"commerce L441-10 II)."
        )
    return policy.contractual_rate


RATE_OK = "ok"
RATE_MISSING = "missing"
RATE_FLOOR = "floor"
RATE_UNCHECKED = "unchecked"


@dataclass(frozen=True)
class AppliedRate:
    """The penalty rate a half-year gets, and why; never an error.

    ``status``:

    * ``ok``: the legal default of the half-year, or a lawful contractual rate;
    * ``missing``: legal default, but the table has no row for the half-year:
      ``rate`` is None and the penalties of that half-year wait for the figures;
    * ``floor``: the contractual rate is below 3 × the legal rate of the
      half-year: ``rate`` is that floor (L441-10 II), ``contractual_rate`` the
      rate agreed;
    * ``unchecked``: contractual rate, but the table has no row to check it
      against the floor: the contractual rate applies as agreed.
    """

    year: int
    half: int
    rate: Decimal | None
    status: str
    contractual_rate: Decimal | None = None
    floor_rate: Decimal | None = None

    @property
    def label(self):
        return half_year_label(self.year, self.half)

    @property
    def date_start(self):
        return half_year_bounds(self.year, self.half)[0]

    @property
    def date_end(self):
        return half_year_bounds(self.year, self.half)[1]


def applied_rate(day, table, policy=LEGAL_DEFAULT):
    """The :class:`AppliedRate` of the half-year of ``day``.

    Unlike :func:`rate_for`, a missing row or a contractual rate below the
    floor is not an error: the caller gets what can lawfully be applied.
    """
    policy = as_policy(policy)
    year, half = half_year_of(day)
    try:
        row = as_table(table).get(year, half)
    except MissingRateError:
        row = None
    if policy.kind == LEGAL_DEFAULT:
        if row is None:
            return AppliedRate(year, half, None, RATE_MISSING)
        return AppliedRate(year, half, row.default_penalty_rate, RATE_OK)
    contractual = policy.contractual_rate
    if row is None:
        return AppliedRate(year, half, contractual, RATE_UNCHECKED, contractual)
    if contractual < row.floor_rate:
        return AppliedRate(
            year, half, row.floor_rate, RATE_FLOOR, contractual, row.floor_rate
        )
    return AppliedRate(year, half, contractual, RATE_OK, contractual, row.floor_rate)


def floor_violations(contractual_rate, table):
    """Rows of ``table`` whose floor is above ``contractual_rate``.

    For the settings form: an empty list means the rate is lawful in every
    half-year of the table.
    """
    rate = to_decimal(contractual_rate, "contractual penalty rate")
    return [row for row in as_table(table) if rate < row.floor_rate]
