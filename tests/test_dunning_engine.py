"""dunning_levels/tools/engine.py: levels, netting, skip reasons, actions.

Rates: dunning_fr.md §8.2 (H2 2025 and H1 2026, default penalty rate 12.15 %).
"""

import functools
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from account_invoice_fr_tools import rates
from account_invoice_fr_tools.rates import HalfYearRate
from dunning_levels_tools import engine
from dunning_levels_tools.engine import (
    Action,
    CustomerState,
    Level,
    OpenItem,
    PastAction,
    SkipReason,
)
from dunning_levels_tools.exceptions import (
    CurrencyRateError,
    InvalidItemError,
    InvalidLevelError,
    InvalidSettingsError,
)
from dunning_levels_tools.money import CurrencyTable
from hypothesis import given, settings
from hypothesis import strategies as st

D = Decimal
RATES = [
    HalfYearRate(2025, 2, D("2.15"), D("2.76"), "legal rate H2 2025"),
    HalfYearRate(2026, 1, D("2.15"), D("2.62"), "arrêté of 15 Dec 2025"),
]
USD = CurrencyTable("EUR", rates={"USD": D("1.10")})
LADDER = (
    Level(1, "First reminder", 1, requires_previous=False),
    Level(2, "Second reminder", 15, claim_penalties=True, requires_previous=False),
    Level(
        3,
        "Final reminder",
        30,
        claim_penalties=True,
        claim_indemnity=True,
        requires_previous=False,
        channels=("email", "letter"),
    ),
    Level(
        4,
        "Formal notice",
        90,
        claim_penalties=True,
        claim_indemnity=True,
        formal_notice=True,
        requires_previous=False,
        channels=("letter",),
    ),
)
CHAINED = tuple(
    Level(lv.sequence, lv.name, lv.delay_days, channels=lv.channels) for lv in LADDER
)


def invoice(item_id, due, residual, currency="EUR", **kw):
    return OpenItem(item_id, "invoice", currency, due, D(residual), **kw)


def credit(item_id, residual, kind="credit_note", currency="EUR", **kw):
    return OpenItem(item_id, kind, currency, None, D(residual), **kw)


def rate_of(table=RATES, policy="legal_default"):
    """The applied rates as the company passes them (``_late_payment_rate_of``)."""
    return functools.partial(
        rates.applied_rate,
        table=rates.as_table(table),
        policy=rates.as_policy(policy),
    )


def run(state, on_date, levels=LADDER, policy="legal_default", **kw):
    kw.setdefault("rate_of", rate_of(RATES, policy))
    return engine.evaluate(state, levels, on_date, **kw)


# ----------------------------------------------------------------------
# The reference case of the spec
# ----------------------------------------------------------------------

ON = date(2026, 2, 15)
REFERENCE = CustomerState(
    items=[
        invoice(1, date(2025, 12, 1), "1200.00", name="INV/2025/0101"),
        invoice(2, date(2026, 1, 20), "800.00", name="INV/2026/0007"),
        invoice(3, date(2026, 2, 10), "450.00", name="INV/2026/0031"),
        invoice(4, date(2026, 3, 15), "600.00", name="INV/2026/0055"),
        credit(5, "150.00", name="RINV/2026/0002"),
        credit(6, "300.00", kind="payment", name="PBNK1/2026/0012"),
    ]
)


def test_one_evaluation_at_the_level_of_the_oldest_invoice():
    evaluation = run(REFERENCE, ON)
    assert evaluation.level.name == "Final reminder"
    assert evaluation.skip_reason is None
    assert evaluation.driving_item_id == 1
    assert evaluation.driving_days_late == 76
    assert engine.explain(evaluation).startswith(
        "Invoice INV/2025/0101 is 76 days late → level 3 (Final reminder)."
    )
    (group,) = evaluation.groups
    listed = [(ln.name, ln.days_late, ln.level_sequence) for ln in group.invoices]
    assert listed == [
        ("INV/2025/0101", 76, 3),
        ("INV/2026/0007", 26, 2),
        ("INV/2026/0031", 5, 1),
        ("INV/2026/0055", -28, None),  # not yet due: listed, not chased
    ]
    # every overdue invoice at the message's level, on each channel of it
    assert evaluation.actions == tuple(
        Action(item, 3, channel)
        for item in (1, 2, 3)
        for channel in ("email", "letter")
    )


