"""Type aliases shared across the package (private)."""

from __future__ import annotations

from typing import Union

#: Any bytes-like object accepted on a boundary that takes binary input.
BytesLike = Union[bytes, bytearray, memoryview]
