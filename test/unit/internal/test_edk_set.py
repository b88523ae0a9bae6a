"""The insertion-ordered set that holds a header's encrypted data keys (internal/utils/_edk_set.py)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from aws_encryption_sdk.internal.utils._edk_set import OrderedSet

_OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["add", "discard", "remove", "pop", "copy"]), st.integers(0, 5)), max_size=30
)


@given(_OPERATIONS)
@example([("add", 3), ("add", 1), ("copy", 0)])
def test_an_ordered_set_iterates_exactly_its_members_in_insertion_order(operations: list[tuple[str, int]]) -> None:
    # A dict is the model: keys in insertion order. Iteration and membership must never disagree,
    # or a header could list a key it no longer holds. A copy keeps the order too.
    ordered: OrderedSet[int] = OrderedSet()
    model: dict[int, None] = {}
    for name, item in operations:
        if name == "add":
            ordered.add(item)
            model.setdefault(item, None)
        elif name == "discard":
            ordered.discard(item)
            model.pop(item, None)
        elif name == "remove" and item in model:
            ordered.remove(item)
            del model[item]
        elif name == "remove":
            with pytest.raises(KeyError):
                ordered.remove(item)
        elif name == "copy":
            ordered = ordered.copy()
            assert type(ordered) is OrderedSet
        elif model:
            first = next(iter(model))
            assert ordered.pop() == first
            del model[first]
        else:
            with pytest.raises(KeyError):
                ordered.pop()
        assert list(ordered) == list(model)
        assert set(ordered) == set(model)
        assert len(ordered) == len(model)
