"""Runs the streaming files example against moto's in-process KMS."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import BodyAuthenticationError
from examples.src import kms_streaming_files


@pytest.fixture
def kms_key_arn(fake_aws: None) -> Iterator[str]:
    """A KMS key in moto's us-west-2, with dummy credentials and no local AWS configuration."""
    arn: str = boto3.client("kms", region_name="us-west-2").create_key()["KeyMetadata"]["Arn"]
    yield arn


@pytest.mark.parametrize("size", [0, 1, kms_streaming_files.FRAME_LENGTH, 5 * kms_streaming_files.FRAME_LENGTH + 7])
def test_decrypted_copy_equals_the_original_file(kms_key_arn: str, tmp_path: Path, size: int) -> None:
    original = tmp_path / "report.bin"
    original.write_bytes(os.urandom(size))

    encrypted, decrypted = kms_streaming_files.run(kms_key_arn, original)

    assert decrypted.read_bytes() == original.read_bytes()
    header = aws_encryption_sdk.read_unauthenticated_header(encrypted.read_bytes())
    assert header.frame_length == kms_streaming_files.FRAME_LENGTH
    assert header.encryption_context["file"] == "report.bin"
    assert [key.key_info.decode() for key in header.encrypted_data_keys] == [kms_key_arn]


def test_a_corrupted_encrypted_file_fails_to_decrypt(kms_key_arn: str, tmp_path: Path) -> None:
    original = tmp_path / "report.bin"
    original.write_bytes(os.urandom(3 * kms_streaming_files.FRAME_LENGTH))
    encrypted, _ = kms_streaming_files.run(kms_key_arn, original)
    corrupted = bytearray(encrypted.read_bytes())
    corrupted[len(corrupted) // 2] ^= 0x01
    encrypted.write_bytes(bytes(corrupted))

    with pytest.raises(BodyAuthenticationError, match="failed authentication"):
        kms_streaming_files.decrypt_file(kms_key_arn, encrypted, tmp_path / "out.bin")
