"""The unauthenticated header reader and the decrypted-by report."""

from __future__ import annotations

import io

import attrs
import pytest

import aws_encryption_sdk
from aws_encryption_sdk import EncryptionSDKClient, read_unauthenticated_header
from aws_encryption_sdk.exceptions import CustomMaximumValueExceeded, MaxEncryptedDataKeysExceeded, SerializationError
from aws_encryption_sdk.identifiers import AlgorithmSuite, ContentType
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header
from aws_encryption_sdk.structures import MasterKeyInfo

from .raw_keys import aes_master_key, key_set, rsa_master_key


def _message(frame_length: int = 512) -> tuple[bytes, aws_encryption_sdk.structures.MessageHeader]:
    keys = key_set(aes_master_key(), rsa_master_key())
    return EncryptionSDKClient().encrypt(
        source=b"data" * 100, key_provider=keys, encryption_context={"tenant": "t1"}, frame_length=frame_length
    )


def test_header_reader_reports_what_the_header_says_without_keys() -> None:
    ciphertext, header = _message()
    info = read_unauthenticated_header(ciphertext)
    assert info.version == 2
    assert info.algorithm is AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
    assert info.message_id == header.message_id
    assert info.encryption_context["tenant"] == "t1"
    assert "aws-crypto-public-key" in info.encryption_context
    assert info.encrypted_data_keys == (
        MasterKeyInfo("raw-aes", info.encrypted_data_keys[0].key_info),
        MasterKeyInfo("raw-rsa", b"rsa-key"),
    )
    assert info.encrypted_data_keys[0].key_info.startswith(b"aes-key")
    assert (info.content_type, info.frame_length) == (ContentType.FRAMED_DATA, 512)


def test_header_reader_is_read_only() -> None:
    info = read_unauthenticated_header(_message()[0])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        info.frame_length = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        info.encryption_context["tenant"] = "t2"  # type: ignore[index]


def test_header_reader_reads_only_the_header_from_a_stream() -> None:
    ciphertext, _ = _message()
    _, raw_header = deserialize_header(io.BytesIO(ciphertext))
    source = io.BytesIO(ciphertext)
    read_unauthenticated_header(source)
    assert source.tell() == len(raw_header)


def test_header_reader_applies_the_limits_and_rejects_garbage() -> None:
    ciphertext, _ = _message()
    with pytest.raises(MaxEncryptedDataKeysExceeded):
        read_unauthenticated_header(ciphertext, max_encrypted_data_keys=1)
    with pytest.raises(CustomMaximumValueExceeded):
        read_unauthenticated_header(ciphertext, max_header_size=64)
    with pytest.raises(SerializationError):
        read_unauthenticated_header(ciphertext[:30])


def test_decrypted_by_names_the_master_key_that_opened_the_message() -> None:
    ciphertext, _ = _message()
    only_rsa = rsa_master_key()
    result = EncryptionSDKClient().decrypt_with_details(source=ciphertext, key_provider=only_rsa)
    assert result.plaintext == b"data" * 100
    assert result.decrypted_by == MasterKeyInfo("raw-rsa", b"rsa-key")
    with EncryptionSDKClient().stream(mode="d", source=ciphertext, key_provider=aes_master_key()) as decryptor:
        assert decryptor.decrypted_by.provider_id == "raw-aes"
        assert decryptor.read() == b"data" * 100
