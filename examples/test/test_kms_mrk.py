"""Runs the multi-Region key example: moto for the key and the writer, botocore's Stubber for the reader.

moto creates multi-Region keys and replicas and encrypts under them, but cannot decrypt under a
replica what was encrypted under the primary. So the reader's regional client (us-west-2) is a
real boto3 client behind a ``Stubber``: when moto generates the data key in us-east-1, the test
queues, for that client, the Decrypt answer the replica would give, and the Stubber checks that
the SDK asks for exactly that call (the replica's ARN, the encrypted data key, the context).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import DecryptKeyError
from examples.src import kms_mrk

PLAINTEXT = b"one key, many regions"


@pytest.fixture
def mrk(fake_aws: None) -> Iterator[tuple[str, str]]:
    """A multi-Region key in moto's us-east-1 with a replica in us-west-2: (primary ARN, replica ARN)."""
    east = boto3.client("kms", region_name="us-east-1")
    primary = east.create_key(MultiRegion=True)["KeyMetadata"]
    replica = east.replicate_key(KeyId=primary["KeyId"], ReplicaRegion="us-west-2")["ReplicaKeyMetadata"]
    yield primary["Arn"], replica["Arn"]


class ReplicaRegion:
    """Regional clients for the example: moto in us-east-1, a stubbed us-west-2 standing in for the replica."""

    def __init__(self, replica_arn: str, expected_decrypts: int) -> None:
        self.east = boto3.client("kms", region_name="us-east-1")
        self.west = boto3.client("kms", region_name="us-west-2")
        self.stubber = Stubber(self.west)
        self.replica_arn = replica_arn
        self.expected_decrypts = expected_decrypts
        self.west_calls: list[str] = []
        self._context: Any = None
        self.east.meta.events.register("provide-client-params.kms.GenerateDataKey", self._remember_context)
        self.east.meta.events.register("after-call.kms.GenerateDataKey", self._queue_replica_answers)
        self.west.meta.events.register("before-parameter-build.kms", self._count_west_call)

    def _remember_context(self, params: dict[str, Any], **kwargs: Any) -> None:
        self._context = params.get("EncryptionContext")

    def _queue_replica_answers(self, parsed: dict[str, Any], **kwargs: Any) -> None:
        for _ in range(self.expected_decrypts):
            self.stubber.add_response(
                "decrypt",
                {
                    "KeyId": self.replica_arn,
                    "Plaintext": parsed["Plaintext"],
                    "EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
                },
                {
                    "CiphertextBlob": parsed["CiphertextBlob"],
                    "KeyId": self.replica_arn,
                    "EncryptionContext": self._context,
                },
            )

    def _count_west_call(self, model: Any, **kwargs: Any) -> None:
        self.west_calls.append(model.name)

    def client_factory(self, region_name: str) -> Any:
        return {"us-east-1": self.east, "us-west-2": self.west}[region_name]


def test_both_readers_decrypt_in_the_replica_region_with_the_replica(mrk: tuple[str, str]) -> None:
    primary_arn, replica_arn = mrk
    regions = ReplicaRegion(replica_arn, expected_decrypts=2)

    with regions.stubber:
        outcome = kms_mrk.run(primary_arn, replica_arn, PLAINTEXT, client_factory=regions.client_factory)
        regions.stubber.assert_no_pending_responses()

    assert outcome == kms_mrk.MrkOutcome(PLAINTEXT, PLAINTEXT, replica_arn)
    assert regions.west_calls == ["Decrypt", "Decrypt"]


def test_writer_records_the_primary_key_in_the_message(mrk: tuple[str, str]) -> None:
    primary_arn, _ = mrk

    ciphertext = kms_mrk.encrypt(primary_arn, PLAINTEXT)

    header = aws_encryption_sdk.read_unauthenticated_header(ciphertext)
    assert [key.key_info.decode() for key in header.encrypted_data_keys] == [primary_arn]


def test_a_provider_that_is_not_mrk_aware_does_not_use_the_replica(mrk: tuple[str, str]) -> None:
    primary_arn, replica_arn = mrk
    regions = ReplicaRegion(replica_arn, expected_decrypts=0)
    ciphertext = kms_mrk.encrypt(primary_arn, PLAINTEXT, regions.client_factory)
    plain_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(
        key_ids=[replica_arn], client_factory=regions.client_factory
    )

    with regions.stubber, pytest.raises(DecryptKeyError):
        aws_encryption_sdk.EncryptionSDKClient().decrypt(source=ciphertext, key_provider=plain_provider)

    assert regions.west_calls == []