def test_credit_notes_and_payments_are_netted():
    (group,) = run(REFERENCE, ON).groups
    assert group.overdue_total == D("2450.00")
    assert group.credit_total == D("150.00")
    assert group.payment_total == D("300.00")
    assert group.net_overdue == D("2000.00")
    assert group.not_due_total == D("600.00")
    assert [c.name for c in group.credits] == ["RINV/2026/0002", "PBNK1/2026/0012"]


def test_penalties_and_indemnity_per_late_invoice():
    (group,) = run(REFERENCE, ON).groups
    penalties = {ln.name: ln.penalty_amount for ln in group.invoices}
    # 1200 × 12.15 % × 76/365 = 30.358…, 800 × 12.15 % × 26/365 = 6.923…,
    # 450 × 12.15 % × 5/365 = 0.748…
    assert penalties == {
        "INV/2025/0101": D("30.36"),
        "INV/2026/0007": D("6.92"),
        "INV/2026/0031": D("0.75"),
        "INV/2026/0055": D(0),
    }
    oldest = group.invoices[0].penalty
    assert [(s.days, s.rate, s.amount) for s in oldest.segments] == [
        (30, D("12.15"), D("11.98")),
        (46, D("12.15"), D("18.38")),
    ]
    assert [ln.indemnity for ln in group.invoices] == [D("40.00")] * 3 + [D(0)]
    assert group.penalty_total == D("38.03")
    assert group.indemnity_total == D("120.00")
    assert group.total_claimed == D("2158.03")


def test_lower_level_shows_no_indemnity():
    evaluation = run(REFERENCE, date(2025, 12, 20))  # oldest 19 days late
    assert evaluation.level.sequence == 2
    (group,) = evaluation.groups
    # 1200 × 12.15 % × 19/365 = 7.589…
    assert group.invoices[0].penalty_amount == D("7.59")
    assert group.indemnity_total == 0


def test_contractual_rate_below_the_floor_is_raised_to_the_floor():
    # 5 % is below both floors (8.28 % in H2 2025, 7.86 % in H1 2026): the
    # customer is still reminded, with the floor of each half-year.
    evaluation = run(REFERENCE, ON, policy=D(5))
    assert evaluation.actions and evaluation.skip_reason is None
    oldest = evaluation.groups[0].invoices[0].penalty
    assert [(s.days, s.rate, s.status) for s in oldest.segments] == [
        (30, D("8.28"), "floor"),
        (46, D("7.86"), "floor"),
    ]
    # 1200 × (8.28 % × 30 + 7.86 % × 46) / 365 = 20.051…
    assert oldest.total == D("20.05")
    assert [(n.params["year"], n.params["half"]) for n in evaluation.floor_rates] == [
        (2025, 2),
        (2026, 1),
    ]
    text = engine.explain(evaluation)
    assert "H2 2025: the contractual rate of 5 % is below the legal minimum of " in (
        text
    )
    assert "8.28 %" in text and "7.86 %" in text


def test_contractual_rate_floored_only_in_the_half_year_it_is_too_low():
    # 8 % is lawful in H1 2026 (floor 7.86 %), not in H2 2025 (8.28 %).
    evaluation = run(REFERENCE, ON, policy=D(8))
    segments = evaluation.groups[0].invoices[0].penalty.segments
    assert [(s.rate, s.status) for s in segments] == [
        (D("8.28"), "floor"),
        (D(8), "ok"),
    ]
    assert [n.params["year"] for n in evaluation.floor_rates] == [2025]


def test_contractual_rate_above_the_floor():
    (group,) = run(REFERENCE, ON, policy=D(9)).groups
    # 1200 × 9 % × 76/365 = 22.487…
    assert group.invoices[0].penalty_amount == D("22.49")


