"""Encrypt under several AWS KMS keys, possibly in different regions, so any one of them can decrypt.

The provider's first key generates the data key; every other key encrypts a copy of it, so the
message carries one encrypted data key per configured key. Whoever holds any one of the keys can
decrypt, for example a reader in another region, or a recovery key kept in a separate account.
The provider builds one KMS client per region, on first use.
"""

from __future__ import annotations

from collections.abc import Sequence

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy


def encrypt(kms_key_arns: Sequence[str], plaintext: bytes) -> bytes:
    """Encrypt ``plaintext`` under every key in ``kms_key_arns``.

    :param kms_key_arns: ARNs of the AWS KMS keys; the first generates the data key
    :param plaintext: the data to protect
    :returns: the encrypted message
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=list(kms_key_arns))
    ciphertext, _header = client.encrypt(source=plaintext, key_provider=key_provider)
    return ciphertext


def decrypt_with_one_key(kms_key_arn: str, ciphertext: bytes) -> bytes:
    """Decrypt a message with a provider that knows just one of the keys it was encrypted under.

    :param kms_key_arn: ARN of one of the keys the message was encrypted under
    :param ciphertext: the encrypted message
    :returns: the plaintext
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    plaintext, _header = client.decrypt(source=ciphertext, key_provider=key_provider)
    return plaintext


def run(kms_key_arns: Sequence[str], plaintext: bytes = b"readable in every region") -> bytes:
    """Encrypt under all the keys, then show that each key alone decrypts; return the ciphertext.

    :param kms_key_arns: ARNs of the AWS KMS keys
    :param plaintext: the data to protect
    :returns: the encrypted message
    """
    ciphertext = encrypt(kms_key_arns, plaintext)
    for kms_key_arn in kms_key_arns:
        assert decrypt_with_one_key(kms_key_arn, ciphertext) == plaintext
    return ciphertext


if __name__ == "__main__":
    import sys

    run(sys.argv[1:])
    print(f"each of the {len(sys.argv) - 1} keys decrypted the message on its own")
