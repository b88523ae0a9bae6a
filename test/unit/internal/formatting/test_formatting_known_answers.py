"""Known-answer tests: the worked examples A-F of the message-format digest, part by part."""

from __future__ import annotations

import io

import pytest
from _formatting_examples import EXAMPLES, KEYED, PROVIDER_ID, Example
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    ContentAADString,
    ContentType,
    ObjectType,
    SerializationVersion,
)
from aws_encryption_sdk.internal.formatting import ciphertext_length, footer_length, header_length
from aws_encryption_sdk.internal.formatting.deserialize import (
    deserialize_footer,
    deserialize_frame,
    deserialize_header,
    deserialize_header_auth,
    deserialize_non_framed_values,
    deserialize_tag,
    validate_header,
)
from aws_encryption_sdk.internal.formatting.encryption_context import assemble_content_aad
from aws_encryption_sdk.internal.formatting.serialize import (
    serialize_frame,
    serialize_header,
    serialize_header_auth,
    serialize_non_framed_close,
    serialize_non_framed_open,
)
from aws_encryption_sdk.internal.structures import MessageHeaderAuthentication
from aws_encryption_sdk.structures import EncryptedDataKey, MasterKeyInfo, MessageHeader

ALL = sorted(EXAMPLES)
FRAMED_KEYED = [name for name in KEYED if EXAMPLES[name].framed]


def _parse(example: Example) -> tuple[MessageHeader, bytes, io.BytesIO]:
    source = io.BytesIO(example.message)
    header, raw = deserialize_header(source)
    return header, raw, source


def _flip(data: bytes, index: int, mask: int = 0x01) -> bytes:
    return data[:index] + bytes([data[index] ^ mask]) + data[index + 1 :]


@pytest.mark.parametrize("name", ALL)
def test_header_fields_match_the_documented_values(name: str) -> None:
    example = EXAMPLES[name]
    header, _, _ = _parse(example)
    assert header.algorithm is AlgorithmSuite.get_by_id(example.suite_id)
    assert header.message_id == example.message_id
    assert header.encryption_context == example.encryption_context
    assert list(header.encrypted_data_keys) == [
        EncryptedDataKey(MasterKeyInfo(PROVIDER_ID, example.edk_key_info), example.edk_ciphertext)
    ]
    assert header.content_type is (ContentType.FRAMED_DATA if example.framed else ContentType.NO_FRAMING)
    assert header.frame_length == example.frame_length
    if example.version == 1:
        assert header.version is SerializationVersion.V1
        assert header.type is ObjectType.CUSTOMER_AE_DATA
        assert header.content_aad_length == 0
        assert header.header_iv_length == 12
        assert header.commitment_key is None
    else:
        assert header.version is SerializationVersion.V2
        assert header.type is None
        assert header.content_aad_length is None
        assert header.header_iv_length is None
        assert header.commitment_key == example.commitment_key


@pytest.mark.parametrize("name", ALL)
def test_raw_header_is_the_documented_header_body(name: str) -> None:
    example = EXAMPLES[name]
    _, raw, source = _parse(example)
    assert raw == example.header_body
    assert source.tell() == example.header_body_length


@pytest.mark.parametrize("name", ALL)
def test_serializing_the_parsed_header_reproduces_the_bytes(name: str) -> None:
    example = EXAMPLES[name]
    header, _, _ = _parse(example)
    assert serialize_header(header) == example.header_body


@pytest.mark.parametrize("name", ALL)
def test_header_auth_parses_to_the_documented_tag(name: str) -> None:
    example = EXAMPLES[name]
    header, _, source = _parse(example)
    auth = deserialize_header_auth(header.version, source, header.algorithm)
    assert auth == MessageHeaderAuthentication(iv=bytes(12), tag=example.header_auth_tag)
    assert source.tell() == example.header_body_length + example.header_auth_length


@pytest.mark.parametrize("name", KEYED)
def test_validate_header_accepts_the_documented_derived_key(name: str) -> None:
    example = EXAMPLES[name]
    assert example.derived_key is not None
    header, raw, source = _parse(example)
    auth = deserialize_header_auth(header.version, source, header.algorithm)
    validate_header(header, auth, raw, example.derived_key)


