"""A record's failures in a daily cron, reported once.

A record that fails every day must not get a new message and a new activity
every day. Its open failure is one state: the error text, how many
consecutive runs failed, and since when. The chatter message is updated in
place while the text stays the same; a different text gets a new message (the
first one tells what happened then, the new one what happens now). A success
closes the failure (readme/USAGE.md).
"""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Failure:
    """An open failure: its last error text, count and first time."""

    error: str
    count: int
    since: object  # a date or datetime, compared only for equality


def normalise(error):
    """The text of an error as reported: stripped, never empty."""
    text = str(error).strip() if error is not None else ""
    return text or (type(error).__name__ if error is not None else "Error")


def record_failure(previous, error, when):
    """The failure after one more failed run, and whether it needs a new
    message (the first failure, or a text that changed) rather than an update
    of the current one.

    :param previous: the open :class:`Failure`, or None
    :param error: the error of this run (an exception or a text)
    :param when: the time of this run
    :returns: ``(Failure, new_message)``
    """
    text = normalise(error)
    if previous is None:
        return Failure(error=text, count=1, since=when), True
    return (
        replace(previous, error=text, count=previous.count + 1),
        text != previous.error,
    )
