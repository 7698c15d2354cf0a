"""consolidated_invoice/tools/grouping.py: grouping keys of consolidated
invoices are never None, always sortable, and conflicts are named."""

import pytest
from consolidated_invoice_tools import grouping
from consolidated_invoice_tools.exceptions import GroupingError
from hypothesis import given
from hypothesis import strategies as st

# what invoice values hold: ids, empty relations, text, None, (id, name)
# pairs, Command lists
scalars = st.one_of(
    st.none(),
    st.just(False),
    st.integers(min_value=1, max_value=10**9),
    st.text(max_size=20),
    st.dates(),
)
values_strategy = st.one_of(
    scalars,
    st.tuples(st.integers(min_value=1, max_value=1000), st.text(max_size=10)),
    st.lists(st.tuples(st.just(6), st.just(0), st.lists(st.integers(1, 50)))),
)
NAMES = ("partner_id", "currency_id", "ref", "journal_id")
invoice_values = st.fixed_dictionaries(dict.fromkeys(NAMES, values_strategy))


def _contains_none(value):
    if isinstance(value, tuple):
        return any(_contains_none(v) for v in value)
    return value is None


# ---------------------------------------------------------------------------
# normalise and key_of
# ---------------------------------------------------------------------------


def test_normalise_examples():
    assert grouping.normalise(None) is False
    assert grouping.normalise(False) is False
    assert grouping.normalise(7) == 7
    assert grouping.normalise("") == ""
    assert grouping.normalise((3, "EUR")) == (3, "EUR")
    assert grouping.normalise([(6, 0, [1, 2])]) == ((6, 0, (1, 2)),)
    assert grouping.normalise(None) == grouping.normalise(False)


@given(invoice_values)
def test_key_of_is_never_none(values):
    key = grouping.key_of(values, NAMES)
    assert len(key) == len(NAMES)
    assert not _contains_none(key)


@given(invoice_values, invoice_values)
def test_key_of_equal_iff_the_normalised_values_are(a, b):
    same = all(
        grouping.normalise(a[name]) == grouping.normalise(b[name]) for name in NAMES
    )
    assert (grouping.key_of(a, NAMES) == grouping.key_of(b, NAMES)) is same


def test_key_of_refuses_a_missing_key():
    """A key the prepare step does not write would merge every invoice."""
    with pytest.raises(GroupingError, match="currency_id, ref"):
        grouping.key_of({"partner_id": 1, "journal_id": 2}, NAMES)


def test_key_of_empty_relation_and_none_are_one_key():
    a = dict.fromkeys(NAMES, False)
    b = dict.fromkeys(NAMES, None)
    assert grouping.key_of(a, NAMES) == grouping.key_of(b, NAMES)


# ---------------------------------------------------------------------------
# Sorting keys that mix False, ids and text never raises
# ---------------------------------------------------------------------------


@given(st.lists(invoice_values, max_size=30))
def test_keys_mixing_false_ids_and_text_sort(values_list):
    keys = [grouping.key_of(values, NAMES) for values in values_list]
    ordered = sorted(keys)
    assert sorted(ordered) == ordered


@given(
    st.lists(
        st.one_of(st.just(False), st.none(), st.integers(1, 100), st.text(max_size=5)),
        max_size=30,
    )
)
def test_false_sorts_first_then_ids_then_text(raw):
    keys = sorted(grouping.key_of({"x": value}, ["x"]) for value in raw)
    kinds = [key[0][0] for key in keys]
    assert kinds == sorted(kinds)
    ids = [key[0][1] for key in keys if key[0][0] == 1]
    assert ids == sorted(ids)


def test_sorting_what_plain_values_cannot():
    with pytest.raises(TypeError):
        sorted([(False,), (None,), (3,), ("a",)])
    values = [{"k": False}, {"k": None}, {"k": 3}, {"k": "a"}, {"k": 1}]
    keys = sorted(grouping.key_of(v, ["k"]) for v in values)
    assert [k[0] for k in keys] == [(0, ""), (0, ""), (1, 1), (1, 3), (2, "a")]


