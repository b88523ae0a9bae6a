"""Runs the encryption context example against moto's in-process KMS."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import ActionNotAllowedError, DecryptKeyError
from examples.src import kms_encryption_context


@pytest.fixture
def kms_key_arn(fake_aws: None) -> Iterator[str]:
    """A KMS key in moto's us-west-2, with dummy credentials and no local AWS configuration."""
    arn: str = boto3.client("kms", region_name="us-west-2").create_key()["KeyMetadata"]["Arn"]
    yield arn


def test_message_header_carries_the_context_in_clear(kms_key_arn: str) -> None:
    ciphertext = kms_encryption_context.run(kms_key_arn)

    context = aws_encryption_sdk.read_unauthenticated_header(ciphertext).encryption_context
    assert kms_encryption_context.ORDER_CONTEXT.items() <= context.items()
    assert b"order-1234" in ciphertext


def test_header_check_refuses_a_message_with_another_value(kms_key_arn: str) -> None:
    ciphertext = kms_encryption_context.encrypt(kms_key_arn, b"data", {"tenant": "someone-else"})

    with pytest.raises(ActionNotAllowedError, match="tenant"):
        kms_encryption_context.decrypt_and_check_header(kms_key_arn, ciphertext, {"tenant": "example-corp"})


def test_header_check_refuses_a_message_missing_a_pair(kms_key_arn: str) -> None:
    ciphertext = kms_encryption_context.encrypt(kms_key_arn, b"data", {"tenant": "example-corp"})

    with pytest.raises(ActionNotAllowedError, match="purpose"):
        kms_encryption_context.decrypt_and_check_header(
            kms_key_arn, ciphertext, {"tenant": "example-corp", "purpose": "billing"}
        )


def test_sdk_check_refuses_a_message_with_another_value(kms_key_arn: str) -> None:
    ciphertext = kms_encryption_context.encrypt(kms_key_arn, b"data", {"tenant": "someone-else"})

    with pytest.raises(ActionNotAllowedError):
        kms_encryption_context.decrypt_requiring_context(kms_key_arn, ciphertext, {"tenant": "example-corp"})


def test_a_context_edited_in_the_message_fails_decryption(kms_key_arn: str) -> None:
    ciphertext = kms_encryption_context.encrypt(kms_key_arn, b"data", kms_encryption_context.ORDER_CONTEXT)
    forged = ciphertext.replace(b"order-1234", b"order-9999", 1)
    assert forged != ciphertext

    # KMS binds the context to the wrapped data key, so the key is the first thing that fails
    with pytest.raises(DecryptKeyError, match="Unable to decrypt any data key"):
        kms_encryption_context.decrypt_and_check_header(kms_key_arn, forged, {})
