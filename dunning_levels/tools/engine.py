"""Dunning engine: from a customer's open items and a date to the level reached,
the reminder's content and the actions to create (readme/DESCRIPTION.md; the
penalties and the indemnity of Code de commerce L441-10 II and D441-5).

One evaluation covers one customer (commercial partner × company) on one day.

* **Items.** Open invoices are chased for their residual minus the disputed
  amount; excluded invoices and invoices in a pending direct debit are left
  out. Open credit notes and unreconciled payments are netted, per currency.
  Residuals are positive amounts; ``kind`` gives the direction.
* **Groups.** Amounts are never mixed across currencies: each currency has
  its own group, net balance, tolerance and penalties. The tolerance and the
  levels' minimum amounts are in the company currency and converted into each
  group's currency.
* **Lateness.** An invoice is *overdue* from the day after its due date
  (1 day late). Levels with a delay of zero or less are courtesy reminders:
  invoices not yet due but within that delay are *due soon*.
* **Level.** The customer's level is the highest level whose delay the oldest
  overdue (or due-soon) invoice of a chased group has reached and whose
  minimum amount the group's net amount reaches, then lowered while it
  *requires the previous level* and no open invoice of the customer has
  received the previous level (or a higher one) yet. As dates pass with
  nothing paid, the level never goes down.
* **Message.** One message at the customer's level lists every invoice of
  the chased groups; when that level says so, each overdue invoice shows its
  penalties and the €40 indemnity.
* **Penalties.** Computed with each half-year's rate; a half-year missing
  from the rate table waits (its penalty is left out and a note says which
  figures to enter), a contractual rate below a half-year's floor is raised
  to that floor (and a note says so): the reminder is never withheld for a
  rate.
* **Notes.** Why the level was reached (or why no reminder) as
  :class:`Note` values: a key and plain parameters, so that the caller words
  them in the user's language; :func:`explain` words them in English.
* **Actions.** One :class:`Action` per (invoice, level, channel) for every
  listed invoice that has not yet received this level or a higher one; at
  most one message per customer per day (and per ``min_interval_days``). So
  recording the actions and evaluating again gives no new action.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from .exceptions import InvalidItemError, InvalidLevelError, InvalidSettingsError
from .money import CurrencyTable, to_decimal
from .penalties import (
    LEGAL_INDEMNITY_EUR,
    RATE_FLOOR,
    RATE_MISSING,
    RATE_UNCHECKED,
    compute_penalty,
    days_late,
    indemnity_amount,
)

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
PAYMENT = "payment"
KINDS = (INVOICE, CREDIT_NOTE, PAYMENT)
CHANNELS = ("email", "letter", "activity")
ZERO = Decimal(0)


class SkipReason(str, Enum):
    """Why an evaluation creates no action."""

    NOTHING_DUE = "nothing_due"
    BELOW_TOLERANCE = "below_tolerance"
    NO_LEVEL = "no_level"
    MANUAL_PAUSE = "manual_pause"
    QUIET_PERIOD = "quiet_period"
    PROMISE_TO_PAY = "promise_to_pay"
    DISPUTE = "dispute"
    MIN_INTERVAL = "min_interval"
    NOTHING_NEW = "nothing_new"


# ----------------------------------------------------------------------
# Input
# ----------------------------------------------------------------------


# Keys of the notes (see Note); their parameters are listed in NOTE_TEXTS.
NOTE_LEVEL = "level_reached"
NOTE_MIN_AMOUNT = "min_amount"
NOTE_REQUIRES_PREVIOUS = "requires_previous"
NOTE_BELOW_TOLERANCE = "below_tolerance"
NOTE_RATE_MISSING = "rate_missing"
NOTE_RATE_FLOOR = "rate_floor"
NOTE_RATE_UNCHECKED = "rate_unchecked"
NOTE_SKIP = "skip"


@dataclass(frozen=True)
class Note:
    """One line of the explanation: a key and its parameters (plain values:
    ints, Decimals, dates, currency codes, names), worded by the caller."""

    key: str
    params: dict = field(default_factory=dict)


def _optional_date(value):
    """Odoo's empty value (False) is no date."""
    return None if value is False else value


