"""Tests for the length helpers of aws_encryption_sdk.internal.formatting."""

from __future__ import annotations

import pytest

from aws_encryption_sdk import internal
from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    ContentType,
    ObjectType,
    SerializationVersion,
)
from aws_encryption_sdk.internal import formatting
from aws_encryption_sdk.internal.formatting import (
    body_length,
    ciphertext_length,
    footer_length,
    header_length,
)
from aws_encryption_sdk.internal.formatting.serialize import (
    serialize_footer,
    serialize_frame,
    serialize_header,
    serialize_header_auth,
    serialize_non_framed_close,
    serialize_non_framed_open,
)
from aws_encryption_sdk.internal.utils._edk_set import OrderedSet
from aws_encryption_sdk.structures import EncryptedDataKey, MasterKeyInfo, MessageHeader

KEY_32 = bytes(range(32))


class FixedSigner:
    """Signs with a signature of the suite's fixed length."""

    def __init__(self, length: int) -> None:
        self.length = length

    def update(self, data: bytes, /) -> None:
        pass

    def finalize(self) -> bytes:
        return b"s" * self.length


def make_header(suite: AlgorithmSuite, frame_length: int) -> MessageHeader:
    keys = OrderedSet(
        [
            EncryptedDataKey(MasterKeyInfo("provider", b"key-info"), b"ciphertext"),
            EncryptedDataKey(MasterKeyInfo("p2", b""), b"x"),
        ]
    )
    content_type = ContentType.FRAMED_DATA if frame_length else ContentType.NO_FRAMING
    if suite.message_format_version == 1:
        return MessageHeader(
            version=SerializationVersion.V1,
            algorithm=suite,
            message_id=bytes(16),
            encryption_context={"purpose": "length test"},
            encrypted_data_keys=keys,
            content_type=content_type,
            frame_length=frame_length,
            type=ObjectType.CUSTOMER_AE_DATA,
            content_aad_length=0,
            header_iv_length=12,
        )
    return MessageHeader(
        version=SerializationVersion.V2,
        algorithm=suite,
        message_id=bytes(32),
        encryption_context={"purpose": "length test"},
        encrypted_data_keys=keys,
        content_type=content_type,
        frame_length=frame_length,
        commitment_key=bytes(32),
    )


def build_message(header: MessageHeader, plaintext: bytes) -> bytes:
    """Serialize a whole message part by part, the way the encryptor does."""
    suite = header.algorithm
    key = KEY_32[: suite.data_key_len]
    signer = FixedSigner(suite.signature_len) if suite.is_signing() else None
    raw = serialize_header(header)
    message = raw + serialize_header_auth(header.version, suite, raw, key)
    if header.content_type is ContentType.NO_FRAMING:
        message += serialize_non_framed_open(suite, bytes(11) + b"\x01", len(plaintext))
        message += plaintext + serialize_non_framed_close(b"t" * 16)
    else:
        sequence_number = 1
        while len(plaintext) >= header.frame_length:
            frame, plaintext = serialize_frame(
                suite, plaintext, header.message_id, key, header.frame_length, sequence_number, False
            )
            message += frame
            sequence_number += 1
        frame, plaintext = serialize_frame(
            suite, plaintext, header.message_id, key, header.frame_length, sequence_number, True
        )
        message += frame
    return message + serialize_footer(signer)


SHAPES = [
    (AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, 128, 0),
    (AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, 128, 127),
    (AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, 128, 128),
    (AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, 128, 129),
    (AlgorithmSuite.AES_128_GCM_IV12_TAG16, 100, 1000),
    (AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256, 64, 200),
    (AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, 1, 5),
    (AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 4096, 0),
    (AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 7, 50),
    (AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, 4096, 10000),
    (AlgorithmSuite.AES_192_GCM_IV12_TAG16, 0, 0),
    (AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, 0, 300),
    (AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 0, 17),
]


@pytest.mark.parametrize(("suite", "frame_length", "plaintext_length"), SHAPES)
def test_ciphertext_length_equals_the_serialized_message_length(
    suite: AlgorithmSuite, frame_length: int, plaintext_length: int
) -> None:
    header = make_header(suite, frame_length)
    message = build_message(header, b"p" * plaintext_length)
    assert ciphertext_length(header, plaintext_length) == len(message)


@pytest.mark.parametrize("suite", list(AlgorithmSuite))
def test_header_length_is_body_plus_authentication(suite: AlgorithmSuite) -> None:
    header = make_header(suite, 4096)
    auth = 28 if suite.message_format_version == 1 else 16
    assert header_length(header) == len(serialize_header(header)) + auth


def test_body_length_formulas() -> None:
    framed = make_header(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 100)
    assert body_length(framed, 0) == 4 + 4 + 12 + 4 + 0 + 16
    assert body_length(framed, 250) == 2 * (4 + 12 + 100 + 16) + (4 + 4 + 12 + 4 + 50 + 16)
    non_framed = make_header(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 0)
    assert body_length(non_framed, 250) == 12 + 8 + 250 + 16


@pytest.mark.parametrize(
    ("suite", "expected"),
    [
        (AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, 0),
        (AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 0),
        (AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256, 2 + 71),
        (AlgorithmSuite.AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, 2 + 103),
        (AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, 2 + 103),
        (AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, 2 + 103),
    ],
)
def test_footer_length_by_suite(suite: AlgorithmSuite, expected: int) -> None:
    assert footer_length(make_header(suite, 4096)) == expected


def test_body_length_of_framed_header_with_zero_frame_length_is_a_serialization_error() -> None:
    header = make_header(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, 4096)
    header.frame_length = 0
    with pytest.raises(SerializationError, match="positive frame length"):
        body_length(header, 10)


def test_package_exposes_submodules_and_serialize_header() -> None:
    assert formatting.serialize_header is serialize_header
    assert formatting.serialize.serialize_header is serialize_header
    assert formatting.deserialize.deserialize_header.__name__ == "deserialize_header"
    assert formatting.encryption_context.serialize_encryption_context({}) == b""
    assert internal.formatting is formatting
