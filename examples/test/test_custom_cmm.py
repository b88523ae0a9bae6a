"""Runs the custom crypto materials manager example (signed suites only) with a raw AES key."""

from __future__ import annotations

import os

import pytest

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import ActionNotAllowedError
from aws_encryption_sdk.identifiers import Algorithm, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey
from examples.src import custom_cmm


@pytest.fixture
def master_key() -> RawMasterKey:
    return RawMasterKey(
        provider_id="test",
        key_id=b"cmm-key",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=os.urandom(32),
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )


def test_default_suite_passes_and_the_message_is_signed(master_key: RawMasterKey) -> None:
    ciphertext = custom_cmm.run(master_key, b"signed")

    header = aws_encryption_sdk.read_unauthenticated_header(ciphertext)
    assert header.algorithm is Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
    assert "aws-crypto-public-key" in header.encryption_context


def test_encrypting_with_an_unsigned_suite_is_refused(master_key: RawMasterKey) -> None:
    cmm = custom_cmm.SignedSuitesOnlyCryptoMaterialsManager(master_key)

    with pytest.raises(ActionNotAllowedError, match="AES_256_GCM_HKDF_SHA512_COMMIT_KEY"):
        aws_encryption_sdk.EncryptionSDKClient().encrypt(
            source=b"x", materials_manager=cmm, algorithm=Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
        )


def test_decrypting_an_unsigned_message_is_refused(master_key: RawMasterKey) -> None:
    client = aws_encryption_sdk.EncryptionSDKClient()
    unsigned, _ = client.encrypt(
        source=b"x", key_provider=master_key, algorithm=Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
    )
    assert client.decrypt(source=unsigned, key_provider=master_key)[0] == b"x"

    with pytest.raises(ActionNotAllowedError, match="decrypt"):
        client.decrypt(source=unsigned, materials_manager=custom_cmm.SignedSuitesOnlyCryptoMaterialsManager(master_key))


def test_signed_messages_written_without_the_manager_decrypt_through_it(master_key: RawMasterKey) -> None:
    client = aws_encryption_sdk.EncryptionSDKClient()
    signed, _ = client.encrypt(source=b"plain path", key_provider=master_key)

    cmm = custom_cmm.SignedSuitesOnlyCryptoMaterialsManager(master_key)
    assert client.decrypt(source=signed, materials_manager=cmm)[0] == b"plain path"