def _check_date(value, what, optional=False):
    if value is None and optional:
        return
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidItemError(f"The {what} must be a date, not {value!r}.")


@dataclass(frozen=True)
class OpenItem:
    """An open accounting item of the customer.

    ``residual``: the amount still open, positive, in ``currency`` (for a
    credit note or a payment: the credit still available).
    ``disputed_amount``: the part of an invoice under dispute, not chased.
    """

    id: object
    kind: str
    currency: str
    due_date: date | None
    residual: Decimal
    excluded: bool = False
    disputed_amount: Decimal = ZERO
    in_direct_debit: bool = False
    name: str = ""
    invoice_date: date | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise InvalidItemError(
                f"Item {self.id!r}: unknown kind {self.kind!r} (expected one of "
                f"{', '.join(KINDS)})."
            )
        if not isinstance(self.currency, str) or not self.currency:
            raise InvalidItemError(f"Item {self.id!r} has no currency.")
        object.__setattr__(self, "due_date", _optional_date(self.due_date))
        object.__setattr__(self, "invoice_date", _optional_date(self.invoice_date))
        _check_date(
            self.due_date, f"due date of item {self.id!r}", self.kind != INVOICE
        )
        _check_date(self.invoice_date, f"date of item {self.id!r}", optional=True)
        residual = to_decimal(self.residual, f"residual of item {self.id!r}")
        disputed = to_decimal(
            self.disputed_amount, f"disputed amount of item {self.id!r}"
        )
        if residual < 0:
            raise InvalidItemError(
                f"Item {self.id!r}: the residual must be given as a positive "
                f"amount, not {residual} (the kind gives the direction)."
            )
        if disputed < 0:
            raise InvalidItemError(
                f"Item {self.id!r}: the disputed amount cannot be negative."
            )
        object.__setattr__(self, "residual", residual)
        object.__setattr__(self, "disputed_amount", disputed)

    @property
    def label(self):
        return self.name or str(self.id)

    @property
    def amount_due(self):
        """The undisputed residual of an invoice (never below zero)."""
        return max(self.residual - self.disputed_amount, ZERO)

    @property
    def is_chased(self):
        return (
            self.kind == INVOICE
            and not self.excluded
            and not self.in_direct_debit
            and self.amount_due > 0
        )

    @property
    def is_netted(self):
        return self.kind != INVOICE and not self.excluded and self.residual > 0


