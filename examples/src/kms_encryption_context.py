"""Bind non-secret facts to a message with an encryption context, and check them on decryption.

The encryption context is a map of strings. It is not secret (it is stored in clear in the
message header) but it is authenticated: change one character and decryption fails. AWS KMS also
receives it with every call, so it appears in CloudTrail and can be required by key policies.

Decryption does not know what context to expect unless you say so. Either look at the header's
context after decrypting (works with every version of the SDK), or pass the pairs you require as
``encryption_context=`` to ``decrypt``, which refuses the message before releasing any plaintext.
"""

from __future__ import annotations

from collections.abc import Mapping

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.exceptions import ActionNotAllowedError

ORDER_CONTEXT = {"tenant": "example-corp", "document": "order-1234", "purpose": "billing"}


def _client() -> aws_encryption_sdk.EncryptionSDKClient:
    return aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)


def encrypt(kms_key_arn: str, plaintext: bytes, encryption_context: Mapping[str, str]) -> bytes:
    """Encrypt ``plaintext`` under one KMS key with an encryption context.

    :param kms_key_arn: ARN of the AWS KMS key
    :param plaintext: the data to protect
    :param encryption_context: the pairs to bind to the message
    :returns: the encrypted message
    """
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    ciphertext, _header = _client().encrypt(
        source=plaintext, key_provider=key_provider, encryption_context=dict(encryption_context)
    )
    return ciphertext


def decrypt_and_check_header(kms_key_arn: str, ciphertext: bytes, expected_context: Mapping[str, str]) -> bytes:
    """Decrypt, then make sure the message's context holds every expected pair.

    The header may carry more pairs than the writer gave (signing suites add the public key),
    so check that the expected pairs are present rather than that the contexts are equal.

    :param kms_key_arn: ARN of the AWS KMS key
    :param ciphertext: the encrypted message
    :param expected_context: pairs the message must carry
    :returns: the plaintext
    :raises ActionNotAllowedError: when a pair is missing or has another value
    """
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    plaintext, header = _client().decrypt(source=ciphertext, key_provider=key_provider)
    missing = {key: value for key, value in expected_context.items() if header.encryption_context.get(key) != value}
    if missing:
        # Throw the plaintext away: the message is not the one we were looking for.
        raise ActionNotAllowedError(f"Message lacks the expected encryption context pairs: {sorted(missing)}")
    return plaintext


def decrypt_requiring_context(kms_key_arn: str, ciphertext: bytes, required_context: Mapping[str, str]) -> bytes:
    """Decrypt, letting the SDK refuse the message when a required pair is not in its context.

    :param kms_key_arn: ARN of the AWS KMS key
    :param ciphertext: the encrypted message
    :param required_context: pairs the message must carry
    :returns: the plaintext
    :raises ActionNotAllowedError: when a required pair is missing or has another value
    """
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    plaintext, _header = _client().decrypt(
        source=ciphertext, key_provider=key_provider, encryption_context=dict(required_context)
    )
    return plaintext


def run(kms_key_arn: str, plaintext: bytes = b"invoice total: 42") -> bytes:
    """Encrypt with a context and decrypt it both ways; return the ciphertext.

    :param kms_key_arn: ARN of the AWS KMS key
    :param plaintext: the data to protect
    :returns: the encrypted message
    """
    ciphertext = encrypt(kms_key_arn, plaintext, ORDER_CONTEXT)
    assert decrypt_and_check_header(kms_key_arn, ciphertext, ORDER_CONTEXT) == plaintext
    assert decrypt_requiring_context(kms_key_arn, ciphertext, {"tenant": "example-corp"}) == plaintext
    return ciphertext


if __name__ == "__main__":
    import sys

    run(sys.argv[1])
    print("the encryption context was authenticated and checked")
