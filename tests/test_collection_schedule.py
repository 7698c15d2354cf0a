"""Retry schedule, pre-notification lead time and decline kinds of
``recurring_payment/tools/schedule.py`` (no Odoo)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recurring_payment_tools import schedule

D = datetime.date


def test_default_schedule_is_three_seven_fourteen():
    assert schedule.parse_retry_days("3, 7, 14") == schedule.DEFAULT_RETRY_DAYS
    assert schedule.parse_retry_days("3;7 14") == (3, 7, 14)
    assert schedule.parse_retry_days("") == ()
    assert schedule.parse_retry_days(None) == ()


@pytest.mark.parametrize("text", ["7, 3", "0, 3", "-1", "3, 3", "three"])
def test_bad_schedules_are_refused(text):
    with pytest.raises(schedule.ScheduleError):
        schedule.parse_retry_days(text)


def test_retries_follow_the_first_attempt():
    first = D(2026, 1, 1)
    days = (3, 7, 14)
    assert schedule.next_attempt_date(first, first, 1, days) == D(2026, 1, 4)
    assert schedule.next_attempt_date(first, D(2026, 1, 4), 2, days) == D(2026, 1, 8)
    assert schedule.next_attempt_date(first, D(2026, 1, 8), 3, days) == D(2026, 1, 15)
    assert schedule.next_attempt_date(first, D(2026, 1, 15), 4, days) is None


def test_a_late_failure_pushes_the_retry_past_it():
    first = D(2026, 1, 1)
    # attempt 1 only failed on the 10th (a pending charge rejected later)
    assert schedule.next_attempt_date(first, D(2026, 1, 10), 1, (3, 7)) == D(
        2026, 1, 11
    )


def test_attempts_are_numbered_from_one():
    with pytest.raises(schedule.ScheduleError):
        schedule.next_attempt_date(D(2026, 1, 1), D(2026, 1, 1), 0, (3,))


def test_max_attempts_and_the_sepa_cap():
    assert schedule.max_attempts((3, 7, 14)) == 4
    assert schedule.max_attempts((3, 7, 14), limit=2) == 2
    assert schedule.max_attempts(()) == 1


def test_card_is_charged_on_posting_and_debit_after_notice_and_due_date():
    posted = D(2026, 1, 1)
    assert schedule.first_collection_date(posted, D(2026, 1, 31), 14) == posted
    assert schedule.first_collection_date(posted, D(2026, 1, 5), 14, debit=True) == D(
        2026, 1, 15
    )
    assert schedule.first_collection_date(posted, D(2026, 1, 31), 14, debit=True) == D(
        2026, 1, 31
    )
    assert schedule.first_collection_date(posted, None, 0, debit=True) == posted
    with pytest.raises(schedule.ScheduleError):
        schedule.first_collection_date(posted, None, -1, debit=True)


@pytest.mark.parametrize(
    ("state", "message", "kind"),
    [
        ("cancel", "", "hard"),
        ("error", "Card expired", "hard"),
        ("error", "Mandate revoked (MD01)", "hard"),
        ("error", "SEPA return AC04: account closed", "hard"),
        ("error", "AM04 insufficient funds", "soft"),
        ("error", "Timeout while contacting the provider", "soft"),
        ("error", "", "soft"),
        ("error", None, "soft"),
    ],
)
def test_decline_kinds(state, message, kind):
    assert schedule.decline_kind(state, message) == kind


days_lists = st.lists(
    st.integers(min_value=1, max_value=60), min_size=0, max_size=6, unique=True
).map(lambda days: tuple(sorted(days)))


@given(
    retry_days=days_lists,
    first=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 1, 1)),
    delays=st.lists(st.integers(min_value=0, max_value=30), min_size=7, max_size=7),
)
def test_a_schedule_ends_and_always_moves_forward(retry_days, first, delays):
    """Whatever the failure days, each retry is after the failure that caused
    it, and an invoice gets exactly ``max_attempts`` attempts."""
    day, number, attempts = first, 1, 1
    while True:
        failed_on = day + datetime.timedelta(days=delays[number - 1])
        following = schedule.next_attempt_date(first, failed_on, number, retry_days)
        if following is None:
            break
        assert following > failed_on
        assert following >= first + datetime.timedelta(days=retry_days[number - 1])
        day, number, attempts = following, number + 1, attempts + 1
    assert attempts == schedule.max_attempts(retry_days)


@given(
    posted=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 1, 1)),
    due_in=st.integers(min_value=0, max_value=120),
    notice=st.integers(min_value=0, max_value=60),
)
def test_a_debit_is_never_before_its_notice_nor_its_due_date(posted, due_in, notice):
    due = posted + datetime.timedelta(days=due_in)
    day = schedule.first_collection_date(posted, due, notice, debit=True)
    assert day >= posted + datetime.timedelta(days=notice)
    assert day >= due
    assert day in (due, posted + datetime.timedelta(days=notice))
