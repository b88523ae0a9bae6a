"""Tests for aws_encryption_sdk.internal.formatting.serialize."""

from __future__ import annotations

import io
import struct
from types import SimpleNamespace
from typing import Any

import attrs
import pytest
from _formatting_examples import EXAMPLES
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    ContentAADString,
    ContentType,
    ObjectType,
    SerializationVersion,
    WrappingAlgorithm,
)
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_frame, deserialize_header
from aws_encryption_sdk.internal.formatting.encryption_context import assemble_content_aad
from aws_encryption_sdk.internal.formatting.serialize import (
    serialize_encrypted_data_key,
    serialize_footer,
    serialize_frame,
    serialize_header,
    serialize_header_auth,
    serialize_non_framed_close,
    serialize_non_framed_open,
    serialize_raw_master_key_prefix,
    serialize_wrapped_key,
)
from aws_encryption_sdk.internal.structures import EncryptedData
from aws_encryption_sdk.internal.utils._edk_set import OrderedSet
from aws_encryption_sdk.structures import EncryptedDataKey, MasterKeyInfo, MessageHeader

SUITE_V1 = AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256
SUITE_V2 = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
KEY = bytes(range(32))


class RecordingSigner:
    """A signer that records what it is given and signs with a fixed value."""

    def __init__(self, signature: bytes = b"signature") -> None:
        self.seen = bytearray()
        self.signature = signature

    def update(self, data: bytes, /) -> None:
        self.seen += data

    def finalize(self) -> bytes:
        return self.signature


def edk(provider_id: str, key_info: bytes = b"info", ciphertext: bytes = b"ct") -> EncryptedDataKey:
    return EncryptedDataKey(
        key_provider=MasterKeyInfo(provider_id=provider_id, key_info=key_info), encrypted_data_key=ciphertext
    )


def header_v1(**changes: Any) -> MessageHeader:
    header = MessageHeader(
        version=SerializationVersion.V1,
        algorithm=SUITE_V1,
        message_id=bytes(16),
        encryption_context={"a": "b"},
        encrypted_data_keys=OrderedSet([edk("p")]),
        content_type=ContentType.FRAMED_DATA,
        frame_length=256,
        type=ObjectType.CUSTOMER_AE_DATA,
        content_aad_length=0,
        header_iv_length=12,
    )
    return attrs.evolve(header, **changes)


def header_v2(**changes: Any) -> MessageHeader:
    header = MessageHeader(
        version=SerializationVersion.V2,
        algorithm=SUITE_V2,
        message_id=bytes(32),
        encryption_context={},
        encrypted_data_keys=OrderedSet([edk("p")]),
        content_type=ContentType.FRAMED_DATA,
        frame_length=256,
        commitment_key=b"c" * 32,
    )
    return attrs.evolve(header, **changes)


# Encrypted data keys -----------------------------------------------------------------------------


def test_encrypted_data_key_layout() -> None:
    assert serialize_encrypted_data_key(edk("aws-kms", b"arn", b"\x01\x02")) == (
        b"\x00\x07aws-kms" + b"\x00\x03arn" + b"\x00\x02\x01\x02"
    )


def test_encrypted_data_key_provider_id_length_is_its_utf8_byte_length() -> None:
    serialized = serialize_encrypted_data_key(edk("\u00e9\U0001f600", b"", b""))
    assert serialized == b"\x00\x06" + "\u00e9\U0001f600".encode() + b"\x00\x00\x00\x00"


def test_encrypted_data_key_provider_id_that_is_not_valid_text_is_a_serialization_error() -> None:
    with pytest.raises(SerializationError, match=r"Cannot encode the provider ID 'a\\ud800' using utf-8"):
        serialize_encrypted_data_key(edk("a\ud800"))


@pytest.mark.parametrize(
    "key", [edk("p" * 65536), edk("p", key_info=b"i" * 65536), edk("p", ciphertext=b"c" * 65536)], ids=str
)
def test_encrypted_data_key_field_longer_than_65535_bytes_is_rejected(key: EncryptedDataKey) -> None:
    with pytest.raises(SerializationError, match="65536 bytes long, above the limit of 65535"):
        serialize_encrypted_data_key(key)


def test_encrypted_data_key_fields_of_65535_bytes_are_accepted() -> None:
    serialized = serialize_encrypted_data_key(edk("p", key_info=b"i" * 65535))
    assert serialized[3:5] == b"\xff\xff"