@dataclass(frozen=True)
class Level:
    """One step of the dunning ladder (a ``dunning.level`` as plain values).

    ``delay_days``: reached when the oldest invoice is this many days late
    (zero or negative: courtesy reminder on or before the due date).
    ``min_amount``: minimum net amount, in the company currency.
    ``indemnity_eur``: the fixed indemnity claimed per late invoice.
    """

    sequence: int
    name: str
    delay_days: int
    min_amount: Decimal = ZERO
    claim_indemnity: bool = False
    claim_penalties: bool = False
    formal_notice: bool = False
    requires_previous: bool = True
    channels: tuple = ("email",)
    indemnity_eur: Decimal = LEGAL_INDEMNITY_EUR

    def __post_init__(self):
        for name in ("sequence", "delay_days"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise InvalidLevelError(
                    f"Level {self.name!r}: {name} must be an integer, not {value!r}."
                )
        channels = (self.channels,) if isinstance(self.channels, str) else self.channels
        channels = tuple(dict.fromkeys(channels))
        if not channels:
            raise InvalidLevelError(
                f"Level {self.name!r} needs at least one channel: email, letter or "
                f"activity."
            )
        unknown = [channel for channel in channels if channel not in CHANNELS]
        if unknown:
            raise InvalidLevelError(
                f"Level {self.name!r}: unknown channel {unknown[0]!r} (expected "
                f"one of {', '.join(CHANNELS)})."
            )
        min_amount = to_decimal(self.min_amount, f"minimum amount of {self.name!r}")
        indemnity = to_decimal(self.indemnity_eur, f"indemnity of {self.name!r}")
        if min_amount < 0 or indemnity < 0:
            raise InvalidLevelError(f"Level {self.name!r}: amounts cannot be negative.")
        object.__setattr__(self, "channels", channels)
        object.__setattr__(self, "min_amount", min_amount)
        object.__setattr__(self, "indemnity_eur", indemnity)


def check_levels(levels):
    """The levels sorted by sequence, or :class:`InvalidLevelError`.

    At least one level; unique sequences; delays strictly increasing with the
    sequence; a formal notice only as the last level.
    """
    levels = sorted(levels, key=lambda level: level.sequence)
    if not levels:
        raise InvalidLevelError("A dunning policy needs at least one level.")
    for previous, level in zip(levels, levels[1:], strict=False):
        if level.sequence == previous.sequence:
            raise InvalidLevelError(
                f"Levels {previous.name!r} and {level.name!r} have the same number "
                f"{level.sequence}."
            )
        if level.delay_days <= previous.delay_days:
            raise InvalidLevelError(
                f"Level {level.name!r} must be reached later than level "
                f"{previous.name!r} ({previous.delay_days} days after the due date)."
            )
        if previous.formal_notice:
            raise InvalidLevelError(
                f"The formal notice {previous.name!r} must be the last level."
            )
    return tuple(levels)


@dataclass(frozen=True)
class PastAction:
    """A reminder already created: this invoice got this level on that date."""

    item_id: object
    level_sequence: int
    date: date


@dataclass(frozen=True)
class Action:
    """A reminder line to create: (invoice, level, channel)."""

    item_id: object
    level_sequence: int
    channel: str


@dataclass(frozen=True)
class CustomerState:
    """Everything known about one customer at evaluation time.

    ``promise_to_pay_until``: the promised payment date; ``dispute``: the
    customer as a whole disputes the debt; ``manual_pause_until``: no reminder
    up to and including that date.
    """

    items: tuple = ()
    past_actions: tuple = ()
    promise_to_pay_until: date | None = None
    dispute: bool = False
    manual_pause_until: date | None = None

    def __post_init__(self):
        items = tuple(self.items)
        past_actions = tuple(self.past_actions)
        seen = set()
        for item in items:
            if not isinstance(item, OpenItem):
                raise InvalidItemError(
                    f"Customer items must be OpenItem, not {type(item).__name__}."
                )
            if item.id in seen:
                raise InvalidItemError(f"Item {item.id!r} is listed twice.")
            seen.add(item.id)
        for action in past_actions:
            if not isinstance(action, PastAction):
                raise InvalidItemError(
                    f"Past actions must be PastAction, not {type(action).__name__}."
                )
            _check_date(action.date, f"date of the past action on {action.item_id!r}")
        _check_date(self.promise_to_pay_until, "promise-to-pay date", optional=True)
        _check_date(self.manual_pause_until, "pause end date", optional=True)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "past_actions", past_actions)

    def with_actions(self, actions, on_date):
        """This state once ``actions`` have been created on ``on_date``."""
        return replace(
            self, past_actions=self.past_actions + record_actions(actions, on_date)
        )


def record_actions(actions, on_date):
    """The past actions to store for ``actions``, one per (item, level)."""
    pairs = dict.fromkeys((a.item_id, a.level_sequence) for a in actions)
    return tuple(PastAction(item, level, on_date) for item, level in pairs)


