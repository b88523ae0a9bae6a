"""Tests for aws_encryption_sdk.internal.formatting.encryption_context."""

from __future__ import annotations

import struct

import pytest
from _formatting_examples import EXAMPLES, PURPOSE_CONTEXT_BYTES
from _formatting_strategies import encryption_contexts
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.identifiers import ContentAADString
from aws_encryption_sdk.internal.formatting.encryption_context import (
    assemble_content_aad,
    deserialize_encryption_context,
    read_short,
    read_string,
    serialize_encryption_context,
)


def _pair(key: bytes, value: bytes) -> bytes:
    return struct.pack(">H", len(key)) + key + struct.pack(">H", len(value)) + value


def _context(*pairs: tuple[bytes, bytes], count: int | None = None) -> bytes:
    declared = len(pairs) if count is None else count
    return struct.pack(">H", declared) + b"".join(_pair(key, value) for key, value in pairs)


# serialize_encryption_context -------------------------------------------------------------------


def test_serialize_matches_known_answer_for_purpose_example() -> None:
    assert serialize_encryption_context({"purpose": "example"}) == PURPOSE_CONTEXT_BYTES
    assert PURPOSE_CONTEXT_BYTES.hex() == "00010007707572706f736500076578616d706c65"


def test_serialize_empty_context_is_no_bytes() -> None:
    assert serialize_encryption_context({}) == b""


def test_serialize_sorts_by_utf8_bytes_not_utf16_units() -> None:
    # U+FFFF is EF BF BF in UTF-8 and sorts before U+1F600 (F0 9F 98 80); in UTF-16 the order flips.
    context = {"\U0001f600": "emoji", "\uffff": "bmp", "ab": "2", "a": "1", "B": "0"}
    serialized = serialize_encryption_context(context)
    expected = _context(
        (b"B", b"0"),
        (b"a", b"1"),
        (b"ab", b"2"),
        ("\uffff".encode(), b"bmp"),
        ("\U0001f600".encode(), b"emoji"),
    )
    assert serialized == expected


def test_serialize_accepts_bytes_keys_and_values_as_utf8_text() -> None:
    assert serialize_encryption_context({b"purpose": b"example"}) == PURPOSE_CONTEXT_BYTES
    assert serialize_encryption_context({"purpose": b"example"}) == PURPOSE_CONTEXT_BYTES


def test_serialize_rejects_too_many_pairs() -> None:
    context = {str(index): "" for index in range(65536)}
    with pytest.raises(SerializationError, match=r"^The encryption context contains too many elements\.$"):
        serialize_encryption_context(context)


def test_serialize_rejects_key_longer_than_65535_bytes() -> None:
    with pytest.raises(SerializationError, match=r"contains a key that is too large\.$"):
        serialize_encryption_context({"k" * 65536: "v"})


def test_serialize_rejects_value_longer_than_65535_bytes() -> None:
    with pytest.raises(SerializationError, match=r"contains a value that is too large\.$"):
        serialize_encryption_context({"k": "\u00e9" * 32768})


def test_serialize_rejects_total_longer_than_65535_bytes() -> None:
    context = {"a": "x" * 40000, "b": "y" * 40000}
    with pytest.raises(SerializationError, match=r"^The serialized context is too large\.$"):
        serialize_encryption_context(context)


def test_a_context_of_exactly_65535_bytes_is_written_and_read_back() -> None:
    # 2 (count) + 2 + 1 (key) + 2 + 65528 (value) = 65535, the most a header's two-byte length announces
    serialized = serialize_encryption_context({"k": "v" * 65528})
    assert len(serialized) == 65535
    assert deserialize_encryption_context(serialized) == {"k": "v" * 65528}


@pytest.mark.parametrize("context", [{b"\xff": "v"}, {"k": b"\xc3"}, {"\ud800": "v"}, {"k": "\udfff"}])
def test_serialize_rejects_text_that_is_not_utf8(context: dict[object, object]) -> None:
    with pytest.raises(SerializationError, match=r"^Cannot encode dictionary key or value using utf-8\.$"):
        serialize_encryption_context(context)


@pytest.mark.parametrize("context", [{"k": 1}, {"k": None}, {1: "v"}, {None: "v"}])
def test_serialize_rejects_non_text_with_type_error(context: dict[object, object]) -> None:
    with pytest.raises(TypeError):
        serialize_encryption_context(context)


