"""Choose a commitment policy, and migrate to key commitment without breaking old messages.

Key commitment ties each message to one data key, so a message cannot be crafted to decrypt to
different plaintexts under different keys. Messages written by SDK versions before 2.0 are not
committed. The client's ``commitment_policy`` decides what it writes and what it accepts:

* ``FORBID_ENCRYPT_ALLOW_DECRYPT``: writes uncommitted messages (readable by every SDK version), reads both;
* ``REQUIRE_ENCRYPT_ALLOW_DECRYPT``: writes committed messages, still reads old uncommitted ones;
* ``REQUIRE_ENCRYPT_REQUIRE_DECRYPT`` (the default): writes and reads committed messages only.

Move through them in that order: first make every reader able to read committed messages, then
write committed messages, and once no uncommitted message remains, require commitment.
"""

from __future__ import annotations

import attrs

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.exceptions import ActionNotAllowedError
from aws_encryption_sdk.identifiers import AlgorithmSuite


@attrs.frozen
class PolicyTour:
    """What each step of the migration did.

    :param legacy_suite: suite of the message written under FORBID_ENCRYPT_ALLOW_DECRYPT
    :param transitional_suite: suite of the message written under REQUIRE_ENCRYPT_ALLOW_DECRYPT
    :param transitional_reads_legacy: whether the transitional client decrypted the legacy message
    :param strict_refusal: the error the strict client raised for the legacy message
    """

    legacy_suite: AlgorithmSuite
    transitional_suite: AlgorithmSuite
    transitional_reads_legacy: bool
    strict_refusal: str


def encrypt_with_policy(kms_key_arn: str, policy: CommitmentPolicy, plaintext: bytes) -> tuple[bytes, AlgorithmSuite]:
    """Encrypt under one KMS key with a client using ``policy``.

    :param kms_key_arn: ARN of the AWS KMS key
    :param policy: the client's commitment policy
    :param plaintext: the data to protect
    :returns: the message and the algorithm suite it was written with
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=policy)
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    ciphertext, header = client.encrypt(source=plaintext, key_provider=key_provider)
    return ciphertext, header.algorithm


def decrypt_with_policy(kms_key_arn: str, policy: CommitmentPolicy, ciphertext: bytes) -> bytes:
    """Decrypt with a client using ``policy``.

    :param kms_key_arn: ARN of the AWS KMS key
    :param policy: the client's commitment policy
    :param ciphertext: the encrypted message
    :returns: the plaintext
    :raises ActionNotAllowedError: when the policy requires commitment and the message has none
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=policy)
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    plaintext, _header = client.decrypt(source=ciphertext, key_provider=key_provider)
    return plaintext


def run(kms_key_arn: str, plaintext: bytes = b"written before and after the migration") -> PolicyTour:
    """Walk through the three policies and report what each did.

    :param kms_key_arn: ARN of the AWS KMS key
    :param plaintext: the data to protect
    :returns: the suites written and how the legacy message was received
    """
    legacy_message, legacy_suite = encrypt_with_policy(
        kms_key_arn, CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT, plaintext
    )
    new_message, transitional_suite = encrypt_with_policy(
        kms_key_arn, CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT, plaintext
    )

    transitional = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
    transitional_reads_legacy = decrypt_with_policy(kms_key_arn, transitional, legacy_message) == plaintext
    assert decrypt_with_policy(kms_key_arn, transitional, new_message) == plaintext

    strict = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
    assert decrypt_with_policy(kms_key_arn, strict, new_message) == plaintext
    try:
        decrypt_with_policy(kms_key_arn, strict, legacy_message)
    except ActionNotAllowedError as error:
        strict_refusal = str(error)
    else:
        raise AssertionError("a client that requires commitment decrypted an uncommitted message")

    return PolicyTour(legacy_suite, transitional_suite, transitional_reads_legacy, strict_refusal)


if __name__ == "__main__":
    import sys

    print(run(sys.argv[1]))
