"""Runs the raw AES key file example."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import DecryptKeyError, InvalidDataKeyError
from examples.src import raw_aes_key_file


def test_run_creates_an_owner_only_key_file_and_round_trips(tmp_path: Path) -> None:
    key_file = tmp_path / "orders.key"

    ciphertext = raw_aes_key_file.run(key_file, b"on disk")

    assert len(key_file.read_bytes()) == raw_aes_key_file.KEY_LENGTH
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    (data_key,) = aws_encryption_sdk.read_unauthenticated_header(ciphertext).encrypted_data_keys
    assert data_key.provider_id == "example-key-files"
    assert data_key.key_info.startswith(b"orders.key")


def test_messages_decrypt_later_with_the_same_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "orders.key"
    ciphertext = raw_aes_key_file.run(key_file, b"kept for later")
    raw_aes_key_file.run(key_file)  # re-uses the existing file

    client = aws_encryption_sdk.EncryptionSDKClient()
    plaintext, _ = client.decrypt(source=ciphertext, key_provider=raw_aes_key_file.provider_for(key_file))
    assert plaintext == b"kept for later"


def test_a_different_key_under_the_same_name_cannot_decrypt(tmp_path: Path) -> None:
    ciphertext = raw_aes_key_file.run(tmp_path / "orders.key", b"secret")
    (tmp_path / "elsewhere").mkdir()
    impostor = tmp_path / "elsewhere" / "orders.key"
    raw_aes_key_file.write_new_key_file(impostor)

    client = aws_encryption_sdk.EncryptionSDKClient()
    with pytest.raises(DecryptKeyError):
        client.decrypt(source=ciphertext, key_provider=raw_aes_key_file.provider_for(impostor))


def test_write_new_key_file_never_overwrites_a_key(tmp_path: Path) -> None:
    key_file = tmp_path / "orders.key"
    raw_aes_key_file.write_new_key_file(key_file)
    original = key_file.read_bytes()

    with pytest.raises(FileExistsError):
        raw_aes_key_file.write_new_key_file(key_file)
    assert key_file.read_bytes() == original


def test_a_key_file_of_the_wrong_length_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "short.key"
    key_file.write_bytes(os.urandom(16))

    with pytest.raises(InvalidDataKeyError):
        raw_aes_key_file.provider_for(key_file)


def test_provider_config_takes_the_key_directory_as_a_string_and_nothing_else(tmp_path: Path) -> None:
    assert raw_aes_key_file.KeyFileProvider(key_directory=str(tmp_path)).config.key_directory == tmp_path
    with pytest.raises(TypeError):
        raw_aes_key_file.KeyFileProvider(key_directory=tmp_path, region="us-east-1")