def test_serialize_rejects_str_and_bytes_keys_with_the_same_text() -> None:
    with pytest.raises(SerializationError, match="same UTF-8 text"):
        serialize_encryption_context({"k": "1", b"k": "2"})


# deserialize_encryption_context -----------------------------------------------------------------


def test_deserialize_known_answer() -> None:
    assert deserialize_encryption_context(PURPOSE_CONTEXT_BYTES) == {"purpose": "example"}


def test_deserialize_empty_input_is_empty_context() -> None:
    assert deserialize_encryption_context(b"") == {}


def test_deserialize_accepts_count_zero_form() -> None:
    assert deserialize_encryption_context(b"\x00\x00") == {}


def test_deserialize_accepts_unsorted_pairs() -> None:
    serialized = _context((b"b", b"2"), (b"a", b"1"))
    assert deserialize_encryption_context(serialized) == {"a": "1", "b": "2"}


def test_deserialize_returns_str_for_non_ascii_text() -> None:
    serialized = serialize_encryption_context({"\U0001f600": "\u00e9t\u00e9"})
    assert deserialize_encryption_context(serialized) == {"\U0001f600": "\u00e9t\u00e9"}


def test_deserialize_accepts_bytearray_and_memoryview() -> None:
    assert deserialize_encryption_context(bytearray(PURPOSE_CONTEXT_BYTES)) == {"purpose": "example"}  # type: ignore[arg-type]
    assert deserialize_encryption_context(memoryview(PURPOSE_CONTEXT_BYTES)) == {"purpose": "example"}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "serialized",
    [
        pytest.param(b"\x00", id="truncated-count"),
        pytest.param(b"\x00\x01", id="missing-key-length"),
        pytest.param(b"\x00\x01\x00", id="truncated-key-length"),
        pytest.param(b"\x00\x01\x00\x05abc", id="truncated-key"),
        pytest.param(b"\x00\x01\x00\x01a", id="missing-value-length"),
        pytest.param(b"\x00\x01\x00\x01a\x00\x03xy", id="truncated-value"),
        pytest.param(_context((b"a", b"1"), count=2), id="count-larger-than-pairs"),
        pytest.param(_context((b"\xff", b"1")), id="key-not-utf8"),
        pytest.param(_context((b"a", b"\xc3")), id="value-not-utf8"),
        pytest.param(_context((b"\xed\xa0\x80", b"1")), id="encoded-surrogate"),
    ],
)
def test_deserialize_rejects_bad_format(serialized: bytes) -> None:
    with pytest.raises(SerializationError, match=r"^Bad format of serialized context\.$"):
        deserialize_encryption_context(serialized)


def test_deserialize_rejects_duplicate_key() -> None:
    serialized = _context((b"a", b"1"), (b"a", b"2"))
    with pytest.raises(SerializationError, match=r"^Duplicate key in serialized context\.$"):
        deserialize_encryption_context(serialized)


@pytest.mark.parametrize(
    "serialized",
    [PURPOSE_CONTEXT_BYTES + b"\x00", b"\x00\x00\x00", _context((b"a", b"1"), count=0)],
)
def test_deserialize_rejects_extra_data(serialized: bytes) -> None:
    with pytest.raises(SerializationError, match=r"^Formatting error: Extra data in serialized context\.$"):
        deserialize_encryption_context(serialized)


def test_deserialize_rejects_input_longer_than_65535_bytes() -> None:
    with pytest.raises(SerializationError, match=r"^Serialized context is too long\.$"):
        deserialize_encryption_context(b"\x00" * 65536)


@settings(max_examples=200, deadline=None)
@given(encryption_contexts)
def test_serialize_then_deserialize_gives_the_context_back(context: dict[str, str]) -> None:
    assert deserialize_encryption_context(serialize_encryption_context(context)) == context


@settings(max_examples=100, deadline=None)
@given(encryption_contexts)
def test_serialization_is_canonical(context: dict[str, str]) -> None:
    serialized = serialize_encryption_context(context)
    reordered = dict(reversed(list(context.items())))
    assert serialize_encryption_context(reordered) == serialized
    assert serialize_encryption_context(deserialize_encryption_context(serialized)) == serialized


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_deserialize_of_arbitrary_bytes_gives_a_dict_or_serialization_error(data: bytes) -> None:
    try:
        result = deserialize_encryption_context(data)
    except SerializationError:
        return
    assert isinstance(result, dict)
    assert all(isinstance(key, str) and isinstance(value, str) for key, value in result.items())


