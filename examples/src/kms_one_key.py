"""Encrypt and decrypt a byte string under one AWS KMS key.

The strict provider is the usual choice: it encrypts with the keys you name and, on decryption,
calls AWS KMS only with those keys. Configure it with a key ARN so that it can decrypt too (key
ids and aliases are enough to encrypt, but never match an encrypted data key on decryption).

An encryption context is optional; it is authenticated with the message and stored in its header,
so check it after decrypting.
"""

from __future__ import annotations

from typing import Optional

import botocore.session

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy

ENCRYPTION_CONTEXT = {"purpose": "kms-one-key-example", "stage": "test"}


def run(
    kms_key_arn: str,
    plaintext: bytes = b"a small secret",
    botocore_session: Optional[botocore.session.Session] = None,
) -> bytes:
    """Encrypt ``plaintext`` under one KMS key, decrypt it again and return the ciphertext.

    :param kms_key_arn: ARN of the AWS KMS key
    :param plaintext: the data to protect
    :param botocore_session: the botocore session the provider builds its KMS clients from (a new
        one when omitted)
    :returns: the encrypted message
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    # Passing a botocore session is optional; re-using one saves start-up time and lets you supply
    # credentials your own way. Note: a botocore session, not a boto3 one.
    session = botocore_session if botocore_session is not None else botocore.session.Session()
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn], botocore_session=session)

    ciphertext, _encrypt_header = client.encrypt(
        source=plaintext, key_provider=key_provider, encryption_context=ENCRYPTION_CONTEXT
    )
    decrypted, decrypt_header = client.decrypt(source=ciphertext, key_provider=key_provider)

    assert decrypted == plaintext
    # The header holds the caller's pairs plus any the SDK added (the signing suite adds a public key).
    assert ENCRYPTION_CONTEXT.items() <= decrypt_header.encryption_context.items()
    return ciphertext


if __name__ == "__main__":
    import sys

    message = run(sys.argv[1])
    print(f"encrypted and decrypted a {len(message)}-byte message")
