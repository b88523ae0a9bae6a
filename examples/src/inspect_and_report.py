"""Peek at a message's header without keys, then learn which master key decrypted it.

The header reader needs no key and authenticates nothing: use what it returns to route a message
(for example, to pick the key provider), never to trust it.
"""

from __future__ import annotations

import os

import aws_encryption_sdk
from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey


def run(plaintext: bytes = b"quarterly numbers") -> str:
    """Encrypt, inspect the header, decrypt with details; return the id of the key that decrypted."""
    master_key = RawMasterKey(
        provider_id="example",
        key_id=b"reports-key",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=os.urandom(32),
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )
    client = aws_encryption_sdk.EncryptionSDKClient()
    ciphertext, _ = client.encrypt(source=plaintext, key_provider=master_key, encryption_context={"team": "finance"})

    claimed = aws_encryption_sdk.read_unauthenticated_header(ciphertext)
    print(f"header claims suite {claimed.algorithm.name}, context {dict(claimed.encryption_context)}")
    print("encrypted data keys:", [(key.provider_id, key.key_info[:11]) for key in claimed.encrypted_data_keys])

    result = client.decrypt_with_details(source=ciphertext, key_provider=master_key)
    assert result.plaintext == plaintext
    print(f"decrypted by {result.decrypted_by.provider_id}/{result.decrypted_by.key_info[:11]!r}")
    return result.decrypted_by.provider_id


if __name__ == "__main__":
    run()
