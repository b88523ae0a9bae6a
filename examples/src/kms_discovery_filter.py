"""Limit a discovery provider to the AWS accounts and partition you trust.

A ``DiscoveryFilter`` lists account ids and one partition. The provider still takes the key ARN
from each encrypted data key, but only calls AWS KMS for keys inside the filter; data keys wrapped
by keys of other accounts or partitions are skipped. When no data key passes, decryption fails.
"""

from __future__ import annotations

from collections.abc import Sequence

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.internal.arn import arn_from_str
from aws_encryption_sdk.key_providers.kms import DiscoveryFilter


def filter_for_key(kms_key_arn: str) -> DiscoveryFilter:
    """Build the filter that admits the account and partition of one key ARN.

    :param kms_key_arn: a KMS key ARN
    :returns: a filter for that key's account and partition
    """
    arn = arn_from_str(kms_key_arn)
    return DiscoveryFilter(account_ids=[arn.account_id], partition=arn.partition)


def decrypt_within_accounts(ciphertext: bytes, account_ids: Sequence[str], partition: str = "aws") -> bytes:
    """Decrypt with any KMS key that belongs to one of ``account_ids`` in ``partition``.

    :param ciphertext: the encrypted message
    :param account_ids: the AWS accounts whose keys may be used
    :param partition: the AWS partition of those accounts
    :returns: the plaintext
    :raises DecryptKeyError: when no encrypted data key was wrapped by a key inside the filter
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    key_provider = aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider(
        discovery_filter=DiscoveryFilter(account_ids=list(account_ids), partition=partition)
    )
    plaintext, _header = client.decrypt(source=ciphertext, key_provider=key_provider)
    return plaintext


def run(kms_key_arn: str, plaintext: bytes = b"only for our accounts") -> bytes:
    """Encrypt under a key, then decrypt with discovery limited to that key's account.

    :param kms_key_arn: ARN of the AWS KMS key
    :param plaintext: the data to protect
    :returns: the encrypted message
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    strict_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    ciphertext, _header = client.encrypt(source=plaintext, key_provider=strict_provider)

    allowed = filter_for_key(kms_key_arn)
    assert decrypt_within_accounts(ciphertext, allowed.account_ids, str(allowed.partition)) == plaintext
    return ciphertext


if __name__ == "__main__":
    import sys

    run(sys.argv[1])
    print("decrypted with discovery limited to the key's own account")