# ----------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceLine:
    """An open invoice as listed in the reminder.

    ``days_late``: 1 the day after the due date, 0 on it, negative before.
    ``amount_due``: residual minus the disputed amount: what is chased.
    ``level_sequence``: the level the invoice's own lateness has reached.
    """

    item_id: object
    name: str
    invoice_date: date | None
    due_date: date
    days_late: int
    residual: Decimal
    disputed_amount: Decimal
    amount_due: Decimal
    level_sequence: int | None
    penalty: object = None  # a penalties.Penalty when claimed
    indemnity: Decimal = ZERO

    @property
    def overdue(self):
        """From the day after the due date; not on the due date itself."""
        return self.days_late >= 1

    @property
    def penalty_amount(self):
        return self.penalty.total if self.penalty else ZERO


@dataclass(frozen=True)
class CreditLine:
    """An open credit note or unreconciled payment netted in the reminder."""

    item_id: object
    name: str
    kind: str
    amount: Decimal


@dataclass(frozen=True)
class CurrencyGroup:
    """The customer's items in one currency; amounts never mix currencies.

    ``net_overdue`` = overdue invoices − credit notes − payments.
    ``net_due`` = ``net_overdue`` + invoices due soon (courtesy window): the
    amount compared with the tolerance and the levels' minimum amounts.
    ``chased``: ``net_due`` is above the (converted) tolerance.
    """

    currency: str
    invoices: tuple
    credits: tuple
    overdue_total: Decimal
    due_soon_total: Decimal
    not_due_total: Decimal
    credit_total: Decimal
    payment_total: Decimal
    tolerance: Decimal
    chased: bool
    level_sequence: int | None
    driving_item_id: object
    penalty_total: Decimal = ZERO
    indemnity_total: Decimal = ZERO

    @property
    def net_overdue(self):
        return self.overdue_total - self.credit_total - self.payment_total

    @property
    def net_due(self):
        return self.net_overdue + self.due_soon_total

    @property
    def total_claimed(self):
        """Net overdue amount plus the penalties and indemnities claimed."""
        return self.net_overdue + self.penalty_total + self.indemnity_total

    @property
    def overdue_invoices(self):
        return tuple(line for line in self.invoices if line.overdue)


@dataclass(frozen=True)
class Evaluation:
    """The result of :func:`evaluate` for one customer on one day.

    ``natural_level``: reached by lateness and amounts alone; ``level``: after
    the *requires previous level* rule (the level of the message).
    """

    on_date: date
    level: Level | None
    natural_level: Level | None
    driving_item_id: object
    driving_days_late: int | None
    groups: tuple
    actions: tuple
    skip_reason: SkipReason | None
    notes: tuple = field(default=())

    def _rate_notes(self, key):
        return tuple(note for note in self.notes if note.key == key)

    @property
    def missing_rates(self):
        """(year, half) of the half-years whose penalties wait for figures."""
        return tuple(
            (n.params["year"], n.params["half"])
            for n in self._rate_notes(NOTE_RATE_MISSING)
        )

    @property
    def floor_rates(self):
        """Notes of the half-years where the floor replaced the agreed rate."""
        return self._rate_notes(NOTE_RATE_FLOOR)

    @property
    def level_sequence(self):
        return self.level.sequence if self.level else None

    @property
    def to_send(self):
        return bool(self.actions)

    def group(self, currency):
        return next((g for g in self.groups if g.currency == currency), None)


# ----------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------


def level_for_days(levels, days):
    """The highest level whose delay ``days`` of lateness has reached."""
    reached = [level for level in levels if level.delay_days <= days]
    return reached[-1] if reached else None


