"""Property tests for the message format: round trips and mutations of headers and frames."""

from __future__ import annotations

import contextlib
import io

from _formatting_examples import EXAMPLES
from _formatting_strategies import SUITES, message_headers
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import AWSEncryptionSDKClientError, SerializationError
from aws_encryption_sdk.identifiers import AlgorithmSuite, ContentAADString, ContentType
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_frame, deserialize_header
from aws_encryption_sdk.internal.formatting.encryption_context import assemble_content_aad
from aws_encryption_sdk.internal.formatting.serialize import serialize_frame, serialize_header
from aws_encryption_sdk.structures import MessageHeader

V1_SUITES = [suite for suite in SUITES if suite.message_format_version == 1]
V2_SUITES = [suite for suite in SUITES if suite.message_format_version == 2]


def _parse_or_sdk_error(data: bytes) -> MessageHeader | None:
    """Parse ``data`` as a header; SDK errors give None, anything else fails the test."""
    try:
        header, raw = deserialize_header(io.BytesIO(data))
    except AWSEncryptionSDKClientError:
        return None
    assert data.startswith(raw)
    return header


def _assert_round_trip(header: MessageHeader) -> None:
    data = serialize_header(header)
    source = io.BytesIO(data + b"trailing")
    parsed, raw = deserialize_header(source)
    assert parsed == header
    assert list(parsed.encrypted_data_keys) == list(header.encrypted_data_keys)
    assert raw == data
    assert source.tell() == len(data)
    assert serialize_header(parsed) == data


@settings(max_examples=150, deadline=None)
@given(message_headers(V1_SUITES))
def test_v1_header_round_trips(header: MessageHeader) -> None:
    _assert_round_trip(header)


@settings(max_examples=150, deadline=None)
@given(message_headers(V2_SUITES))
def test_v2_header_round_trips(header: MessageHeader) -> None:
    _assert_round_trip(header)


@settings(max_examples=100, deadline=None)
@given(message_headers(), st.data())
def test_every_truncation_of_a_header_is_a_serialization_error(header: MessageHeader, data: st.DataObject) -> None:
    serialized = serialize_header(header)
    cut = data.draw(st.integers(min_value=0, max_value=len(serialized) - 1))
    try:
        deserialize_header(io.BytesIO(serialized[:cut]))
    except SerializationError:
        return
    raise AssertionError(f"a header truncated to {cut} of {len(serialized)} bytes parsed")


@settings(max_examples=200, deadline=None)
@given(message_headers(), st.data())
def test_single_byte_change_gives_a_header_or_an_sdk_error(header: MessageHeader, data: st.DataObject) -> None:
    serialized = bytearray(serialize_header(header))
    position = data.draw(st.integers(min_value=0, max_value=len(serialized) - 1))
    serialized[position] = data.draw(st.integers(min_value=0, max_value=255))
    _parse_or_sdk_error(bytes(serialized))


@settings(max_examples=100, deadline=None)
@given(message_headers(), st.binary(min_size=1, max_size=64))
def test_extending_a_header_leaves_the_extra_bytes_unread(header: MessageHeader, extra: bytes) -> None:
    serialized = serialize_header(header)
    source = io.BytesIO(serialized + extra)
    parsed, _ = deserialize_header(source)
    assert parsed == header
    assert source.read() == extra


def test_every_single_byte_change_of_the_examples_gives_a_header_or_an_sdk_error() -> None:
    for example in EXAMPLES.values():
        body = example.header_body
        for position in range(len(body)):
            for replacement in {0x00, 0xFF, body[position] ^ 0x01, body[position] ^ 0x80}:
                mutated = body[:position] + bytes([replacement]) + body[position + 1 :]
                _parse_or_sdk_error(mutated)
        for cut in range(len(body)):
            assert _parse_or_sdk_error(body[:cut]) is None


@st.composite
def frame_inputs(draw: st.DrawFn) -> tuple[AlgorithmSuite, bytes, int, int, bool]:
    suite = draw(st.sampled_from(SUITES))
    frame_length = draw(st.integers(min_value=1, max_value=64))
    final = draw(st.booleans())
    size = draw(st.integers(min_value=0, max_value=frame_length)) if final else frame_length
    plaintext = draw(st.binary(min_size=size, max_size=size)) + draw(st.binary(max_size=8))
    # 0xFFFFFFFF marks the final frame: only a final frame may carry it.
    sequence_number = draw(st.integers(min_value=1, max_value=2**32 - 1 if final else 2**32 - 2))
    return suite, plaintext, frame_length, sequence_number, final


@settings(max_examples=150, deadline=None)
@given(frame_inputs(), st.data())
def test_frame_round_trips_and_decrypts(
    inputs: tuple[AlgorithmSuite, bytes, int, int, bool], data: st.DataObject
) -> None:
    suite, plaintext, frame_length, sequence_number, final = inputs
    header = data.draw(message_headers([suite]).filter(lambda h: h.content_type is ContentType.FRAMED_DATA))
    header.frame_length = frame_length
    key = data.draw(st.binary(min_size=suite.data_key_len, max_size=suite.data_key_len))
    serialized, remaining = serialize_frame(
        suite, plaintext, header.message_id, key, frame_length, sequence_number, final
    )
    frame_plaintext = plaintext[:frame_length]
    assert remaining == plaintext[frame_length:]
    source = io.BytesIO(serialized)
    frame, is_final = deserialize_frame(source, header)
    assert source.read() == b""
    assert is_final is final
    assert frame.sequence_number == sequence_number
    label = ContentAADString.FINAL_FRAME_STRING_ID if final else ContentAADString.FRAME_STRING_ID
    aad = assemble_content_aad(header.message_id, label, sequence_number, len(frame_plaintext))
    assert AESGCM(key).decrypt(frame.iv, frame.ciphertext + frame.tag, aad) == frame_plaintext


@settings(max_examples=150, deadline=None)
@given(frame_inputs(), st.data())
def test_mutated_or_truncated_frame_gives_a_frame_or_an_sdk_error(
    inputs: tuple[AlgorithmSuite, bytes, int, int, bool], data: st.DataObject
) -> None:
    suite, plaintext, frame_length, sequence_number, final = inputs
    header = data.draw(message_headers([suite]).filter(lambda h: h.content_type is ContentType.FRAMED_DATA))
    header.frame_length = frame_length
    serialized = bytearray(
        serialize_frame(
            suite, plaintext, header.message_id, bytes(suite.data_key_len), frame_length, sequence_number, final
        )[0]
    )
    position = data.draw(st.integers(min_value=0, max_value=len(serialized) - 1))
    serialized[position] = data.draw(st.integers(min_value=0, max_value=255))
    cut = data.draw(st.integers(min_value=0, max_value=len(serialized)))
    with contextlib.suppress(AWSEncryptionSDKClientError):
        deserialize_frame(io.BytesIO(bytes(serialized[:cut])), header)
