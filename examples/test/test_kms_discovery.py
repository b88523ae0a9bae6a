"""Runs the AWS KMS discovery example against moto's in-process KMS."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import MasterKeyProviderError
from examples.src import kms_discovery


@pytest.fixture
def kms_key_arn(fake_aws: None) -> Iterator[str]:
    """A KMS key in moto's eu-central-1, with dummy credentials and no default region."""
    arn: str = boto3.client("kms", region_name="eu-central-1").create_key()["KeyMetadata"]["Arn"]
    yield arn


def test_discovery_decrypts_with_the_key_named_in_the_message(kms_key_arn: str) -> None:
    assert kms_discovery.run(kms_key_arn, b"who wrapped me?") == kms_key_arn


def test_discovery_returns_the_plaintext_of_a_message_under_two_keys(kms_key_arn: str) -> None:
    second_arn = boto3.client("kms", region_name="sa-east-1").create_key()["KeyMetadata"]["Arn"]
    client = aws_encryption_sdk.EncryptionSDKClient()
    provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[second_arn, kms_key_arn])
    ciphertext, _ = client.encrypt(source=b"two keys", key_provider=provider)

    plaintext, used_arn = kms_discovery.decrypt_by_discovery(ciphertext)

    assert plaintext == b"two keys"
    assert used_arn == second_arn  # the first encrypted data key in the header


def test_discovery_provider_cannot_encrypt() -> None:
    client = aws_encryption_sdk.EncryptionSDKClient()
    with pytest.raises(MasterKeyProviderError, match="No Master Keys available"):
        client.encrypt(source=b"x", key_provider=aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider())