def explain_invoice(name, days, level):
    """A phrase such as "Invoice X is 47 days late → level 3 (Final reminder)".

    ``level``: a :class:`Level`, a dict with ``level`` and ``level_name``, or
    None.
    """
    if isinstance(level, dict):
        level = (
            Level(level["level"], level["level_name"], 0)
            if level.get("level") is not None
            else None
        )
    if days > 0:
        lateness = f"{days} day{'s' if days > 1 else ''} late"
    elif days == 0:
        lateness = "due today"
    else:
        lateness = f"due in {-days} day{'s' if days < -1 else ''}"
    target = f"level {level.sequence} ({level.name})" if level else "no level yet"
    return f"Invoice {name} is {lateness} → {target}."


SKIP_TEXTS = {
    SkipReason.NOTHING_DUE: "no invoice is overdue or due soon.",
    SkipReason.BELOW_TOLERANCE: (
        "the net amount due is at or below the tolerance in every currency."
    ),
    SkipReason.NO_LEVEL: "no level is reached yet.",
    SkipReason.MANUAL_PAUSE: "reminders are paused until {until}.",
    SkipReason.QUIET_PERIOD: "quiet period from {start} to {end}.",
    SkipReason.PROMISE_TO_PAY: (
        "the customer promised to pay by {until} (grace period {grace} days)."
    ),
    SkipReason.DISPUTE: "the customer disputes the debt.",
    SkipReason.MIN_INTERVAL: (
        "the last reminder was sent on {last}, {elapsed} days ago (minimum {minimum})."
    ),
    SkipReason.NOTHING_NEW: (
        "every listed invoice already received this level or a higher one."
    ),
}
NOTE_TEXTS = {
    NOTE_MIN_AMOUNT: (
        "{currency}: level {level} needs a net amount of {min_amount} "
        "{company_currency} or more; the customer owes {net_due} {currency} → "
        "{target}."
    ),
    NOTE_REQUIRES_PREVIOUS: (
        "Level {level} requires level {previous} ({previous_name}) to have been "
        "sent first → level {previous}."
    ),
    NOTE_BELOW_TOLERANCE: (
        "{currency}: net amount due {net_due} is at or below the tolerance of "
        "{tolerance} → not chased."
    ),
    NOTE_RATE_MISSING: (
        "No reference rates for H{half} {year}: its penalties are left out "
        "until the ECB main rate and the legal interest rate of that half-year "
        "are entered."
    ),
    NOTE_RATE_FLOOR: (
        "H{half} {year}: the contractual rate of {contractual_rate} % is below "
        "the legal minimum of {floor_rate} % → penalties at {floor_rate} %."
    ),
    NOTE_RATE_UNCHECKED: (
        "H{half} {year}: no legal interest rate to check the contractual rate "
        "of {contractual_rate} % against; it applies as agreed."
    ),
}


def note_text(note):
    """One :class:`Note` worded in English."""
    params = note.params
    if note.key == NOTE_LEVEL:
        return explain_invoice(params["invoice"], params["days"], params)
    if note.key == NOTE_SKIP:
        reason = SkipReason(params["reason"])
        return "No reminder: " + SKIP_TEXTS[reason].format(**params)
    if note.key == NOTE_MIN_AMOUNT:
        target = (
            f"level {params['reached']}"
            if params["reached"] is not None
            else "no level"
        )
        return NOTE_TEXTS[note.key].format(target=target, **params)
    return NOTE_TEXTS[note.key].format(**params)


def explain(evaluation):
    """Why this evaluation reached its level and sends (or not), in English."""
    return "\n".join(note_text(note) for note in evaluation.notes)


@dataclass(frozen=True)
class _Settings:
    levels: tuple
    on_date: date
    tolerance: Decimal
    currencies: CurrencyTable
    scope_from: int


def _invoice_line(item, settings):
    days = days_late(item.due_date, settings.on_date)
    level = level_for_days(settings.levels, days)
    return InvoiceLine(
        item_id=item.id,
        name=item.label,
        invoice_date=item.invoice_date,
        due_date=item.due_date,
        days_late=days,
        residual=item.residual,
        disputed_amount=item.disputed_amount,
        amount_due=item.amount_due,
        level_sequence=level.sequence if level else None,
    )


