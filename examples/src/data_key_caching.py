"""Re-use data keys across messages with the caching crypto materials manager.

Each message normally gets a fresh data key, which for AWS KMS means one ``GenerateDataKey`` call
per message. A caching materials manager keeps the materials of recent messages in a local cache
and hands them out again, within the limits you set: an entry serves materials for at most
``max_age`` seconds and ``max_messages_encrypted`` messages. Decryption materials are cached too,
so decrypting many messages that share a data key needs one ``Decrypt`` call.

Two variants follow: one with an AWS KMS key (the common case) and one with a raw AES key that
runs anywhere.
"""

from __future__ import annotations

import os

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.caches.local import LocalCryptoMaterialsCache
from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.base import MasterKeyProvider
from aws_encryption_sdk.key_providers.raw import RawMasterKey
from aws_encryption_sdk.materials_managers.caching import CachingCryptoMaterialsManager

#: Most messages a cached data key may encrypt before a new one is generated.
MAX_ENTRY_MESSAGES = 100
ENCRYPTION_CONTEXT = {"purpose": "data-key-caching-example"}


def build_caching_cmm(
    master_key_provider: MasterKeyProvider, max_age_in_cache: float, cache_capacity: int
) -> CachingCryptoMaterialsManager:
    """Wrap a master key provider in a caching materials manager backed by a local cache.

    :param master_key_provider: where data keys come from
    :param max_age_in_cache: seconds a cached data key may be used (a float)
    :param cache_capacity: most entries the local cache holds
    :returns: the caching materials manager
    """
    cache = LocalCryptoMaterialsCache(cache_capacity)
    return CachingCryptoMaterialsManager(
        master_key_provider=master_key_provider,
        cache=cache,
        max_age=max_age_in_cache,
        max_messages_encrypted=MAX_ENTRY_MESSAGES,
    )


def encrypt_with_caching(kms_key_arn: str, max_age_in_cache: float, cache_capacity: int) -> bytes:
    """Encrypt a message under an AWS KMS key through a caching materials manager.

    :param kms_key_arn: ARN of the AWS KMS key
    :param max_age_in_cache: seconds a cached data key may be used (a float)
    :param cache_capacity: most entries the local cache holds
    :returns: the encrypted message
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    caching_cmm = build_caching_cmm(key_provider, max_age_in_cache, cache_capacity)

    ciphertext, _header = client.encrypt(
        source=b"My plaintext data", encryption_context=ENCRYPTION_CONTEXT, materials_manager=caching_cmm
    )
    return ciphertext


def encrypt_many_with_raw_aes_key(
    plaintexts: list[bytes], max_age_in_cache: float = 300.0, cache_capacity: int = 10
) -> list[bytes]:
    """Encrypt several messages under one raw AES key, re-using the data key, and check each round trip.

    :param plaintexts: the messages to encrypt
    :param max_age_in_cache: seconds a cached data key may be used (a float)
    :param cache_capacity: most entries the local cache holds
    :returns: the encrypted messages
    """
    master_key = RawMasterKey(
        provider_id="example",
        key_id=b"caching-example-key",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=os.urandom(32),
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    caching_cmm = build_caching_cmm(master_key, max_age_in_cache, cache_capacity)

    ciphertexts = []
    for plaintext in plaintexts:
        ciphertext, _header = client.encrypt(
            source=plaintext, encryption_context=ENCRYPTION_CONTEXT, materials_manager=caching_cmm
        )
        ciphertexts.append(ciphertext)

    for plaintext, ciphertext in zip(plaintexts, ciphertexts, strict=True):
        decrypted, header = client.decrypt(source=ciphertext, materials_manager=caching_cmm)
        assert decrypted == plaintext
        assert header.encryption_context["purpose"] == ENCRYPTION_CONTEXT["purpose"]
    return ciphertexts


if __name__ == "__main__":
    messages = encrypt_many_with_raw_aes_key([b"first message", b"second message", b"third message"])
    print(f"encrypted and decrypted {len(messages)} messages with one data key")
