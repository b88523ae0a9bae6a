"""Runs the commitment policy example against moto's in-process KMS."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.exceptions import ActionNotAllowedError
from aws_encryption_sdk.identifiers import Algorithm
from examples.src import commitment_policy


@pytest.fixture
def kms_key_arn(fake_aws: None) -> Iterator[str]:
    """A KMS key in moto's us-west-2, with dummy credentials and no local AWS configuration."""
    arn: str = boto3.client("kms", region_name="us-west-2").create_key()["KeyMetadata"]["Arn"]
    yield arn


def test_tour_reports_suites_and_the_strict_refusal(kms_key_arn: str) -> None:
    tour = commitment_policy.run(kms_key_arn)

    assert tour.legacy_suite is Algorithm.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384
    assert tour.transitional_suite is Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
    assert tour.transitional_reads_legacy is True
    assert "REQUIRE_ENCRYPT_REQUIRE_DECRYPT" in tour.strict_refusal


def test_forbid_policy_still_reads_committed_messages(kms_key_arn: str) -> None:
    committed, suite = commitment_policy.encrypt_with_policy(
        kms_key_arn, CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, b"new"
    )
    assert suite.is_committing()

    decrypted = commitment_policy.decrypt_with_policy(
        kms_key_arn, CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT, committed
    )
    assert decrypted == b"new"


def test_require_policy_refuses_an_uncommitted_message(kms_key_arn: str) -> None:
    legacy, suite = commitment_policy.encrypt_with_policy(
        kms_key_arn, CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT, b"old"
    )
    assert not suite.is_committing()

    with pytest.raises(ActionNotAllowedError):
        commitment_policy.decrypt_with_policy(kms_key_arn, CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, legacy)
