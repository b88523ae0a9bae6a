"""The signature policy: whether signed messages may be decrypted."""

from __future__ import annotations

from enum import Enum

from aws_encryption_sdk.exceptions import ActionNotAllowedError
from aws_encryption_sdk.identifiers import AlgorithmSuite


class SignaturePolicy(Enum):
    """Whether a stream may decrypt messages of signed suites."""

    ALLOW_ENCRYPT_ALLOW_DECRYPT = 0
    ALLOW_ENCRYPT_FORBID_DECRYPT = 1


def validate_signature_policy_on_decrypt(signature_policy: SignaturePolicy, algorithm: AlgorithmSuite) -> None:
    """Refuse a signed message when the policy forbids decrypting signed messages.

    :param signature_policy: the stream's signature policy
    :param algorithm: the suite of the message
    :raises ActionNotAllowedError: when the suite signs and the policy forbids it
    """
    if signature_policy == SignaturePolicy.ALLOW_ENCRYPT_FORBID_DECRYPT and algorithm.is_signing():
        raise ActionNotAllowedError(
            "Configuration conflict. Cannot decrypt signed message in decrypt-unsigned mode. "
            f"Algorithm ID was {algorithm.algorithm_id}. "
        )
