"""Tests for the private readers every message parser uses (internal/formatting/_reader.py)."""

from __future__ import annotations

import io
import tracemalloc
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import CustomMaximumValueExceeded, SerializationError
from aws_encryption_sdk.internal.formatting._reader import CHUNK_SIZE, BufferReader, Reader
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header


class RecordingSource:
    """A source that hands out at most ``step`` bytes per call and records each request."""

    def __init__(self, data: bytes, step: int | None = None) -> None:
        self._stream = io.BytesIO(data)
        self._step = step
        self.requests: list[int] = []

    def read(self, size: int = -1, /) -> bytes:
        self.requests.append(size)
        if self._step is not None:
            size = min(size, self._step)
        return self._stream.read(size)


class Collector:
    """Receives every byte the reader reads."""

    def __init__(self) -> None:
        self.seen = bytearray()

    def update(self, data: bytes, /) -> None:
        self.seen += data


def test_read_exact_returns_exactly_the_bytes_asked_for() -> None:
    source = io.BytesIO(b"abcdef")
    reader = Reader(source)
    assert reader.read_exact(4, "field") == b"abcd"
    assert source.tell() == 4
    assert reader.consumed == 4


def test_read_exact_of_zero_bytes_reads_nothing() -> None:
    source = RecordingSource(b"abc")
    assert Reader(source).read_exact(0, "field") == b""
    assert source.requests == []


def test_read_exact_collects_short_reads_until_complete() -> None:
    source = RecordingSource(b"abcdefgh", step=3)
    assert Reader(source).read_exact(8, "field") == b"abcdefgh"
    assert source.requests == [8, 5, 2]


def test_short_input_names_the_field_and_the_missing_byte_count() -> None:
    reader = Reader(io.BytesIO(b"abc"))
    with pytest.raises(SerializationError, match=r"frame 7 tag: needed 16 bytes, got 3 \(13 missing\)") as info:
        reader.read_exact(16, "frame 7 tag")
    assert type(info.value) is SerializationError
    assert str(info.value).startswith("Unexpected deserialization error")


def test_large_reads_ask_the_source_for_at_most_one_mebibyte_at_a_time() -> None:
    data = bytes(3 * CHUNK_SIZE + 5)
    source = RecordingSource(data)
    assert Reader(source).read_exact(len(data), "content") == data
    assert max(source.requests) == CHUNK_SIZE
    assert source.requests == [CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE, 5]


def test_huge_declared_length_with_little_input_allocates_little() -> None:
    reader = Reader(io.BytesIO(b"x" * 100))
    tracemalloc.start()
    try:
        with pytest.raises(SerializationError, match="2147483647 bytes, got 100"):
            reader.read_exact(2**31 - 1, "frame content")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_integers_are_big_endian_and_unsigned() -> None:
    data = bytes.fromhex("ff0102010203040102030405060708")
    reader = Reader(io.BytesIO(data))
    assert reader.u8("a") == 0xFF
    assert reader.u16("b") == 0x0102
    assert reader.u32("c") == 0x01020304
    assert reader.u64("d") == 0x0102030405060708


@pytest.mark.parametrize("method", ["u8", "u16", "u32", "u64"])
def test_integer_read_at_end_of_input_is_a_serialization_error(method: str) -> None:
    reader = Reader(io.BytesIO(b""))
    with pytest.raises(SerializationError, match="the count"):
        getattr(reader, method)("the count")


def test_read_prefixed_reads_a_two_byte_length_then_the_field() -> None:
    reader = Reader(io.BytesIO(b"\x00\x03abcZ"))
    assert reader.read_prefixed("provider ID") == b"abc"
    assert reader.read_exact(1, "next") == b"Z"


def test_read_prefixed_names_the_length_and_the_field() -> None:
    with pytest.raises(SerializationError, match="provider ID length"):
        Reader(io.BytesIO(b"\x00")).read_prefixed("provider ID")
    with pytest.raises(SerializationError, match=r"provider ID: needed 3 bytes, got 1"):
        Reader(io.BytesIO(b"\x00\x03a")).read_prefixed("provider ID")


def test_capture_keeps_every_byte_read() -> None:
    reader = Reader(io.BytesIO(b"\x01\x00\x02abcdef"), capture=True)
    reader.u8("a")
    reader.read_prefixed("b")
    assert reader.captured == b"\x01\x00\x02ab"


def test_captured_is_empty_without_capture() -> None:
    reader = Reader(io.BytesIO(b"abc"))
    reader.read_exact(3, "a")
    assert reader.captured == b""


def test_verifier_receives_every_byte_read() -> None:
    collector = Collector()
    reader = Reader(io.BytesIO(b"\x00\x00\x00\x07payload"), verifier=collector)
    reader.u32("a")
    reader.read_exact(7, "b")
    assert bytes(collector.seen) == b"\x00\x00\x00\x07payload"


def test_verifier_sees_nothing_from_a_failed_read() -> None:
    collector = Collector()
    with pytest.raises(SerializationError):
        Reader(io.BytesIO(b"ab"), verifier=collector).read_exact(3, "a")
    assert collector.seen == b""


def test_limit_is_checked_before_reading() -> None:
    source = io.BytesIO(b"a" * 100)
    reader = Reader(source, limit=10, limit_name="max_header_size")
    assert reader.read_exact(6, "first") == b"aaaaaa"
    with pytest.raises(CustomMaximumValueExceeded, match=r"second \(5 bytes\).*11 bytes, above max_header_size of 10"):
        reader.read_exact(5, "second")
    assert source.tell() == 6
    assert reader.read_exact(4, "third") == b"aaaa"


