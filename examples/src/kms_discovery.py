"""Decrypt without naming the AWS KMS key: the discovery provider.

A discovery provider reads the key ARN recorded in each encrypted data key and asks AWS KMS to
decrypt with that key, in that key's region. It is handy when the reader does not know which key
the writer used, but it will use *any* key the caller's credentials can reach; prefer a strict
provider, or limit discovery with a filter (see ``kms_discovery_filter``). A discovery provider
has no keys of its own, so it cannot encrypt.
"""

from __future__ import annotations

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy


def encrypt(kms_key_arn: str, plaintext: bytes) -> bytes:
    """Encrypt ``plaintext`` under one KMS key with a strict provider.

    :param kms_key_arn: ARN of the AWS KMS key
    :param plaintext: the data to protect
    :returns: the encrypted message
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    strict_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    ciphertext, _header = client.encrypt(source=plaintext, key_provider=strict_provider)
    return ciphertext


def decrypt_by_discovery(ciphertext: bytes) -> tuple[bytes, str]:
    """Decrypt a message with whichever KMS key wrapped its data key.

    :param ciphertext: the encrypted message
    :returns: the plaintext and the ARN of the KMS key that decrypted it
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    discovery_provider = aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider()
    result = client.decrypt_with_details(source=ciphertext, key_provider=discovery_provider)
    return result.plaintext, result.decrypted_by.key_info.decode("utf-8")


def run(kms_key_arn: str, plaintext: bytes = b"found by discovery") -> str:
    """Encrypt under a key, decrypt without naming it, and return the ARN that discovery used.

    :param kms_key_arn: ARN of the AWS KMS key
    :param plaintext: the data to protect
    :returns: the ARN of the key that decrypted the message
    """
    ciphertext = encrypt(kms_key_arn, plaintext)
    decrypted, used_key_arn = decrypt_by_discovery(ciphertext)
    assert decrypted == plaintext
    return used_key_arn


if __name__ == "__main__":
    import sys

    print("decrypted with", run(sys.argv[1]))
