"""Put an AWS KMS key and a raw AES escrow key in one message.

Master key providers nest: add the raw key to the KMS provider and every message carries two
encrypted data keys, one per key. Either key alone then decrypts the message, so the escrow key
(kept offline, for example) can recover data if the KMS key becomes unavailable. The first key
of the outer provider (the KMS key) generates the data key.
"""

from __future__ import annotations

import attrs

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.base import MasterKeyProvider
from aws_encryption_sdk.key_providers.raw import RawMasterKey

ESCROW_PROVIDER_ID = "example-escrow"
ESCROW_KEY_ID = b"escrow-key-1"


@attrs.frozen
class DecryptedBy:
    """Who decrypted what.

    :param provider_id: provider id of the master key that decrypted the data key
    :param plaintext: the decrypted message
    """

    provider_id: str
    plaintext: bytes


def escrow_master_key(aes_key: bytes) -> RawMasterKey:
    """Build the raw AES-256 escrow master key.

    :param aes_key: 32 bytes of AES key material
    :returns: the master key
    """
    return RawMasterKey(
        provider_id=ESCROW_PROVIDER_ID,
        key_id=ESCROW_KEY_ID,
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=aes_key,
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )


def encrypt_for_both(kms_key_arn: str, escrow_aes_key: bytes, plaintext: bytes) -> bytes:
    """Encrypt under the KMS key and the escrow key together.

    :param kms_key_arn: ARN of the AWS KMS key
    :param escrow_aes_key: 32 bytes of escrow key material
    :param plaintext: the data to protect
    :returns: the encrypted message
    """
    kms_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    kms_provider.add_master_key_provider(escrow_master_key(escrow_aes_key))
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    ciphertext, _header = client.encrypt(source=plaintext, key_provider=kms_provider)
    return ciphertext


def decrypt_with(key_provider: MasterKeyProvider, ciphertext: bytes) -> DecryptedBy:
    """Decrypt with one provider and report which master key did it.

    :param key_provider: the provider to decrypt with
    :param ciphertext: the encrypted message
    :returns: the decrypting provider id and the plaintext
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    result = client.decrypt_with_details(source=ciphertext, key_provider=key_provider)
    return DecryptedBy(provider_id=result.decrypted_by.provider_id, plaintext=result.plaintext)


def run(kms_key_arn: str, escrow_aes_key: bytes, plaintext: bytes = b"recoverable") -> tuple[DecryptedBy, DecryptedBy]:
    """Encrypt for both keys, then decrypt with each key on its own.

    :param kms_key_arn: ARN of the AWS KMS key
    :param escrow_aes_key: 32 bytes of escrow key material
    :param plaintext: the data to protect
    :returns: what the KMS key and what the escrow key decrypted
    """
    ciphertext = encrypt_for_both(kms_key_arn, escrow_aes_key, plaintext)
    by_kms = decrypt_with(aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn]), ciphertext)
    by_escrow = decrypt_with(escrow_master_key(escrow_aes_key), ciphertext)
    assert by_kms.plaintext == by_escrow.plaintext == plaintext
    return by_kms, by_escrow


if __name__ == "__main__":
    import os
    import sys

    print(run(sys.argv[1], os.urandom(32)))
