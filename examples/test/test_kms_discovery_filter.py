"""Runs the AWS KMS discovery-filter example against moto's in-process KMS."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from aws_encryption_sdk.exceptions import DecryptKeyError
from aws_encryption_sdk.key_providers.kms import DiscoveryFilter
from examples.src import kms_discovery_filter

MOTO_ACCOUNT = "123456789012"


@pytest.fixture
def kms_key_arn(fake_aws: None) -> Iterator[str]:
    """A KMS key in moto's us-east-2 (moto's default account), with dummy credentials."""
    arn: str = boto3.client("kms", region_name="us-east-2").create_key()["KeyMetadata"]["Arn"]
    yield arn


def test_filter_for_key_admits_the_keys_account_and_partition(kms_key_arn: str) -> None:
    assert kms_discovery_filter.filter_for_key(kms_key_arn) == DiscoveryFilter(
        account_ids=(MOTO_ACCOUNT,), partition="aws"
    )


def test_discovery_within_the_keys_account_decrypts(kms_key_arn: str) -> None:
    ciphertext = kms_discovery_filter.run(kms_key_arn, b"ours")

    assert kms_discovery_filter.decrypt_within_accounts(ciphertext, ["111111111111", MOTO_ACCOUNT]) == b"ours"


@pytest.mark.parametrize(
    ("account_ids", "partition"),
    [(["111111111111"], "aws"), ([MOTO_ACCOUNT], "aws-cn")],
    ids=["other-account", "other-partition"],
)
def test_discovery_outside_the_keys_account_or_partition_refuses(
    kms_key_arn: str, account_ids: list[str], partition: str
) -> None:
    ciphertext = kms_discovery_filter.run(kms_key_arn, b"ours")

    with pytest.raises(DecryptKeyError):
        kms_discovery_filter.decrypt_within_accounts(ciphertext, account_ids, partition)
