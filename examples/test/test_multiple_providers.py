"""Runs the KMS plus raw AES escrow example against moto's in-process KMS."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import pytest

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import DecryptKeyError
from examples.src import multiple_providers
from examples.src.multiple_providers import DecryptedBy


@pytest.fixture
def kms_key_arn(fake_aws: None) -> Iterator[str]:
    """A KMS key in moto's us-west-2, with dummy credentials and no local AWS configuration."""
    arn: str = boto3.client("kms", region_name="us-west-2").create_key()["KeyMetadata"]["Arn"]
    yield arn


def test_each_key_alone_decrypts_the_message(kms_key_arn: str) -> None:
    by_kms, by_escrow = multiple_providers.run(kms_key_arn, os.urandom(32), b"two ways in")

    assert by_kms == DecryptedBy(provider_id="aws-kms", plaintext=b"two ways in")
    assert by_escrow == DecryptedBy(provider_id=multiple_providers.ESCROW_PROVIDER_ID, plaintext=b"two ways in")


def test_message_carries_the_kms_data_key_first_then_the_escrow_one(kms_key_arn: str) -> None:
    ciphertext = multiple_providers.encrypt_for_both(kms_key_arn, os.urandom(32), b"x")

    kms_key, escrow_key = aws_encryption_sdk.read_unauthenticated_header(ciphertext).encrypted_data_keys
    assert (kms_key.provider_id, kms_key.key_info) == ("aws-kms", kms_key_arn.encode())
    assert escrow_key.provider_id == multiple_providers.ESCROW_PROVIDER_ID
    assert escrow_key.key_info.startswith(multiple_providers.ESCROW_KEY_ID)


def test_an_escrow_key_with_other_material_cannot_decrypt(kms_key_arn: str) -> None:
    ciphertext = multiple_providers.encrypt_for_both(kms_key_arn, os.urandom(32), b"x")

    with pytest.raises(DecryptKeyError):
        multiple_providers.decrypt_with(multiple_providers.escrow_master_key(os.urandom(32)), ciphertext)