def _group_level(levels, oldest, net_due, currency, settings, notes):
    """Highest level reached by ``oldest`` days whose minimum ``net_due`` meets."""
    by_delay = level_for_days(levels, oldest)
    reached = None
    for level in levels:
        if level.delay_days > oldest:
            break
        minimum = settings.currencies.convert(
            level.min_amount, settings.currencies.company_currency, currency
        )
        if net_due >= minimum:
            reached = level
    if by_delay and reached is not by_delay:
        notes.append(
            Note(
                NOTE_MIN_AMOUNT,
                {
                    "currency": currency,
                    "level": by_delay.sequence,
                    "min_amount": by_delay.min_amount,
                    "company_currency": settings.currencies.company_currency,
                    "net_due": net_due,
                    "reached": reached.sequence if reached else None,
                },
            )
        )
    return reached


def _build_group(currency, items, settings, notes):
    lines = sorted(
        (_invoice_line(item, settings) for item in items if item.is_chased),
        key=lambda line: line.due_date,
    )
    netted = tuple(
        CreditLine(item.id, item.label, item.kind, item.residual)
        for item in items
        if item.is_netted
    )
    in_scope = [line for line in lines if line.days_late >= settings.scope_from]

    def total(selected):
        return sum((line.amount_due for line in selected), ZERO)

    group = CurrencyGroup(
        currency=currency,
        invoices=tuple(lines),
        credits=netted,
        overdue_total=total(line for line in lines if line.overdue),
        due_soon_total=total(line for line in in_scope if not line.overdue),
        not_due_total=total(
            line for line in lines if line.days_late < settings.scope_from
        ),
        credit_total=sum((c.amount for c in netted if c.kind == CREDIT_NOTE), ZERO),
        payment_total=sum((c.amount for c in netted if c.kind == PAYMENT), ZERO),
        tolerance=settings.currencies.convert(
            settings.tolerance, settings.currencies.company_currency, currency
        ),
        chased=False,
        level_sequence=None,
        driving_item_id=in_scope[0].item_id if in_scope else None,
    )
    if not in_scope:
        return group
    if group.net_due <= group.tolerance:
        notes.append(
            Note(
                NOTE_BELOW_TOLERANCE,
                {
                    "currency": currency,
                    "net_due": group.net_due,
                    "tolerance": group.tolerance,
                },
            )
        )
        return group
    level = _group_level(
        settings.levels, in_scope[0].days_late, group.net_due, currency, settings, notes
    )
    return replace(group, chased=True, level_sequence=level.sequence if level else None)


def _sent_levels(state):
    """The highest level already sent per item."""
    sent = {}
    for action in state.past_actions:
        sent[action.item_id] = max(
            sent.get(action.item_id, action.level_sequence), action.level_sequence
        )
    return sent


def _cap_level(levels, natural, open_sent, notes):
    """Lower ``natural`` while it requires a previous level never sent."""
    index = {level.sequence: i for i, level in enumerate(levels)}
    highest_sent = max(open_sent, default=None)
    level = natural
    while level is not None and level.requires_previous and index[level.sequence]:
        previous = levels[index[level.sequence] - 1]
        if highest_sent is not None and highest_sent >= previous.sequence:
            break
        notes.append(
            Note(
                NOTE_REQUIRES_PREVIOUS,
                {
                    "level": level.sequence,
                    "previous": previous.sequence,
                    "previous_name": previous.name,
                },
            )
        )
        level = previous
    return level


