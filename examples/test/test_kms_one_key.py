"""Runs the one-key AWS KMS example against moto's in-process KMS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import DecryptKeyError
from aws_encryption_sdk.identifiers import Algorithm
from aws_encryption_sdk.structures import MasterKeyInfo
from examples.src import kms_one_key


@pytest.fixture
def kms_key_arn(fake_aws: None) -> Iterator[str]:
    """A KMS key in moto's us-west-2, with dummy credentials and no local AWS configuration."""
    arn: str = boto3.client("kms", region_name="us-west-2").create_key()["KeyMetadata"]["Arn"]
    yield arn


def test_message_carries_one_data_key_wrapped_by_the_kms_key(kms_key_arn: str) -> None:
    ciphertext = kms_one_key.run(kms_key_arn, b"hello")

    header = aws_encryption_sdk.read_unauthenticated_header(ciphertext)
    assert header.encrypted_data_keys == (MasterKeyInfo("aws-kms", kms_key_arn.encode()),)
    assert header.algorithm is Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
    assert header.encryption_context["purpose"] == "kms-one-key-example"


def test_message_decrypts_with_a_new_provider_for_the_key_and_not_with_another_key(kms_key_arn: str) -> None:
    ciphertext = kms_one_key.run(kms_key_arn, b"hello")
    client = aws_encryption_sdk.EncryptionSDKClient()

    same_key = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    assert client.decrypt(source=ciphertext, key_provider=same_key)[0] == b"hello"

    other_arn = boto3.client("kms", region_name="us-west-2").create_key()["KeyMetadata"]["Arn"]
    other_key = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[other_arn])
    with pytest.raises(DecryptKeyError):
        client.decrypt(source=ciphertext, key_provider=other_key)


def test_kms_calls_go_through_the_given_botocore_session(kms_key_arn: str) -> None:
    session = botocore.session.Session()
    operations: list[str] = []

    def record(**kwargs: Any) -> None:
        operations.append(kwargs["model"].name)

    session.register("before-call.kms", record)

    kms_one_key.run(kms_key_arn, b"hello", botocore_session=session)

    assert operations == ["GenerateDataKey", "Decrypt"]
