"""Runs the data key caching example, with a raw AES key and with AWS KMS in moto's mock."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header
from examples.src import data_key_caching


def _edks(ciphertext: bytes) -> set[tuple[str, bytes, bytes]]:
    header, _raw = deserialize_header(io.BytesIO(ciphertext))
    return {
        (edk.key_provider.provider_id, edk.key_provider.key_info, edk.encrypted_data_key)
        for edk in header.encrypted_data_keys
    }


def test_raw_aes_variant_reuses_one_data_key_for_every_message() -> None:
    plaintexts = [b"first", b"second", b"third"]
    ciphertexts = data_key_caching.encrypt_many_with_raw_aes_key(plaintexts)
    assert len(ciphertexts) == 3
    assert _edks(ciphertexts[0]) == _edks(ciphertexts[1]) == _edks(ciphertexts[2])


def test_raw_aes_variant_gets_a_new_data_key_after_the_message_limit() -> None:
    plaintexts = [b"m"] * (data_key_caching.MAX_ENTRY_MESSAGES + 1)
    ciphertexts = data_key_caching.encrypt_many_with_raw_aes_key(plaintexts)
    assert _edks(ciphertexts[0]) == _edks(ciphertexts[-2])
    assert _edks(ciphertexts[0]) != _edks(ciphertexts[-1])


@pytest.fixture
def kms_key_arn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
    with mock_aws():
        arn: str = boto3.client("kms", region_name="us-west-2").create_key()["KeyMetadata"]["Arn"]
        yield arn


def test_kms_variant_encrypts_a_message_that_decrypts_under_the_same_key(kms_key_arn: str) -> None:
    ciphertext = data_key_caching.encrypt_with_caching(kms_key_arn, max_age_in_cache=10.0, cache_capacity=10)
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    plaintext, header = client.decrypt(source=ciphertext, key_provider=provider)
    assert plaintext == b"My plaintext data"
    assert header.encryption_context["purpose"] == "data-key-caching-example"
    assert {edk.key_provider.key_info for edk in header.encrypted_data_keys} == {kms_key_arn.encode()}


def test_kms_caching_manager_reuses_the_data_key_across_messages(kms_key_arn: str) -> None:
    provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    cmm = data_key_caching.build_caching_cmm(provider, max_age_in_cache=10.0, cache_capacity=10)
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    ciphertexts = [client.encrypt(source=b"x" * n, materials_manager=cmm)[0] for n in (1, 2, 3)]
    assert _edks(ciphertexts[0]) == _edks(ciphertexts[1]) == _edks(ciphertexts[2])
    for n, ciphertext in zip((1, 2, 3), ciphertexts, strict=True):
        assert client.decrypt(source=ciphertext, materials_manager=cmm)[0] == b"x" * n
