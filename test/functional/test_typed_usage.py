"""The public API called the way the README calls it, with types spelled out.

mypy checks this module with the rest of the tests, so a broken public signature fails the type
check before it fails a user; pytest runs it too.
"""

from __future__ import annotations

import io
import os

import aws_encryption_sdk
from aws_encryption_sdk import (
    CachingCryptoMaterialsManager,
    DecryptionResult,
    EncryptionSDKClient,
    LocalCryptoMaterialsCache,
    StreamDecryptor,
    StreamEncryptor,
    UnauthenticatedHeader,
    read_unauthenticated_header,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey
from aws_encryption_sdk.structures import MessageHeader


def _master_key() -> RawMasterKey:
    return RawMasterKey(
        provider_id="typed",
        key_id=b"key",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=os.urandom(32),
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )


def test_readme_shaped_calls_type_check_and_run() -> None:
    client: EncryptionSDKClient = aws_encryption_sdk.EncryptionSDKClient(
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
    )
    key = _master_key()
    ciphertext: bytes
    header: MessageHeader
    ciphertext, header = client.encrypt(source=b"typed", key_provider=key, encryption_context={"a": "b"})
    plaintext, decrypted_header = client.decrypt(source=ciphertext, key_provider=key)
    assert plaintext == b"typed" and decrypted_header == header

    encryptor = client.stream(mode="e", source=io.BytesIO(b"streamed"), key_provider=key)
    assert isinstance(encryptor, StreamEncryptor)
    with encryptor:
        sealed: bytes = b"".join(encryptor)
    decryptor = client.stream(mode="d", source=io.BytesIO(sealed), key_provider=key)
    assert isinstance(decryptor, StreamDecryptor)
    with decryptor:
        chunks: list[bytes] = list(decryptor)
    assert b"".join(chunks) == b"streamed"

    cmm = CachingCryptoMaterialsManager(master_key_provider=key, cache=LocalCryptoMaterialsCache(10), max_age=60.0)
    cached, _ = client.encrypt(
        source=b"cached", materials_manager=cmm, algorithm=AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
    )
    details: DecryptionResult = client.decrypt_with_details(source=cached, materials_manager=cmm)
    info: UnauthenticatedHeader = read_unauthenticated_header(cached)
    assert details.plaintext == b"cached" and info.algorithm is AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