# Header ------------------------------------------------------------------------------------------


def test_header_writes_encrypted_data_keys_in_set_order() -> None:
    keys = [edk("zeta"), edk("alpha"), edk("mid")]
    data = serialize_header(header_v1(encrypted_data_keys=OrderedSet(keys)))
    positions = [data.index(key.key_provider.provider_id.encode()) for key in keys]
    assert positions == sorted(positions)
    parsed, _ = deserialize_header(io.BytesIO(data))
    assert list(parsed.encrypted_data_keys) == keys


def test_header_v1_layout() -> None:
    data = serialize_header(header_v1(encryption_context={}, frame_length=0x01020304))
    assert data[:4] == b"\x01\x80\x01\x78"
    assert data[4:20] == bytes(16)
    assert data[20:22] == b"\x00\x00"
    assert data[-10:] == b"\x02" + b"\x00\x00\x00\x00" + b"\x0c" + b"\x01\x02\x03\x04"


def test_header_v2_layout() -> None:
    data = serialize_header(header_v2(frame_length=0x01020304))
    assert data[:3] == b"\x02\x04\x78"
    assert data[3:35] == bytes(32)
    assert data[35:37] == b"\x00\x00"
    assert data[-37:] == b"\x02" + b"\x01\x02\x03\x04" + b"c" * 32


def test_header_v1_defaults_missing_v1_fields() -> None:
    full = serialize_header(header_v1())
    assert serialize_header(header_v1(type=None, content_aad_length=None, header_iv_length=None)) == full


def test_header_is_fed_to_the_signer() -> None:
    signer = RecordingSigner()
    data = serialize_header(header_v2(), signer)
    assert bytes(signer.seen) == data


@pytest.mark.parametrize(
    ("header", "pattern"),
    [
        (header_v1(message_id=bytes(32)), "version 1 message ID must be 16 bytes, not 32"),
        (header_v2(message_id=bytes(16)), "version 2 message ID must be 32 bytes, not 16"),
        (header_v2(commitment_key=None), "needs 32 bytes of suite data"),
        (header_v2(commitment_key=b"c" * 31), "needs 32 bytes of suite data"),
        (header_v1(frame_length=2**32), "Frame length does not fit"),
        (header_v1(frame_length=-1), "Frame length does not fit"),
        (header_v1(encrypted_data_keys=OrderedSet()), "at least one encrypted data key"),
        (header_v1(encryption_context={"k": "v" * 65530}), "The serialized context is too large"),
    ],
    ids=["v1-id", "v2-id", "no-commitment", "short-commitment", "frame-2**32", "frame-neg", "no-edk", "big-ec"],
)
def test_header_that_cannot_be_written_is_rejected(header: MessageHeader, pattern: str) -> None:
    with pytest.raises(SerializationError, match=pattern):
        serialize_header(header)


def test_header_with_too_many_encrypted_data_keys_is_rejected() -> None:
    keys = OrderedSet(edk(str(index)) for index in range(65536))
    with pytest.raises(SerializationError, match="Too many encrypted data keys: 65536 > 65535"):
        serialize_header(header_v1(encrypted_data_keys=keys))


def test_header_with_65535_encrypted_data_keys_is_written_and_read_back() -> None:
    keys = OrderedSet(edk(str(index)) for index in range(65535))
    parsed, _ = deserialize_header(io.BytesIO(serialize_header(header_v1(encrypted_data_keys=keys))))
    assert list(parsed.encrypted_data_keys) == list(keys)


# Header authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", [SerializationVersion.V1, SerializationVersion.V2])
def test_header_auth_tag_is_gcm_over_the_header_with_zero_iv(version: SerializationVersion) -> None:
    signer = RecordingSigner()
    header = b"header bytes"
    data = serialize_header_auth(version, SUITE_V2, header, KEY, signer)
    tag = AESGCM(KEY).encrypt(bytes(12), b"", header)
    assert data == (bytes(12) + tag if version is SerializationVersion.V1 else tag)
    assert bytes(signer.seen) == data


def test_header_auth_covers_required_encryption_context_bytes() -> None:
    data = serialize_header_auth(SerializationVersion.V2, SUITE_V2, b"header", KEY, required_ec_bytes=b"ec")
    assert data == AESGCM(KEY).encrypt(bytes(12), b"", b"headerec")
    assert serialize_header_auth(SerializationVersion.V2, SUITE_V2, b"header", KEY, required_ec_bytes=b"") == (
        AESGCM(KEY).encrypt(bytes(12), b"", b"header")
    )