def _claim(group, level, settings, rate_of):
    """Penalties and indemnities of the overdue invoices of a chased group."""
    digits = settings.currencies.decimals(group.currency)
    indemnity = (
        indemnity_amount(group.currency, settings.currencies, level.indemnity_eur)
        if level.claim_indemnity
        else ZERO
    )
    lines = []
    for line in group.invoices:
        if line.overdue:
            penalty = (
                compute_penalty(
                    line.amount_due,
                    line.due_date,
                    settings.on_date,
                    rate_of,
                    digits,
                )
                if level.claim_penalties
                else None
            )
            line = replace(line, penalty=penalty, indemnity=indemnity)
        lines.append(line)
    return replace(
        group,
        invoices=tuple(lines),
        penalty_total=sum((line.penalty_amount for line in lines), ZERO),
        indemnity_total=sum((line.indemnity for line in lines), ZERO),
    )


def _rate_notes(groups):
    """One note per half-year whose rate was missing, floored or unchecked."""
    found = {}
    for group in groups:
        for line in group.invoices:
            if line.penalty is None:
                continue
            for segment in line.penalty.segments:
                found.setdefault((segment.status, segment.year, segment.half), segment)
    keys = {
        RATE_MISSING: NOTE_RATE_MISSING,
        RATE_FLOOR: NOTE_RATE_FLOOR,
        RATE_UNCHECKED: NOTE_RATE_UNCHECKED,
    }
    notes = []
    for (status, year, half), segment in sorted(
        found.items(), key=lambda item: (item[0][1], item[0][2], item[0][0])
    ):
        if status not in keys:
            continue
        params = {"year": year, "half": half}
        if status == RATE_FLOOR:
            params |= {
                "contractual_rate": segment.contractual_rate,
                "floor_rate": segment.rate,
            }
        elif status == RATE_UNCHECKED:
            params["contractual_rate"] = segment.rate
        notes.append(Note(keys[status], params))
    return notes


def _nothing_to_chase(groups, level):
    if not any(group.driving_item_id is not None for group in groups):
        return SkipReason.NOTHING_DUE, {}
    if not any(group.chased for group in groups):
        return SkipReason.BELOW_TOLERANCE, {}
    if level is None:
        return SkipReason.NO_LEVEL, {}
    return None, None


def _interval_reason(state, on_date, min_interval_days):
    """At most one message per customer per day and per minimum interval."""
    last = max((action.date for action in state.past_actions), default=None)
    if last is None:
        return None, None
    elapsed = (on_date - last).days
    if elapsed < max(min_interval_days, 1):
        return SkipReason.MIN_INTERVAL, {
            "last": last,
            "elapsed": elapsed,
            "minimum": max(min_interval_days, 1),
        }
    return None, None


def _pause_reason(state, on_date, promise_grace_days, quiet_periods):
    if state.manual_pause_until and on_date <= state.manual_pause_until:
        return SkipReason.MANUAL_PAUSE, {"until": state.manual_pause_until}
    for start, end in quiet_periods:
        if start <= on_date <= end:
            return SkipReason.QUIET_PERIOD, {"start": start, "end": end}
    if state.promise_to_pay_until:
        until = state.promise_to_pay_until.toordinal() + promise_grace_days
        if on_date.toordinal() <= until:
            return SkipReason.PROMISE_TO_PAY, {
                "until": state.promise_to_pay_until,
                "grace": promise_grace_days,
            }
    if state.dispute:
        return SkipReason.DISPUTE, {}
    return None, None


def _actions(groups, level, sent):
    actions = []
    for group in groups:
        if not group.chased:
            continue
        for line in group.invoices:
            if line.days_late < min(1, level.delay_days):
                continue
            if sent.get(line.item_id, level.sequence - 1) >= level.sequence:
                continue
            actions.extend(
                Action(line.item_id, level.sequence, channel)
                for channel in level.channels
            )
    return tuple(actions)


