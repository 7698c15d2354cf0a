"""Failures reported once: the state kept between two cron runs (no Odoo)."""

import datetime

import pytest
from dunning_levels_tools import failures as dunning_failures
from hypothesis import given
from hypothesis import strategies as st
from recurring_billing_tools import failures as billing_failures

MODULES = [billing_failures, dunning_failures]

texts = st.text(min_size=0, max_size=30)
days = st.dates(min_value=datetime.date(2020, 1, 1))


@pytest.mark.parametrize("failures", MODULES)
def test_first_failure_opens_with_a_message(failures):
    failure, new = failures.record_failure(None, ValueError("boom"), "t0")
    assert new
    assert failure == failures.Failure(error="boom", count=1, since="t0")


@pytest.mark.parametrize("failures", MODULES)
def test_empty_error_is_named_by_its_class(failures):
    assert failures.normalise(KeyError()) == "KeyError"
    assert failures.normalise("  ") == "str"
    assert failures.normalise(None) == "Error"


@given(errors=st.lists(texts, min_size=1, max_size=12), start=days)
def test_a_run_of_failures(errors, start):
    """Over any sequence of failures: the count is the number of runs, the
    start never moves, and a new message appears exactly when the text
    differs from the previous one."""
    for failures in MODULES:
        failure = None
        messages = 0
        for n, error in enumerate(errors):
            previous = failure
            failure, new = failures.record_failure(
                failure, error, start + datetime.timedelta(days=n)
            )
            expected_new = previous is None or failures.normalise(error) != (
                previous.error
            )
            assert new == expected_new
            messages += new
            assert failure.count == n + 1
            assert failure.since == start
            assert failure.error == failures.normalise(error)
        distinct_runs = 1 + sum(
            failures.normalise(a) != failures.normalise(b)
            for a, b in zip(errors, errors[1:], strict=False)
        )
        assert messages == distinct_runs


@given(error=texts, repeats=st.integers(min_value=1, max_value=50))
def test_same_error_every_day_keeps_one_message(error, repeats):
    for failures in MODULES:
        failure, new = failures.record_failure(None, error, 0)
        opened = [new]
        for day in range(1, repeats):
            failure, new = failures.record_failure(failure, error, day)
            opened.append(new)
        assert opened.count(True) == 1
        assert failure.count == repeats
