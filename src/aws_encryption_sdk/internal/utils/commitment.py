"""Checks of the commitment policy against algorithm suites."""

from __future__ import annotations

from typing import Optional

from aws_encryption_sdk.exceptions import ActionNotAllowedError
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy

TROUBLESHOOTING_URL = "https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/troubleshooting-migration.html"

_REQUIRE_ENCRYPT = (CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT, CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)


def validate_commitment_policy_on_encrypt(
    commitment_policy: Optional[CommitmentPolicy], algorithm: Optional[AlgorithmSuite]
) -> None:
    """Refuse to encrypt with a suite the commitment policy forbids.

    :param commitment_policy: the client's commitment policy
    :param algorithm: the suite to encrypt with, or None when not chosen yet
    :raises ActionNotAllowedError: when the policy forbids the suite
    """
    if algorithm is None:
        return
    if commitment_policy == CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT and algorithm.is_committing():
        raise ActionNotAllowedError(
            f"Configuration conflict. Cannot encrypt due to {commitment_policy} requiring only non-committed "
            f"messages. Algorithm ID was {algorithm.algorithm_id}. See: {TROUBLESHOOTING_URL}"
        )
    if commitment_policy in _REQUIRE_ENCRYPT and not algorithm.is_committing():
        raise ActionNotAllowedError(
            f"Configuration conflict. Cannot encrypt due to {commitment_policy} requiring only committed "
            f"messages. Algorithm ID was {algorithm.algorithm_id}. See: {TROUBLESHOOTING_URL}"
        )


def validate_commitment_policy_on_decrypt(
    commitment_policy: Optional[CommitmentPolicy], algorithm: AlgorithmSuite
) -> None:
    """Refuse to decrypt a message whose suite the commitment policy forbids.

    :param commitment_policy: the client's commitment policy
    :param algorithm: the suite of the message
    :raises ActionNotAllowedError: when the policy forbids the suite
    """
    if commitment_policy == CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT and not algorithm.is_committing():
        raise ActionNotAllowedError(
            f"Configuration conflict. Cannot decrypt due to {commitment_policy} requiring only committed "
            f"messages. Algorithm ID was {algorithm.algorithm_id}. See: {TROUBLESHOOTING_URL}"
        )