def test_missing_rate_leaves_that_half_year_out_and_still_reminds():
    state = CustomerState(items=[invoice(1, date(2025, 6, 1), "100.00")])
    evaluation = run(state, date(2025, 7, 15))  # 44 days: 29 in H1 2025
    assert evaluation.level.sequence == 3 and evaluation.actions
    penalty = evaluation.groups[0].invoices[0].penalty
    assert [(s.year, s.half, s.rate, s.status) for s in penalty.segments] == [
        (2025, 1, None, "missing"),
        (2025, 2, D("12.15"), "ok"),
    ]
    # only the 15 days of H2 2025: 100 × 12.15 % × 15/365 = 0.499…
    assert [s.days for s in penalty.segments] == [29, 15]
    assert penalty.total == D("0.50")
    assert evaluation.missing_rates == ((2025, 1),)
    assert "No reference rates for H1 2025" in engine.explain(evaluation)
    first_only = run(state, date(2025, 6, 5))
    assert first_only.level.sequence == 1 and first_only.actions
    assert first_only.missing_rates == ()


def test_contractual_rate_without_a_row_applies_as_agreed():
    state = CustomerState(items=[invoice(1, date(2027, 1, 1), "365.00")])
    evaluation = run(state, date(2027, 2, 10), policy=D(10))  # 40 days
    penalty = evaluation.groups[0].invoices[0].penalty
    assert [(s.rate, s.status) for s in penalty.segments] == [(D(10), "unchecked")]
    assert penalty.total == D("4.00")
    assert "no legal interest rate to check" in engine.explain(evaluation)


# ----------------------------------------------------------------------
# Level rules
# ----------------------------------------------------------------------


def test_requires_previous_level_escalates_one_step_per_message():
    state = CustomerState(items=[invoice(1, date(2025, 10, 1), "500.00")])
    day = date(2026, 1, 15)  # 106 days late: natural level 4
    seen = []
    for _ in range(5):
        evaluation = run(state, day, levels=CHAINED)
        assert evaluation.natural_level.sequence == 4
        seen.append((evaluation.level_sequence, bool(evaluation.actions)))
        state = state.with_actions(evaluation.actions, day)
        day += timedelta(days=1)
    assert seen == [(1, True), (2, True), (3, True), (4, True), (4, False)]
    assert "requires level 3 (Final reminder) to have been sent first" in (
        engine.explain(run(CustomerState(state.items), day, levels=CHAINED))
    )


def test_minimum_amount_limits_the_level():
    levels = (LADDER[0], LADDER[1], Level(3, "Big debts only", 30, D(5000)))
    evaluation = run(REFERENCE, ON, levels=levels)
    assert evaluation.level.sequence == 2
    assert "level 3 needs a net amount of 5000" in engine.explain(evaluation)


def test_level_limited_by_minimum_interval():
    state = CustomerState(
        items=REFERENCE.items, past_actions=[PastAction(1, 2, date(2026, 2, 10))]
    )
    early = run(state, ON, min_interval_days=7)
    assert early.skip_reason is SkipReason.MIN_INTERVAL and not early.actions
    assert "5 days ago (minimum 7)" in engine.explain(early)
    later = run(state, date(2026, 2, 17), min_interval_days=7)
    assert later.skip_reason is None and later.level.sequence == 3


def test_same_day_rerun_sends_nothing_even_without_interval():
    first = run(REFERENCE, ON)
    state = REFERENCE.with_actions(first.actions, ON)
    again = run(state, ON, min_interval_days=0)
    assert again.actions == () and again.skip_reason is SkipReason.MIN_INTERVAL


def test_nothing_new_then_new_invoice_becomes_overdue():
    day = date(2026, 2, 1)
    items = [invoice(1, date(2025, 12, 1), "100.00"), invoice(2, day, "50.00")]
    first = run(CustomerState(items), day)
    assert {a.item_id for a in first.actions} == {1}
    state = CustomerState(items).with_actions(first.actions, day)
    assert run(state, day + timedelta(days=1)).actions == (
        Action(2, 3, "email"),
        Action(2, 3, "letter"),
    )
    # without a new invoice or level, nothing is sent again
    state = CustomerState(items[:1]).with_actions(first.actions, day)
    quiet = run(state, day + timedelta(days=10))
    assert quiet.skip_reason is SkipReason.NOTHING_NEW


def test_no_lower_level_resent_after_the_oldest_is_paid():
    day = date(2026, 2, 1)
    items = [
        invoice(1, date(2025, 12, 1), "100.00"),
        invoice(2, date(2026, 1, 28), "50"),
    ]
    first = run(CustomerState(items), day)
    assert {(a.item_id, a.level_sequence) for a in first.actions} == {(1, 3), (2, 3)}
    paid = CustomerState(
        items[1:], CustomerState(items).with_actions(first.actions, day).past_actions
    )
    after = run(paid, day + timedelta(days=5))  # invoice 2 alone: level 1
    assert after.level.sequence == 1
    assert after.skip_reason is SkipReason.NOTHING_NEW and not after.actions


