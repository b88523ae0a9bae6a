"""A ``set`` of encrypted data keys that remembers insertion order (private).

The public API types encrypted data keys as a ``set``; the header order still matters (we
write keys in the order the materials give them and try them on decrypt in header order), so
this subclass keeps that order while remaining a ``set`` for every caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

_T = TypeVar("_T")


class OrderedSet(set[_T]):
    """A ``set`` that iterates in insertion order."""

    def __init__(self, items: Iterable[_T] = ()) -> None:
        super().__init__()
        self._order: dict[_T, None] = {}
        self.update(items)

    def add(self, item: _T) -> None:
        super().add(item)
        self._order[item] = None

    def update(self, *others: Iterable[_T]) -> None:
        for other in others:
            for item in other:
                self.add(item)

    def discard(self, item: object) -> None:
        super().discard(item)
        self._order.pop(item, None)  # type: ignore[arg-type]

    def remove(self, item: _T) -> None:
        super().remove(item)
        del self._order[item]

    def pop(self) -> _T:
        if not self._order:
            raise KeyError("pop from an empty set")
        item = next(iter(self._order))
        self.remove(item)
        return item

    def clear(self) -> None:
        super().clear()
        self._order.clear()

    def copy(self) -> OrderedSet[_T]:
        return OrderedSet(self)

    def __iter__(self) -> Iterator[_T]:
        return iter(list(self._order))

    def __repr__(self) -> str:
        return "{" + ", ".join(repr(item) for item in self._order) + "}"

    def __reduce__(self) -> Any:
        return (OrderedSet, (list(self._order),))