def _check_settings(on_date, tolerance, min_interval_days, promise_grace_days):
    if not isinstance(on_date, date) or isinstance(on_date, datetime):
        raise InvalidSettingsError(f"The evaluation date must be a date: {on_date!r}.")
    tolerance = to_decimal(tolerance, "tolerance")
    if tolerance < 0:
        raise InvalidSettingsError(f"The tolerance cannot be negative ({tolerance}).")
    for name, value in (
        ("minimum interval between reminders", min_interval_days),
        ("promise-to-pay grace period", promise_grace_days),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidSettingsError(
                f"The {name} must be a whole number of days, zero or more, "
                f"not {value!r}."
            )
    return tolerance


def _customer_level(groups, levels, notes):
    """The natural level (highest over chased groups) and its driving line."""
    natural, driver = None, None
    for group in groups:
        if not group.chased or group.level_sequence is None:
            continue
        level = next(lv for lv in levels if lv.sequence == group.level_sequence)
        line = next(ln for ln in group.invoices if ln.item_id == group.driving_item_id)
        if (
            natural is None
            or level.sequence > natural.sequence
            or (level is natural and line.days_late > driver.days_late)
        ):
            natural, driver = level, line
    if natural:
        notes.insert(
            0,
            Note(
                NOTE_LEVEL,
                {
                    "invoice": driver.name,
                    "days": driver.days_late,
                    "level": natural.sequence,
                    "level_name": natural.name,
                },
            ),
        )
    return natural, driver


def evaluate(
    state,
    levels,
    on_date,
    rate_of=None,
    tolerance=ZERO,
    min_interval_days=0,
    *,
    currencies=None,
    promise_grace_days=0,
    quiet_periods=(),
):
    """Evaluate one customer on ``on_date``; see the module docstring.

    ``levels``: the policy's :class:`Level` list. ``rate_of``: the applied
    penalty rate of the half-year of a day (see :mod:`.penalties`; needed
    only when the level reached claims penalties). ``tolerance``: in the
    company currency of ``currencies`` (a :class:`~.money.CurrencyTable`, EUR
    only by default). ``promise_grace_days``: days added to a promise to pay.
    ``quiet_periods``: (first day, last day) pairs without reminders.
    """
    levels = check_levels(levels)
    tolerance = _check_settings(
        on_date, tolerance, min_interval_days, promise_grace_days
    )
    if rate_of is None and any(level.claim_penalties for level in levels):
        raise InvalidSettingsError(
            "Levels claiming penalties need the applied rates (rate_of)."
        )
    settings = _Settings(
        levels=levels,
        on_date=on_date,
        tolerance=tolerance,
        currencies=currencies or CurrencyTable(),
        scope_from=min(1, levels[0].delay_days),
    )
    notes = []
    by_currency = {}
    for item in state.items:
        by_currency.setdefault(item.currency, []).append(item)
    groups = [
        _build_group(currency, by_currency[currency], settings, notes)
        for currency in sorted(by_currency)
    ]
    natural, driver = _customer_level(groups, levels, notes)
    sent = _sent_levels(state)
    item_ids = {item.id for item in state.items}
    open_sent = [level for item_id, level in sent.items() if item_id in item_ids]
    level = _cap_level(levels, natural, open_sent, notes)
    if level is not None:
        groups = [
            _claim(group, level, settings, rate_of) if group.chased else group
            for group in groups
        ]
        notes.extend(_rate_notes(groups))
    reason, why = _nothing_to_chase(groups, level)
    if reason is None:
        reason, why = _pause_reason(state, on_date, promise_grace_days, quiet_periods)
    if reason is None:
        reason, why = _interval_reason(state, on_date, min_interval_days)
    actions = () if reason else _actions(groups, level, sent)
    if reason is None and not actions:
        reason, why = SkipReason.NOTHING_NEW, {}
    if reason is not None:
        notes.append(Note(NOTE_SKIP, {"reason": reason.value, **why}))
    return Evaluation(
        on_date=on_date,
        level=level,
        natural_level=natural,
        driving_item_id=driver.item_id if driver else None,
        driving_days_late=driver.days_late if driver else None,
        groups=tuple(groups),
        actions=actions,
        skip_reason=reason,
        notes=tuple(notes),
    )