@settings(max_examples=200, deadline=None)
@given(encryption_contexts.filter(bool), st.data())
def test_deserialize_of_mutated_context_gives_a_dict_or_serialization_error(
    context: dict[str, str], data: st.DataObject
) -> None:
    serialized = bytearray(serialize_encryption_context(context))
    position = data.draw(st.integers(min_value=0, max_value=len(serialized) - 1))
    serialized[position] = data.draw(st.integers(min_value=0, max_value=255))
    cut = data.draw(st.integers(min_value=0, max_value=len(serialized)))
    try:
        result = deserialize_encryption_context(bytes(serialized[:cut]))
    except SerializationError:
        return
    assert isinstance(result, dict)


# read_short / read_string -----------------------------------------------------------------------


def test_read_short_returns_value_and_next_offset() -> None:
    assert read_short(b"\x12\x34\x56\x78", 1) == (0x3456, 3)


@pytest.mark.parametrize(("source", "offset"), [(b"", 0), (b"\x01", 0), (b"\x01\x02", 1), (b"\x01\x02", -1)])
def test_read_short_rejects_missing_bytes(source: bytes, offset: int) -> None:
    with pytest.raises(SerializationError, match="Bad format of serialized context"):
        read_short(source, offset)


def test_read_string_returns_text_and_next_offset() -> None:
    assert read_string(b"xx\xc3\xa9t\xc3\xa9", 2, 5) == ("\u00e9t\u00e9", 7)


@pytest.mark.parametrize(("source", "offset", "length"), [(b"abc", 1, 3), (b"\xff", 0, 1), (b"abc", 0, -1)])
def test_read_string_rejects_short_or_invalid_text(source: bytes, offset: int, length: int) -> None:
    with pytest.raises(SerializationError, match="Bad format of serialized context"):
        read_string(source, offset, length)


# assemble_content_aad ---------------------------------------------------------------------------


def test_assemble_content_aad_matches_example_a_frame_aads() -> None:
    message_id = EXAMPLES["A"].message_id
    regular = assemble_content_aad(message_id, ContentAADString.FRAME_STRING_ID, 1, 128)
    assert regular.hex() == (
        "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
        "4157534b4d53456e6372797074696f6e436c69656e74204672616d65"
        "00000001"
        "0000000000000080"
    )
    final = assemble_content_aad(message_id, ContentAADString.FINAL_FRAME_STRING_ID, 2, 2)
    assert final.hex() == (
        "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
        "4157534b4d53456e6372797074696f6e436c69656e742046696e616c204672616d65"
        "00000002"
        "0000000000000002"
    )


def test_assemble_content_aad_uses_the_whole_32_byte_v2_message_id() -> None:
    message_id = EXAMPLES["B"].message_id
    aad = assemble_content_aad(message_id, ContentAADString.FINAL_FRAME_STRING_ID, 1, 5)
    assert aad == message_id + b"AWSKMSEncryptionClient Final Frame" + bytes.fromhex("00000001") + bytes(7) + b"\x05"


def test_assemble_content_aad_accepts_label_bytes() -> None:
    by_enum = assemble_content_aad(b"m" * 16, ContentAADString.NON_FRAMED_STRING_ID, 1, 2)
    by_bytes = assemble_content_aad(b"m" * 16, b"AWSKMSEncryptionClient Single Block", 1, 2)
    assert by_enum == by_bytes


def test_assemble_content_aad_rejects_unknown_label() -> None:
    with pytest.raises(SerializationError, match="Unknown aad_content_string"):
        assemble_content_aad(b"m" * 16, "Frame", 1, 2)  # type: ignore[arg-type]


@pytest.mark.parametrize(("seq_num", "length"), [(-1, 0), (2**32, 0), (1, -1), (1, 2**64)])
def test_assemble_content_aad_rejects_numbers_that_do_not_fit(seq_num: int, length: int) -> None:
    with pytest.raises(SerializationError, match="out of range"):
        assemble_content_aad(b"m" * 16, ContentAADString.FRAME_STRING_ID, seq_num, length)
