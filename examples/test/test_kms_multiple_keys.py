"""Runs the several-keys, several-regions AWS KMS example against moto's in-process KMS."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import DecryptKeyError
from examples.src import kms_multiple_keys

REGIONS = ("us-east-1", "us-west-2", "ap-northeast-1")


def _create_key(region: str) -> str:
    arn: str = boto3.client("kms", region_name=region).create_key()["KeyMetadata"]["Arn"]
    return arn


@pytest.fixture
def kms_key_arns(fake_aws: None) -> Iterator[list[str]]:
    """One KMS key in each of three moto regions, with dummy credentials."""
    yield [_create_key(region) for region in REGIONS]


def test_message_has_one_encrypted_data_key_per_key_in_configured_order(kms_key_arns: list[str]) -> None:
    ciphertext = kms_multiple_keys.run(kms_key_arns, b"everywhere")

    header = aws_encryption_sdk.read_unauthenticated_header(ciphertext)
    assert [(key.provider_id, key.key_info.decode()) for key in header.encrypted_data_keys] == [
        ("aws-kms", arn) for arn in kms_key_arns
    ]


@pytest.mark.parametrize("index", range(len(REGIONS)))
def test_each_key_alone_decrypts_the_message(kms_key_arns: list[str], index: int) -> None:
    ciphertext = kms_multiple_keys.encrypt(kms_key_arns, b"everywhere")

    assert kms_multiple_keys.decrypt_with_one_key(kms_key_arns[index], ciphertext) == b"everywhere"


def test_a_key_the_message_was_not_encrypted_under_cannot_decrypt_it(kms_key_arns: list[str]) -> None:
    ciphertext = kms_multiple_keys.encrypt(kms_key_arns[:2], b"two regions only")

    with pytest.raises(DecryptKeyError):
        kms_multiple_keys.decrypt_with_one_key(kms_key_arns[2], ciphertext)