def test_courtesy_level_before_the_due_date():
    levels = (Level(0, "Courtesy", -5, requires_previous=False), *LADDER)
    state = CustomerState(items=[invoice(1, date(2026, 2, 18), "300.00")])
    evaluation = run(state, ON, levels=levels)
    assert evaluation.level.sequence == 0
    assert evaluation.actions == (Action(1, 0, "email"),)
    assert engine.explain(evaluation).startswith(
        "Invoice 1 is due in 3 days → level 0 (Courtesy)."
    )
    (group,) = evaluation.groups
    assert (group.due_soon_total, group.net_overdue) == (D("300.00"), 0)
    too_early = run(state, date(2026, 2, 12), levels=levels)
    assert too_early.skip_reason is SkipReason.NOTHING_DUE
    # without a courtesy level, a not-yet-due invoice is never chased
    assert run(state, ON).skip_reason is SkipReason.NOTHING_DUE


def test_no_level_reached_yet():
    levels = (Level(1, "First", 10, requires_previous=False),)
    state = CustomerState(items=[invoice(1, date(2026, 2, 10), "300.00")])
    evaluation = run(state, ON, levels=levels)
    assert evaluation.skip_reason is SkipReason.NO_LEVEL
    assert evaluation.groups[0].overdue_total == D("300.00")


# ----------------------------------------------------------------------
# Pause, promise, dispute, exclusions, tolerance
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"manual_pause_until": ON}, SkipReason.MANUAL_PAUSE),
        ({"promise_to_pay_until": ON - timedelta(days=3)}, SkipReason.PROMISE_TO_PAY),
        ({"dispute": True}, SkipReason.DISPUTE),
    ],
)
def test_customer_pauses(changes, reason):
    state = CustomerState(REFERENCE.items, **changes)
    evaluation = run(state, ON, promise_grace_days=5)
    assert evaluation.skip_reason is reason and not evaluation.actions
    assert evaluation.level.sequence == 3  # the dry-run still shows the level
    assert engine.explain(evaluation).splitlines()[-1].startswith("No reminder: ")


def test_broken_promise_escalates_at_the_next_run():
    state = CustomerState(REFERENCE.items, promise_to_pay_until=date(2026, 2, 5))
    assert (
        run(state, ON, promise_grace_days=10).skip_reason is SkipReason.PROMISE_TO_PAY
    )
    broken = run(state, ON + timedelta(days=1), promise_grace_days=10)
    assert broken.skip_reason is None and broken.level.sequence == 3


def test_quiet_period():
    august = [(date(2026, 8, 1), date(2026, 8, 31))]
    evaluation = run(REFERENCE, ON, quiet_periods=[(ON, ON)])
    assert evaluation.skip_reason is SkipReason.QUIET_PERIOD
    assert run(REFERENCE, ON, quiet_periods=august).skip_reason is None


def test_disputed_excluded_and_direct_debit_invoices():
    state = CustomerState(
        items=[
            invoice(1, date(2026, 1, 1), "1000.00", disputed_amount=D("400.00")),
            invoice(2, date(2026, 1, 1), "200.00", disputed_amount=D("200.00")),
            invoice(3, date(2025, 11, 1), "900.00", excluded=True),
            invoice(4, date(2025, 11, 1), "900.00", in_direct_debit=True),
            credit(5, "50.00", excluded=True),
        ]
    )
    evaluation = run(state, ON)
    (group,) = evaluation.groups
    assert [ln.item_id for ln in group.invoices] == [1]
    line = group.invoices[0]
    assert (line.residual, line.disputed_amount, line.amount_due) == (
        D("1000.00"),
        D("400.00"),
        D("600.00"),
    )
    # penalties only on the undisputed part: 600 × 12.15 % × 45/365 = 8.98…
    assert line.penalty_amount == D("8.99")
    assert group.net_overdue == D("600.00") and group.credit_total == 0
    assert {a.item_id for a in evaluation.actions} == {1}