def test_pairs_and_commands_sort_after_text_element_by_element():
    values = [{"k": (2, "B")}, {"k": "x"}, {"k": (1, False)}, {"k": (1, "A")}]
    keys = sorted(grouping.key_of(v, ["k"]) for v in values)
    assert [k[0][0] for k in keys] == [2, 3, 3, 3]
    assert keys[1] == grouping.key_of({"k": (1, None)}, ["k"])
    assert keys[-1] == grouping.key_of({"k": (2, "B")}, ["k"])


# ---------------------------------------------------------------------------
# Grouping by key keeps the order inside each group
# ---------------------------------------------------------------------------


@given(st.lists(invoice_values, max_size=30))
def test_grouping_by_key_keeps_order_inside_groups(values_list):
    """What the bill run does: invoices grouped by their key (a dict keeps
    insertion order), then the groups sorted."""
    groups = {}
    for position, values in enumerate(values_list):
        groups.setdefault(grouping.key_of(values, NAMES), []).append(position)
    assert sum(len(g) for g in groups.values()) == len(values_list)
    for key in sorted(groups):
        positions = groups[key]
        assert positions == sorted(positions)
        for position in positions:
            assert grouping.key_of(values_list[position], NAMES) == key


# ---------------------------------------------------------------------------
# differing_keys and conflicts
# ---------------------------------------------------------------------------


def test_conflicts_name_the_differing_keys_in_key_order():
    values_list = [
        {"partner_id": 1, "currency_id": 1, "ref": "A", "journal_id": 5},
        {"partner_id": 1, "currency_id": 2, "ref": "A", "journal_id": 6},
        {"partner_id": 1, "currency_id": 1, "ref": "A", "journal_id": 5},
    ]
    assert grouping.conflicts(values_list, NAMES) == ["currency_id", "journal_id"]


def test_no_conflict_between_empty_and_none():
    values_list = [
        {"partner_id": 1, "currency_id": 1, "ref": None, "journal_id": False},
        {"partner_id": 1, "currency_id": 1, "ref": False, "journal_id": None},
    ]
    assert grouping.conflicts(values_list, NAMES) == []


def test_fewer_than_two_keys_never_differ():
    assert grouping.differing_keys([], NAMES) == []
    assert grouping.differing_keys([(1, 2, 3, 4)], NAMES) == []
    assert grouping.conflicts([dict.fromkeys(NAMES, 1)], NAMES) == []


@given(st.lists(invoice_values, max_size=10))
def test_conflicts_are_the_keys_with_several_values(values_list):
    differing = grouping.conflicts(values_list, NAMES)
    assert differing == [n for n in NAMES if n in differing]  # in key order
    for position, name in enumerate(NAMES):
        distinct = {grouping.key_of(v, NAMES)[position] for v in values_list}
        assert (name in differing) is (len(distinct) > 1)


# ---------------------------------------------------------------------------
# join_text
# ---------------------------------------------------------------------------


def test_join_text_distinct_non_empty_in_order():
    texts = ["C-2", "", None, "C-1", "C-2", False, "C-3"]
    assert grouping.join_text(texts) == "C-2, C-1, C-3"
    assert grouping.join_text(["a", "b"], separator=" / ") == "a / b"
    assert grouping.join_text([]) == ""


def test_join_text_cut_at_the_limit():
    assert grouping.join_text(["abcdef", "ghij"], limit=12) == "abcdef, ghij"
    cut = grouping.join_text(["abcdef", "ghijk"], limit=12)
    assert cut == "abcdef, ghi…"
    assert len(cut) == 12


@given(
    st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=40),
    st.integers(min_value=1, max_value=200),
)
def test_join_text_never_exceeds_its_limit(texts, limit):
    joined = grouping.join_text(texts, limit=limit)
    assert len(joined) <= limit
    full = ", ".join(dict.fromkeys(t for t in texts if t))
    if len(full) <= limit:
        assert joined == full
    else:
        assert joined == full[: limit - 1] + "…"
