"""Encrypt and decrypt files as streams, without holding them in memory.

``client.stream`` returns a file-like object: read it in chunks, or iterate over it. The source is
read as the stream is consumed, one frame (``frame_length`` plaintext bytes) at a time, so memory
use does not grow with the file. When decrypting, plaintext is released frame by frame as each
frame authenticates, and the final frame only once the message's signature verifies; if reading
raises, throw away what was already written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import aws_encryption_sdk
from aws_encryption_sdk import CommitmentPolicy

#: Plaintext bytes per frame; larger frames cost less overhead per byte for big files.
FRAME_LENGTH = 64 * 1024
#: Bytes to read from the stream at a time.
CHUNK_SIZE = 256 * 1024


def encrypt_file(kms_key_arn: str, source: Path, destination: Path) -> dict[str, str]:
    """Encrypt the file ``source`` into ``destination`` under one KMS key.

    :param kms_key_arn: ARN of the AWS KMS key
    :param source: the plaintext file
    :param destination: where to write the encrypted message
    :returns: the encryption context written into the message
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    with (
        source.open("rb") as plaintext_file,
        destination.open("wb") as ciphertext_file,
        client.stream(
            mode="e",
            source=plaintext_file,
            key_provider=key_provider,
            frame_length=FRAME_LENGTH,
            encryption_context={"file": source.name},
        ) as encryptor,
    ):
        # shutil reads the stream in chunks, like ``iter(lambda: encryptor.read(CHUNK_SIZE), b"")``.
        shutil.copyfileobj(encryptor, ciphertext_file, CHUNK_SIZE)
    return dict(encryptor.header.encryption_context)


def decrypt_file(kms_key_arn: str, source: Path, destination: Path) -> dict[str, str]:
    """Decrypt the message in ``source`` into ``destination``.

    :param kms_key_arn: ARN of the AWS KMS key the file was encrypted under
    :param source: the encrypted file
    :param destination: where to write the plaintext
    :returns: the encryption context of the message
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    key_provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=[kms_key_arn])
    with (
        source.open("rb") as ciphertext_file,
        destination.open("wb") as plaintext_file,
        client.stream(mode="d", source=ciphertext_file, key_provider=key_provider) as decryptor,
    ):
        # Iterating over a stream yields its output in chunks, too.
        for chunk in decryptor:
            plaintext_file.write(chunk)
    return dict(decryptor.header.encryption_context)


def run(kms_key_arn: str, plaintext_path: Path) -> tuple[Path, Path]:
    """Encrypt a file next to itself, decrypt the copy, and return both new paths.

    :param kms_key_arn: ARN of the AWS KMS key
    :param plaintext_path: the file to protect
    :returns: the paths of the encrypted file and of the decrypted copy
    """
    encrypted_path = plaintext_path.with_name(plaintext_path.name + ".encrypted")
    decrypted_path = plaintext_path.with_name(plaintext_path.name + ".decrypted")
    written_context = encrypt_file(kms_key_arn, plaintext_path, encrypted_path)
    read_context = decrypt_file(kms_key_arn, encrypted_path, decrypted_path)
    assert written_context == read_context
    assert read_context["file"] == plaintext_path.name
    return encrypted_path, decrypted_path


if __name__ == "__main__":
    import sys

    ciphertext_path, copy_path = run(sys.argv[1], Path(sys.argv[2]))
    print(f"wrote {ciphertext_path} and {copy_path}")
