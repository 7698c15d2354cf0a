"""ledger_export/tools/formats.py: human labels of the CSV date formats."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from ledger_export_tools import formats

FRENCH = {"%d": "JJ", "%m": "MM", "%Y": "AAAA", "%y": "AA"}
SEPARATORS = st.sampled_from(["/", "-", ".", " ", ""])
DIRECTIVES = st.sampled_from(["%d", "%m", "%Y", "%y"])


def test_french_preset_label():
    assert formats.date_format_label("%d/%m/%Y") == "31/12/2025 (DD/MM/YYYY)"
    assert formats.date_format_label("%d/%m/%Y", FRENCH) == "31/12/2025 (JJ/MM/AAAA)"


def test_every_preset_has_a_distinct_label():
    labels = [formats.date_format_label(f) for f in formats.DATE_FORMAT_PRESETS]
    assert len(set(labels)) == len(labels)
    assert all("%" not in label for label in labels)


@given(
    st.lists(st.tuples(DIRECTIVES, SEPARATORS), min_size=1, max_size=4),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)),
    st.booleans(),
)
def test_label_is_the_example_then_the_pattern(parts, day, french):
    date_format = "".join(directive + sep for directive, sep in parts)
    tokens = FRENCH if french else formats.DATE_TOKENS
    expected_pattern = "".join(tokens[directive] + sep for directive, sep in parts)
    label = formats.date_format_label(date_format, FRENCH if french else None, day)
    assert label == f"{day.strftime(date_format)} ({expected_pattern})"


@given(st.sampled_from(["%b", "%A", "%j"]), SEPARATORS)
def test_unknown_directives_and_percent_signs_are_kept_readable(directive, sep):
    pattern = formats.date_format_pattern(f"%d{sep}{directive}{sep}%%")
    assert pattern == f"DD{sep}{directive}{sep}%"
