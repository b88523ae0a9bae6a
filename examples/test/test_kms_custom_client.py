"""Runs the custom KMS client example against moto's in-process KMS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest

from aws_encryption_sdk.identifiers import USER_AGENT_SUFFIX
from examples.src import kms_custom_client

REGIONS = ("us-east-1", "eu-west-1")


@pytest.fixture
def kms_key_arns(fake_aws: None) -> Iterator[list[str]]:
    """A KMS key in each of two moto regions, with dummy credentials and no local AWS configuration."""
    yield [boto3.client("kms", region_name=region).create_key()["KeyMetadata"]["Arn"] for region in REGIONS]


def _assert_tuned(client: Any, region: str) -> None:
    config = client.meta.config
    assert client.meta.region_name == region
    assert (config.connect_timeout, config.read_timeout) == (
        kms_custom_client.CONNECT_TIMEOUT,
        kms_custom_client.READ_TIMEOUT,
    )
    assert config.retries["total_max_attempts"] == kms_custom_client.MAX_ATTEMPTS
    assert USER_AGENT_SUFFIX in config.user_agent_extra


def test_both_variants_round_trip_through_clients_with_the_custom_settings(kms_key_arns: list[str]) -> None:
    with_factory, subclassed = kms_custom_client.run(kms_key_arns, b"tuned")

    for provider in (with_factory, subclassed):
        assert set(provider._regional_clients) == set(REGIONS)
        for region, client in provider._regional_clients.items():
            _assert_tuned(client, region)


def test_client_factory_points_clients_at_a_custom_endpoint() -> None:
    factory = kms_custom_client.make_client_factory(endpoint_url="https://kms.internal.example")

    client: Any = factory("ap-south-1")

    assert client.meta.endpoint_url == "https://kms.internal.example"
    _assert_tuned(client, "ap-south-1")


def test_subclassed_provider_builds_its_clients_from_the_given_botocore_session(kms_key_arns: list[str]) -> None:
    session = botocore.session.Session()
    operations: list[str] = []

    def record(**kwargs: Any) -> None:
        operations.append(kwargs["model"].name)

    session.register("before-call.kms", record)
    provider = kms_custom_client.ShortTimeoutKmsProvider(key_ids=kms_key_arns, botocore_session=session)

    kms_custom_client.round_trip(provider, b"through my session")

    assert operations == ["GenerateDataKey", "Encrypt", "Decrypt"]
