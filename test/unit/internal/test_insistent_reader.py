"""The reader that does not take a short read for the end of a stream (internal/utils/streams.py)."""

from __future__ import annotations

import io
from typing import Optional

from hypothesis import given
from hypothesis import strategies as st

from aws_encryption_sdk.internal.utils.streams import InsistentReaderBytesIO


class _Trickle:
    """A source that hands out at most ``step`` bytes per read, like a pipe or a socket."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = io.BytesIO(data)
        self._step = step

    def read(self, size: Optional[int] = -1) -> bytes:
        if size is None or size < 0:
            size = self._step
        return self._data.read(min(size, self._step))


@given(data=st.binary(max_size=64), step=st.integers(min_value=1, max_value=7), size=st.integers(0, 80))
def test_a_read_is_short_only_at_the_end_of_the_stream(data: bytes, step: int, size: int) -> None:
    reader = InsistentReaderBytesIO(_Trickle(data, step))

    assert reader.read(size) == data[:size]
    assert reader.read() == data[size:]