@pytest.mark.parametrize("name", KEYED)
@pytest.mark.parametrize("bit", [0, 7, 60, 127])
def test_validate_header_rejects_a_tag_with_one_bit_flipped(name: str, bit: int) -> None:
    example = EXAMPLES[name]
    assert example.derived_key is not None
    header, raw, _ = _parse(example)
    tag = _flip(example.header_auth_tag, bit // 8, 1 << (bit % 8))
    with pytest.raises(SerializationError, match=r"^Header authorization failed$"):
        validate_header(header, MessageHeaderAuthentication(iv=bytes(12), tag=tag), raw, example.derived_key)


@pytest.mark.parametrize("name", KEYED)
def test_validate_header_rejects_a_header_body_with_one_bit_flipped(name: str) -> None:
    example = EXAMPLES[name]
    assert example.derived_key is not None
    header, raw, _ = _parse(example)
    auth = MessageHeaderAuthentication(iv=bytes(12), tag=example.header_auth_tag)
    with pytest.raises(SerializationError, match=r"^Header authorization failed$"):
        validate_header(header, auth, _flip(raw, len(raw) - 1), example.derived_key)


@pytest.mark.parametrize("name", KEYED)
def test_serialize_header_auth_reproduces_the_documented_bytes(name: str) -> None:
    example = EXAMPLES[name]
    assert example.derived_key is not None
    header, raw, _ = _parse(example)
    expected = example.message[example.header_body_length : example.header_body_length + example.header_auth_length]
    assert serialize_header_auth(header.version, header.algorithm, raw, example.derived_key) == expected


@pytest.mark.parametrize("name", FRAMED_KEYED)
def test_frames_parse_with_the_documented_ivs_and_contents(name: str) -> None:
    example = EXAMPLES[name]
    header, _, source = _parse(example)
    deserialize_header_auth(header.version, source, header.algorithm)
    for expected in example.frames:
        frame, final = deserialize_frame(source, header)
        assert final is expected.final
        assert frame.final_frame is expected.final
        assert frame.sequence_number == expected.sequence_number
        assert frame.iv == expected.iv
        assert frame.ciphertext == expected.ciphertext
        assert frame.tag == expected.tag
    assert source.read() == b""


@pytest.mark.parametrize("name", FRAMED_KEYED)
def test_frames_decrypt_with_the_documented_aad(name: str) -> None:
    example = EXAMPLES[name]
    assert example.derived_key is not None
    plaintext = b""
    for frame in example.frames:
        label = ContentAADString.FINAL_FRAME_STRING_ID if frame.final else ContentAADString.FRAME_STRING_ID
        aad = assemble_content_aad(example.message_id, label, frame.sequence_number, len(frame.ciphertext))
        plaintext += AESGCM(example.derived_key).decrypt(frame.iv, frame.ciphertext + frame.tag, aad)
    assert plaintext == example.plaintext


@pytest.mark.parametrize("name", FRAMED_KEYED)
def test_serialize_frame_reproduces_the_documented_frames(name: str) -> None:
    example = EXAMPLES[name]
    assert example.derived_key is not None
    header, _, _ = _parse(example)
    body_start = example.header_body_length + example.header_auth_length
    remaining = example.plaintext
    body = b""
    for frame in example.frames:
        data, remaining = serialize_frame(
            header.algorithm,
            remaining,
            example.message_id,
            example.derived_key,
            example.frame_length,
            frame.sequence_number,
            frame.final,
        )
        body += data
    assert remaining == b""
    assert body == example.message[body_start:]


def test_non_framed_body_of_example_c_parses_and_reserializes() -> None:
    example = EXAMPLES["C"]
    assert example.derived_key is not None
    header, _, source = _parse(example)
    deserialize_header_auth(header.version, source, header.algorithm)
    body_start = source.tell()
    iv, length = deserialize_non_framed_values(source, header)
    (expected,) = example.frames
    assert iv == expected.iv
    assert length == len(example.plaintext)
    assert source.read(length) == expected.ciphertext
    assert deserialize_tag(source, header) == expected.tag
    assert source.read() == b""
    aad = assemble_content_aad(example.message_id, ContentAADString.NON_FRAMED_STRING_ID, 1, length)
    sealed = AESGCM(example.derived_key).encrypt(iv, example.plaintext, aad)
    rebuilt = (
        serialize_non_framed_open(header.algorithm, iv, length)
        + sealed[:-16]
        + serialize_non_framed_close(sealed[-16:])
    )
    assert rebuilt == example.message[body_start:]


@pytest.mark.parametrize("name", ["E", "F"])
def test_signed_examples_end_with_a_footer_of_the_suite_signature_length(name: str) -> None:
    example = EXAMPLES[name]
    header, _, source = _parse(example)
    deserialize_header_auth(header.version, source, header.algorithm)
    frame, final = deserialize_frame(source, header)
    assert final is True
    assert frame.iv == bytes(11) + b"\x01"
    assert len(frame.ciphertext) == len(example.plaintext)
    footer = deserialize_footer(source)
    assert len(footer.signature) == header.algorithm.signature_len
    assert footer_length(header) == 2 + header.algorithm.signature_len
    assert source.read() == b""


@pytest.mark.parametrize("name", ALL)
def test_length_helpers_match_the_example_sizes(name: str) -> None:
    example = EXAMPLES[name]
    header, _, _ = _parse(example)
    assert header_length(header) == example.header_body_length + example.header_auth_length
    assert ciphertext_length(header, len(example.plaintext)) == len(example.message)