def test_header_auth_with_unusable_key_is_a_serialization_error() -> None:
    with pytest.raises(SerializationError, match="Cannot encrypt with a 7-byte key"):
        serialize_header_auth(SerializationVersion.V2, SUITE_V2, b"header", bytes(7))


# Non-framed body ---------------------------------------------------------------------------------


def test_non_framed_open_is_iv_then_eight_byte_length() -> None:
    signer = RecordingSigner()
    iv = bytes(11) + b"\x01"
    data = serialize_non_framed_open(SUITE_V1, iv, 0x0102030405, signer)
    assert data == iv + bytes.fromhex("0000000102030405")
    assert bytes(signer.seen) == data


@pytest.mark.parametrize(("iv", "length"), [(bytes(11), 1), (bytes(13), 1), (bytes(12), -1), (bytes(12), 2**64)])
def test_non_framed_open_rejects_wrong_iv_or_length(iv: bytes, length: int) -> None:
    with pytest.raises(SerializationError):
        serialize_non_framed_open(SUITE_V1, iv, length)


def test_non_framed_close_is_the_tag() -> None:
    signer = RecordingSigner()
    assert serialize_non_framed_close(b"t" * 16, signer) == b"t" * 16
    assert bytes(signer.seen) == b"t" * 16


# Frames ------------------------------------------------------------------------------------------


def test_regular_frame_layout_and_remaining_plaintext() -> None:
    message_id = bytes(range(16))
    data, remaining = serialize_frame(SUITE_V1, b"0123456789", message_id, KEY, 4, 7, False)
    assert remaining == b"456789"
    iv = bytes(8) + struct.pack(">I", 7)
    aad = assemble_content_aad(message_id, ContentAADString.FRAME_STRING_ID, 7, 4)
    sealed = AESGCM(KEY).encrypt(iv, b"0123", aad)
    assert data == struct.pack(">I", 7) + iv + sealed


def test_final_frame_layout() -> None:
    message_id = bytes(range(32))
    data, remaining = serialize_frame(SUITE_V2, b"xy", message_id, KEY, 4, 3, True)
    assert remaining == b""
    iv = bytes(8) + struct.pack(">I", 3)
    aad = assemble_content_aad(message_id, ContentAADString.FINAL_FRAME_STRING_ID, 3, 2)
    sealed = AESGCM(KEY).encrypt(iv, b"xy", aad)
    assert data == b"\xff\xff\xff\xff" + struct.pack(">I", 3) + iv + struct.pack(">I", 2) + sealed


def test_empty_final_frame() -> None:
    data, remaining = serialize_frame(SUITE_V1, b"", bytes(16), KEY, 4096, 1, True)
    assert remaining == b""
    assert len(data) == 4 + 4 + 12 + 4 + 16
    frame, final = deserialize_frame(io.BytesIO(data), header_v1(frame_length=4096))
    assert final is True
    assert frame.ciphertext == b""


def test_frame_is_fed_to_the_signer() -> None:
    signer = RecordingSigner()
    data, _ = serialize_frame(SUITE_V1, b"abcd", bytes(16), KEY, 4, 1, False, signer)
    assert bytes(signer.seen) == data


def test_regular_frame_cannot_carry_the_final_frame_marker_as_its_sequence_number() -> None:
    suite = AlgorithmSuite.AES_128_GCM_IV12_TAG16
    with pytest.raises(SerializationError, match=r"^Max frame count exceeded$"):
        serialize_frame(suite, b"x", bytes(16), bytes(16), 1, 0xFFFFFFFF, False)
    frame, _ = serialize_frame(suite, b"x", bytes(16), bytes(16), 1, 0xFFFFFFFF, True)
    assert frame.startswith(b"\xff\xff\xff\xff\xff\xff\xff\xff")


def test_frame_sequence_number_above_2_32_minus_1_is_max_frame_count_exceeded() -> None:
    with pytest.raises(SerializationError, match=r"^Max frame count exceeded$"):
        serialize_frame(SUITE_V1, b"abcd", bytes(16), KEY, 4, 2**32, True)


def test_frame_sequence_number_of_2_32_minus_1_is_accepted() -> None:
    data, _ = serialize_frame(SUITE_V1, b"ab", bytes(16), KEY, 4, 2**32 - 1, True)
    assert data[4:8] == b"\xff\xff\xff\xff"


