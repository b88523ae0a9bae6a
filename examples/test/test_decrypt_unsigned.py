"""Runs the decrypt-unsigned streaming example."""

from __future__ import annotations

import io

import pytest

import aws_encryption_sdk
from aws_encryption_sdk.exceptions import ActionNotAllowedError
from examples.src import decrypt_unsigned


def test_unsigned_message_streams_out_frame_by_frame() -> None:
    plaintext = bytes(range(256)) * 20  # 5120 bytes: five 1024-byte frames and an empty final one

    pieces = decrypt_unsigned.run(plaintext)

    assert b"".join(pieces) == plaintext
    assert [len(piece) for piece in pieces] == [decrypt_unsigned.FRAME_LENGTH] * 5


def test_writer_uses_the_committing_unsigned_suite() -> None:
    master_key = decrypt_unsigned.demo_master_key()

    ciphertext = decrypt_unsigned.encrypt_unsigned(master_key, b"abc")

    header = aws_encryption_sdk.read_unauthenticated_header(ciphertext)
    assert header.algorithm is decrypt_unsigned.UNSIGNED_SUITE
    assert header.frame_length == decrypt_unsigned.FRAME_LENGTH
    assert not header.algorithm.is_signing()


def test_signed_message_is_refused_on_the_first_read() -> None:
    master_key = decrypt_unsigned.demo_master_key()
    client = aws_encryption_sdk.EncryptionSDKClient()
    signed, _ = client.encrypt(source=b"signed data", key_provider=master_key)

    with pytest.raises(ActionNotAllowedError, match="decrypt-unsigned"):
        decrypt_unsigned.stream_decrypt_unsigned(master_key, signed)
    decryptor = client.stream(mode="decrypt-unsigned", source=io.BytesIO(signed), key_provider=master_key)
    with pytest.raises(ActionNotAllowedError):
        decryptor.read(1)