def test_source_returning_none_is_refused_not_taken_as_its_end() -> None:
    class NoneSource:
        def read(self, size: int = -1, /) -> bytes | None:
            return None

    with pytest.raises(SerializationError, match=r"read\(\) returned None, which a non-blocking source does"):
        Reader(NoneSource()).read_exact(1, "a")


def test_text_source_is_rejected_with_serialization_error() -> None:
    with pytest.raises(SerializationError, match="binary mode"):
        Reader(io.StringIO("abc")).read_exact(2, "a")  # type: ignore[arg-type]


def test_source_returning_more_than_asked_is_rejected() -> None:
    class GreedySource:
        def read(self, size: int = -1, /) -> bytes:
            return b"x" * (size + 1)

    with pytest.raises(SerializationError, match=r"^Reading the message source failed: read\(2\) returned 3 bytes$"):
        Reader(GreedySource()).read_exact(2, "a")


@pytest.mark.parametrize("returned", [7, 0, ["a"], object()])
def test_source_returning_something_not_bytes_like_is_rejected(returned: object) -> None:
    class OddSource:
        def read(self, size: int = -1, /) -> object:
            return returned

    with pytest.raises(
        SerializationError,
        match=f"^Reading the message source failed: read\\(\\) returned {type(returned).__name__}, not bytes$",
    ):
        Reader(OddSource()).read_exact(2, "a")  # type: ignore[arg-type]


def test_source_returning_a_bytearray_or_memoryview_is_read() -> None:
    class ViewSource:
        def __init__(self) -> None:
            self.calls = 0

        def read(self, size: int = -1, /) -> bytearray | memoryview:
            self.calls += 1
            return bytearray(b"ab") if self.calls == 1 else memoryview(b"cd")

    assert Reader(ViewSource()).read_exact(4, "a") == b"abcd"  # type: ignore[arg-type]


def test_negative_length_is_rejected() -> None:
    with pytest.raises(SerializationError, match="Invalid length -1 for a"):
        Reader(io.BytesIO(b"abc")).read_exact(-1, "a")


# BufferReader: the same fields, limits and errors as Reader, by slicing ---------------------------------

_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["u8", "u16", "u32", "u64", "read_prefixed"])),
        st.tuples(st.just("read_exact"), st.integers(min_value=-1, max_value=12)),
    ),
    max_size=16,
)


def _outcomes(reader: Reader, operations: list[tuple[Any, ...]]) -> list[object]:
    """Run the operations in order; record each value, or the error that ended the run."""
    outcomes: list[object] = []
    for index, (method, *args) in enumerate(operations):
        try:
            outcomes.append(getattr(reader, method)(*args, f"field {index}"))
        except (SerializationError, CustomMaximumValueExceeded) as error:
            outcomes.append((type(error), str(error)))
            break
    outcomes.append(reader.consumed)
    return outcomes


@given(
    data=st.binary(max_size=24),
    start=st.integers(min_value=0, max_value=26),
    limit=st.none() | st.integers(min_value=0, max_value=26),
    operations=_OPERATIONS,
)
@example(data=b"ab", start=0, limit=None, operations=[("read_exact", 3)])
@example(data=b"ab", start=1, limit=None, operations=[("u16",)])
@example(data=b"a", start=0, limit=None, operations=[("read_prefixed",)])
@example(data=b"\x00\x02a", start=0, limit=None, operations=[("read_prefixed",)])
@example(data=b"\x00\x01ab", start=0, limit=2, operations=[("read_prefixed",)])
@example(data=b"abcd", start=0, limit=3, operations=[("u32",)])
@example(data=b"ab", start=1, limit=None, operations=[("read_exact", -1)])
@settings(max_examples=300)
def test_buffer_reader_reads_and_fails_exactly_like_reader(
    data: bytes, start: int, limit: int | None, operations: list[tuple[Any, ...]]
) -> None:
    stream = io.BytesIO(data)
    stream.seek(start)
    by_stream = Reader(stream, capture=True, limit=limit, limit_name="the limit")
    by_slicing = BufferReader(data, start, limit=limit, limit_name="the limit")

    assert _outcomes(by_slicing, operations) == _outcomes(by_stream, operations)
    assert by_slicing.captured == by_stream.captured
    assert by_slicing.position == stream.tell()


def test_buffer_reader_starts_at_its_offset_and_reports_its_position() -> None:
    reader = BufferReader(b"\x00\x00\x00\x02hi!", 2)

    assert reader.read_prefixed("greeting") == b"hi"
    assert (reader.consumed, reader.position, reader.captured) == (4, 6, b"\x00\x02hi")


def test_header_from_a_bytes_io_equals_the_header_from_a_stream() -> None:
    """deserialize_header slices a BytesIO's bytes; any other source goes through the stream reader."""
    message = bytes.fromhex(
        "02 0578 " + "11" * 32 + " 0000 0001 0007 6177732d6b6d73 0003 6b6579 0004 65646b21 02 00001000 " + "22" * 32
    )
    memory = io.BytesIO(message + b"body")
    from_memory = deserialize_header(memory)
    from_stream = deserialize_header(RecordingSource(message + b"body", step=3))

    assert from_memory == from_stream
    assert from_memory[1] == message
    assert memory.tell() == len(message)