def test_frame_sequence_number_below_1_is_rejected() -> None:
    with pytest.raises(SerializationError, match="greater than 0"):
        serialize_frame(SUITE_V1, b"abcd", bytes(16), KEY, 4, 0, False)


def test_regular_frame_short_of_frame_length_is_rejected() -> None:
    with pytest.raises(SerializationError, match="exactly 4 bytes of plaintext, not 3"):
        serialize_frame(SUITE_V1, b"abc", bytes(16), KEY, 4, 1, False)


def test_serialized_frames_round_trip_through_deserialize_frame() -> None:
    header = header_v1(frame_length=4)
    plaintext = b"abcdefghij"
    body = b""
    sequence_number = 1
    while len(plaintext) >= 4:
        data, plaintext = serialize_frame(SUITE_V1, plaintext, header.message_id, KEY, 4, sequence_number, False)
        body += data
        sequence_number += 1
    data, plaintext = serialize_frame(SUITE_V1, plaintext, header.message_id, KEY, 4, sequence_number, True)
    body += data
    source = io.BytesIO(body)
    frames = [deserialize_frame(source, header) for _ in range(3)]
    assert [(frame.sequence_number, final) for frame, final in frames] == [(1, False), (2, False), (3, True)]
    assert source.read() == b""


# Footer ------------------------------------------------------------------------------------------


def test_footer_without_signer_is_empty() -> None:
    assert serialize_footer(None) == b""


def test_footer_is_length_then_signature() -> None:
    assert serialize_footer(RecordingSigner(b"s" * 71)) == b"\x00\x47" + b"s" * 71


def test_footer_with_oversized_signature_is_rejected() -> None:
    with pytest.raises(SerializationError):
        serialize_footer(RecordingSigner(b"s" * 65536))


# Raw master key helpers ----------------------------------------------------------------------------


def _raw_master_key(key_id: str | bytes, wrapping_algorithm: WrappingAlgorithm) -> SimpleNamespace:
    wrapping_key = SimpleNamespace(wrapping_algorithm=wrapping_algorithm)
    return SimpleNamespace(config=SimpleNamespace(key_id=key_id, wrapping_key=wrapping_key))


def test_raw_master_key_prefix_for_aes_is_key_id_tag_bits_and_iv_length() -> None:
    key = _raw_master_key("key1", WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING)
    prefix = serialize_raw_master_key_prefix(key)  # type: ignore[arg-type]
    assert prefix == b"key1" + bytes.fromhex("000000800000000c")
    assert EXAMPLES["A"].edk_key_info.startswith(prefix)


def test_raw_master_key_prefix_for_rsa_is_the_key_id() -> None:
    key = _raw_master_key(b"rsa-key", WrappingAlgorithm.RSA_OAEP_SHA256_MGF1)
    assert serialize_raw_master_key_prefix(key) == b"rsa-key"  # type: ignore[arg-type]


def test_wrapped_key_for_aes_reproduces_example_a_encrypted_data_key() -> None:
    example = EXAMPLES["A"]
    wrapped = EncryptedData(iv=b"\x77" * 12, ciphertext=example.edk_ciphertext[:32], tag=example.edk_ciphertext[32:])
    result = serialize_wrapped_key(
        MasterKeyInfo("static-aes", b"key1"),
        WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
        b"key1",
        wrapped,
    )
    assert result == EncryptedDataKey(MasterKeyInfo("static-aes", example.edk_key_info), example.edk_ciphertext)


def test_wrapped_key_for_rsa_keeps_key_id_and_ciphertext() -> None:
    result = serialize_wrapped_key(
        MasterKeyInfo("rsa-provider", b"rsa-key"),
        WrappingAlgorithm.RSA_PKCS1,
        b"rsa-key",
        EncryptedData(iv=None, ciphertext=b"c" * 256, tag=None),
    )
    assert result == EncryptedDataKey(MasterKeyInfo("rsa-provider", b"rsa-key"), b"c" * 256)


def test_wrapped_key_for_aes_without_iv_is_rejected() -> None:
    with pytest.raises(SerializationError, match="needs both an IV and a tag"):
        serialize_wrapped_key(
            MasterKeyInfo("p", b"k"),
            WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING,
            b"k",
            EncryptedData(iv=None, ciphertext=b"c", tag=b"t" * 16),
        )