def test_tolerance_is_converted_into_each_currency():
    state = CustomerState(
        items=[
            invoice(1, date(2026, 1, 1), "60.00"),
            credit(2, "15.00"),
            invoice(3, date(2026, 1, 1), "60.00", currency="USD", name="US1"),
        ]
    )
    evaluation = run(state, ON, tolerance=D("50.00"), currencies=USD)
    eur, usd = evaluation.groups
    assert (eur.currency, eur.tolerance, eur.net_overdue, eur.chased) == (
        "EUR",
        D("50.00"),
        D("45.00"),
        False,
    )
    assert (usd.currency, usd.tolerance, usd.chased) == ("USD", D("55.00"), True)
    assert {a.item_id for a in evaluation.actions} == {3}
    assert usd.invoices[0].indemnity == D("44.00")  # 40 € at 1.10
    at_tolerance = CustomerState(items=[invoice(1, date(2026, 1, 1), "50.00")])
    skipped = run(at_tolerance, ON, tolerance=50)
    assert skipped.skip_reason is SkipReason.BELOW_TOLERANCE


def test_missing_currency_rate():
    state = CustomerState(items=[invoice(1, date(2026, 1, 1), "60.00", currency="GBP")])
    with pytest.raises(CurrencyRateError, match="GBP"):
        run(state, ON, tolerance=10)


# ----------------------------------------------------------------------
# Bad input
# ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "levels, message",
    [
        ((), "at least one level"),
        ((Level(1, "A", 1), Level(1, "B", 5)), "same number 1"),
        ((Level(1, "A", 10), Level(2, "B", 10)), "must be reached later"),
        ((Level(1, "A", 1, formal_notice=True), Level(2, "B", 5)), "last level"),
    ],
)
def test_invalid_ladders(levels, message):
    with pytest.raises(InvalidLevelError, match=message):
        engine.evaluate(REFERENCE, levels, ON)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"channels": ()}, "at least one channel"),
        ({"channels": ("sms",)}, "unknown channel 'sms'"),
        ({"min_amount": -1}, "cannot be negative"),
        ({"delay_days": 1.5}, "must be an integer"),
    ],
)
def test_invalid_levels(kwargs, message):
    values = {"sequence": 1, "name": "A", "delay_days": 1, **kwargs}
    with pytest.raises(InvalidLevelError, match=message):
        Level(**values)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: invoice(1, date(2026, 1, 1), "-5"), "positive amount"),
        (lambda: invoice(1, None, "5"), "must be a date"),
        (lambda: OpenItem(1, "refund", "EUR", None, D(1)), "unknown kind 'refund'"),
        (lambda: invoice(1, date(2026, 1, 1), "5", currency=""), "no currency"),
        (
            lambda: invoice(1, date(2026, 1, 1), "5", disputed_amount=D(-1)),
            "disputed amount cannot be negative",
        ),
        (
            lambda: CustomerState([credit(1, "5"), credit(1, "6")]),
            "listed twice",
        ),
        (lambda: CustomerState(past_actions=[(1, 2)]), "must be PastAction"),
    ],
)
def test_invalid_items(build, message):
    with pytest.raises(InvalidItemError, match=message):
        build()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"tolerance": -1}, "tolerance cannot be negative"),
        ({"min_interval_days": -1}, "zero or more"),
        ({"promise_grace_days": "3"}, "zero or more"),
    ],
)
def test_invalid_settings(kwargs, message):
    with pytest.raises(InvalidSettingsError, match=message):
        run(REFERENCE, ON, **kwargs)


def test_levels_claiming_penalties_need_the_applied_rates():
    with pytest.raises(InvalidSettingsError, match="need the applied rates"):
        engine.evaluate(REFERENCE, LADDER, ON)
    # a ladder without penalties needs none
    plain = tuple(replace(level, claim_penalties=False) for level in LADDER)
    assert engine.evaluate(REFERENCE, plain, ON).level is not None


# ----------------------------------------------------------------------
# Properties
# ----------------------------------------------------------------------

FIRST_DAY = date(2025, 7, 1)
LAST_DAY = date(2026, 6, 30)  # the rate table covers H2 2025 and H1 2026
CURRENCIES = CurrencyTable("EUR", rates={"USD": D("1.17")})
amounts = st.integers(min_value=100, max_value=500_000).map(lambda c: D(c) / 100)


