"""Collection dates: the first charge, the retries, the decline kinds.

Plain Python (no Odoo): the models call these functions, layer-1 tests call
them without a database.

- The first charge of a card (or any immediate method) is on the day the
  invoice is posted; a direct debit (a SEPA token, a mandate) is never
  requested before the customer has been told amount and date ``notice_days``
  in advance, and never before the due date.
- Retries follow a schedule of day offsets counted from the first attempt
  (default ``3, 7, 14``): attempt 2 three days after attempt 1, and so on. A
  retry is never scheduled on or before the day of the failure that caused it.
- A hard decline (expired or blocked card, revoked mandate, closed account,
  SEPA reasons AC04, AC06, MD01, MD07...) is never retried.
"""

import datetime
import re

DEFAULT_RETRY_DAYS = (3, 7, 14)
DEFAULT_NOTICE_DAYS = 14

#: words or SEPA reason codes that make a decline hard (never retried)
HARD_DECLINE_PATTERNS = (
    r"\bexpired?\b",
    r"\bstolen\b",
    r"\blost\b",
    r"\bblocked\b",
    r"\brevoked\b",
    r"\bclosed\b",
    r"\bfraud",
    r"\bdo not honou?r\b",
    r"\bpickup\b",
    r"\binvalid (card|account|iban|mandate)\b",
    r"\bno (valid )?mandate\b",
    r"\b(AC01|AC04|AC06|AG01|MD01|MD02|MD06|MD07|BE05|SL01)\b",
)
_HARD = re.compile("|".join(HARD_DECLINE_PATTERNS), re.IGNORECASE)

HARD = "hard"
SOFT = "soft"


class ScheduleError(ValueError):
    """A retry schedule or a lead time that cannot be used."""


def parse_retry_days(text):
    """``"3, 7, 14"`` -> ``(3, 7, 14)``: strictly increasing positive days.

    An empty text means no retry at all.
    """
    text = (text or "").strip()
    if not text:
        return ()
    try:
        days = tuple(int(part) for part in re.split(r"[\s,;]+", text) if part)
    except ValueError as error:
        raise ScheduleError(
            f"the retry schedule {text!r} is not a list of whole days"
        ) from error
    if any(day <= 0 for day in days):
        raise ScheduleError(f"the retry schedule {text!r} has a day that is not > 0")
    if any(b <= a for a, b in zip(days, days[1:], strict=False)):
        raise ScheduleError(f"the retry schedule {text!r} is not increasing")
    return days


def max_attempts(retry_days, limit=None):
    """How many attempts an invoice gets: the first one plus one per retry
    day, capped by ``limit`` (SEPA: 2 presentations) when given."""
    count = 1 + len(retry_days)
    return min(count, limit) if limit else count


def first_collection_date(posted_on, due_date=None, notice_days=0, debit=False):
    """The day of the first attempt.

    ``posted_on`` is the day the invoice was posted (and sent: the notice);
    a debit waits ``notice_days`` after it and for the due date.
    """
    if notice_days < 0:
        raise ScheduleError("the pre-notification lead time cannot be negative")
    if not debit:
        return posted_on
    notified = posted_on + datetime.timedelta(days=notice_days)
    return max(notified, due_date or posted_on)


def next_attempt_date(first_attempt_on, failed_on, attempt_number, retry_days):
    """The day of attempt ``attempt_number + 1`` after attempt
    ``attempt_number`` (1-based) failed on ``failed_on``, or None when the
    schedule is exhausted."""
    if attempt_number < 1:
        raise ScheduleError("attempts are numbered from 1")
    if attempt_number > len(retry_days):
        return None
    planned = first_attempt_on + datetime.timedelta(days=retry_days[attempt_number - 1])
    return max(planned, failed_on + datetime.timedelta(days=1))


def decline_kind(state, message=""):
    """``hard`` or ``soft`` for a failed charge: a cancelled transaction (the
    provider or the bank refused the payment method itself) or a message
    naming a hard reason is hard; anything else (insufficient funds AM04,
    technical errors) is soft."""
    if state == "cancel" or _HARD.search(message or ""):
        return HARD
    return SOFT
