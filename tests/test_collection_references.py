"""Transaction references of a collection batch,
``recurring_payment/tools/references.py`` (no Odoo)."""

from hypothesis import given
from hypothesis import strategies as st
from recurring_payment_tools import references


def test_a_free_prefix_is_the_reference():
    assert references.next_reference("INV/2026/00001-1", set()) == "INV/2026/00001-1"


def test_a_taken_prefix_gets_the_next_number_as_odoo_does():
    taken = {"INV-1", "INV-1-1", "INV-1-3", "INV-1-ref", "INV-10"}
    assert references.next_reference("INV-1", taken) == "INV-1-4"
    assert references.next_reference("INV-1", {"INV-1"}) == "INV-1-1"


def test_accents_are_dropped():
    assert references.ascii_prefix("FAC/Été-1") == "FAC/Ete-1"


def test_a_prefix_repeated_in_the_batch_gets_distinct_references():
    assert references.assign_references(["A", "B", "A", "A"], {"B"}) == [
        "A",
        "B-1",
        "A-1",
        "A-2",
    ]


@given(
    st.lists(st.sampled_from(["A", "A-1", "B", "C-2"]), max_size=12),
    st.sets(st.sampled_from(["A", "A-1", "A-2", "B", "B-7", "C-2"])),
)
def test_references_are_unique_and_never_taken(prefixes, taken):
    result = references.assign_references(prefixes, taken)
    assert len(result) == len(prefixes)
    assert len(set(result)) == len(result)
    assert not set(result) & taken
    for prefix, reference in zip(prefixes, result, strict=True):
        assert reference == prefix or reference.startswith(prefix + "-")