def dates_between(first, last):
    """Uniform over the days (integers() would favour the first one)."""
    return st.sampled_from(
        [first + timedelta(days=n) for n in range((last - first).days + 1)]
    )


due_dates = dates_between(FIRST_DAY - timedelta(days=1), date(2026, 3, 31))


@st.composite
def open_items(draw):
    kind = draw(st.sampled_from(["invoice"] * 4 + ["credit_note", "payment"]))
    currency = draw(st.sampled_from(["EUR", "EUR", "USD"]))
    residual = D(0) if draw(st.integers(0, 19)) == 0 else draw(amounts)
    if kind != "invoice":
        return dict(kind=kind, currency=currency, due_date=None, residual=residual)
    return dict(
        kind=kind,
        currency=currency,
        due_date=draw(due_dates),
        residual=residual,
        excluded=draw(st.integers(0, 7)) == 0,
        disputed_amount=draw(st.sampled_from([D(0), D(0), residual / 2, D(10)])),
        in_direct_debit=draw(st.integers(0, 5)) == 0,
    )


states = st.lists(open_items(), min_size=2, max_size=8).map(
    lambda specs: CustomerState(
        items=[OpenItem(i, **spec) for i, spec in enumerate(specs)]
    )
)


@st.composite
def ladders(draw):
    delays = sorted(draw(st.sets(st.integers(-10, 90), min_size=1, max_size=5)))
    levels = []
    for number, delay in enumerate(delays, start=1):
        levels.append(
            Level(
                number,
                f"L{number}",
                delay,
                min_amount=draw(st.sampled_from([D(0), D(0), D(100), D(2000)])),
                claim_penalties=delay > 0 and draw(st.booleans()),
                claim_indemnity=draw(st.booleans()),
                requires_previous=draw(st.booleans()),
                channels=draw(
                    st.lists(
                        st.sampled_from(["email", "letter", "activity"]),
                        min_size=1,
                        max_size=3,
                        unique=True,
                    )
                ),
            )
        )
    return levels


evaluation_settings = st.fixed_dictionaries(
    {
        "tolerance": st.sampled_from([D(0), D(0), D(5), D(500)]),
        "min_interval_days": st.integers(0, 20),
        "currencies": st.just(CURRENCIES),
        "rate_of": st.just(rate_of()),
    }
)
days = dates_between(date(2025, 10, 1), LAST_DAY)


def _rank(evaluation):
    return -1 if evaluation.level is None else evaluation.level.sequence


@settings(max_examples=150, deadline=None)
@given(state=states, levels=ladders(), on_date=days, kw=evaluation_settings)
def test_recording_the_actions_then_evaluating_again_gives_no_new_action(
    state, levels, on_date, kw
):
    first = engine.evaluate(state, levels, on_date, **kw)
    again = engine.evaluate(state, levels, on_date, **kw)
    assert again == first  # a pure function of its input
    recorded = state.with_actions(first.actions, on_date)
    second = engine.evaluate(recorded, levels, on_date, **kw)
    assert second.actions == ()
    assert second.skip_reason is not None
    assert _rank(second) >= _rank(first)


@settings(max_examples=120, deadline=None)
@given(
    state=states,
    levels=ladders(),
    start=days,
    steps=st.lists(st.integers(0, 40), min_size=1, max_size=6),
    record=st.booleans(),
    kw=evaluation_settings,
)
def test_levels_never_go_down_and_no_level_is_resent_while_nothing_is_paid(
    state, levels, start, steps, record, kw
):
    day, previous = start, None
    for step in steps:
        day = min(day + timedelta(days=step), LAST_DAY)
        evaluation = engine.evaluate(state, levels, day, **kw)
        if previous is not None:
            assert _rank(evaluation) >= _rank(previous)
            natural = evaluation.natural_level
            assert natural is None or natural.sequence >= (
                previous.natural_level.sequence if previous.natural_level else -1
            )
        sent = {}
        for past in state.past_actions:
            sent[past.item_id] = max(sent.get(past.item_id, -1), past.level_sequence)
        for action in evaluation.actions:
            assert action.level_sequence == evaluation.level.sequence
            assert action.level_sequence > sent.get(action.item_id, -1)
            assert action.channel in evaluation.level.channels
        if record:
            state = state.with_actions(evaluation.actions, day)
        previous = evaluation


@settings(max_examples=200, deadline=None)
@given(state=states, levels=ladders(), on_date=days, kw=evaluation_settings)
def test_amounts_are_consistent_with_the_netting(state, levels, on_date, kw):
    evaluation = engine.evaluate(state, levels, on_date, **kw)
    currencies = [group.currency for group in evaluation.groups]
    assert currencies == sorted(set(currencies))  # one group per currency
    items = {item.id: item for item in state.items}
    listed = set()
    for group in evaluation.groups:
        mine = [item for item in state.items if item.currency == group.currency]
        chased = [item for item in mine if item.is_chased]
        overdue = [i for i in chased if (on_date - i.due_date).days >= 1]
        credit_notes = [i for i in mine if i.kind == "credit_note" and not i.excluded]
        payments = [i for i in mine if i.kind == "payment" and not i.excluded]
        # every line in the group's currency: currencies are never mixed
        for line in group.invoices:
            assert items[line.item_id].currency == group.currency
            listed.add(line.item_id)
        for line in group.credits:
            assert items[line.item_id].currency == group.currency
        assert group.overdue_total == sum((i.amount_due for i in overdue), D(0))
        assert group.credit_total == sum((i.residual for i in credit_notes), D(0))
        assert group.payment_total == sum((i.residual for i in payments), D(0))
        assert group.net_overdue == (
            group.overdue_total - group.credit_total - group.payment_total
        )
        assert group.overdue_total + group.due_soon_total + group.not_due_total == sum(
            (i.amount_due for i in chased), D(0)
        )
        assert group.penalty_total == sum(
            (ln.penalty_amount for ln in group.invoices), D(0)
        )
        assert group.indemnity_total == sum(
            (ln.indemnity for ln in group.invoices), D(0)
        )
        for line in group.invoices:
            if not line.overdue or not group.chased:
                assert (line.penalty, line.indemnity) == (None, 0)
        if group.chased:
            assert group.net_due > group.tolerance
    assert listed == {item.id for item in state.items if item.is_chased}
    chased_groups = {g.currency for g in evaluation.groups if g.chased}
    for action in evaluation.actions:
        assert items[action.item_id].is_chased
        assert items[action.item_id].currency in chased_groups


# ----------------------------------------------------------------------
# Ordinary entries and the due date itself
# ----------------------------------------------------------------------


def test_entry_without_invoice_date_is_evaluated():
    """Opening balances and manual entries have no invoice date (Odoo gives
    False): they are chased on their due date like any invoice."""
    state = CustomerState(
        items=[
            OpenItem(
                7, "invoice", "EUR", date(2026, 1, 10), D(500), invoice_date=False
            ),
            OpenItem(8, "payment", "EUR", False, D(100), invoice_date=False),
        ]
    )
    evaluation = run(state, ON)
    (group,) = evaluation.groups
    assert group.invoices[0].invoice_date is None
    assert group.invoices[0].days_late == 36
    assert group.net_overdue == D(400)
    assert evaluation.actions


@settings(max_examples=100, deadline=None)
@given(
    due=st.dates(date(2025, 7, 1), date(2026, 6, 1)),
    amount=st.integers(min_value=1, max_value=10**7),
    courtesy=st.integers(min_value=-10, max_value=0),
)
def test_an_invoice_is_overdue_only_from_the_day_after_its_due_date(
    due, amount, courtesy
):
    levels = (
        Level(1, "Courtesy", courtesy, requires_previous=False),
        *(
            Level(lv.sequence + 1, lv.name, lv.delay_days, requires_previous=False)
            for lv in LADDER
        ),
    )
    state = CustomerState(items=[invoice(1, due, D(amount))])
    on_due_date = run(state, due, levels=levels)
    (group,) = on_due_date.groups
    (line,) = group.invoices
    assert line.days_late == 0 and not line.overdue
    assert group.overdue_total == 0 and group.net_overdue == 0
    assert group.overdue_invoices == ()
    assert group.due_soon_total == amount  # the courtesy window only
    assert on_due_date.level.sequence == 1
    next_day = run(state, due + timedelta(days=1), levels=levels)
    (group,) = next_day.groups
    assert group.invoices[0].overdue and group.net_overdue == amount
    assert next_day.level.sequence == 2
