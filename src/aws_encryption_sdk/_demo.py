"""The main job: encrypt a file with a raw AES key, decrypt it again and say what happened (private).

Run ``python -m aws_encryption_sdk [FILE]``. Without ``FILE`` an embedded sample is used. The
wrapping key is generated for the run unless ``--key-file`` names a file of 32 raw bytes.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

import aws_encryption_sdk
from aws_encryption_sdk.identifiers import CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey
from aws_encryption_sdk.structures import MessageHeader

SAMPLE = b"The AWS Encryption SDK encrypts this sample so that you can see a round trip without any setup.\n" * 64


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m aws_encryption_sdk", description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, help="file to encrypt (default: an embedded sample)")
    parser.add_argument("--key-file", type=Path, help="file holding a 32-byte raw AES wrapping key")
    parser.add_argument("--out-dir", type=Path, help="where to write the .encrypted/.decrypted files")
    return parser.parse_args(argv)


def _key_name(key_info: bytes) -> str:
    """The readable part of a key info (a raw AES key info continues with binary IV data)."""
    return key_info.split(bytes(1), 1)[0].decode("utf-8", "replace")


def _describe(header: MessageHeader) -> list[str]:
    keys = ", ".join(
        f"{edk.key_provider.provider_id}/{_key_name(edk.key_provider.key_info)}" for edk in header.encrypted_data_keys
    )
    context = {key: value for key, value in header.encryption_context.items() if key != "aws-crypto-public-key"}
    return [
        f"  algorithm suite : {header.algorithm.name} (0x{header.algorithm.algorithm_id:04x})",
        f"  frame length    : {header.frame_length}",
        f"  context         : {context} (+ signature public key)"
        if "aws-crypto-public-key" in header.encryption_context
        else f"  context         : {context}",
        f"  data keys       : {keys}",
    ]


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the raw-key file round trip and print what was done; return the exit status."""
    args = _parse_args(argv)
    key = args.key_file.read_bytes() if args.key_file else os.urandom(32)
    master_key = RawMasterKey(
        provider_id="demo-raw-aes",
        key_id=b"demo-key",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=key,
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    with tempfile.TemporaryDirectory() as scratch:
        out_dir = args.out_dir or Path(scratch)
        source = args.file
        if source is None:
            source = out_dir / "sample.txt"
            source.write_bytes(SAMPLE)
        encrypted = out_dir / (source.name + ".encrypted")
        decrypted = out_dir / (source.name + ".decrypted")
        context = {"purpose": "main-job", "file": source.name}
        with (
            source.open("rb") as plain,
            encrypted.open("wb") as sealed,
            client.stream(mode="e", source=plain, key_provider=master_key, encryption_context=context) as encryptor,
        ):
            for chunk in encryptor:
                sealed.write(chunk)
        with (
            encrypted.open("rb") as sealed,
            decrypted.open("wb") as plain,
            client.stream(mode="d", source=sealed, key_provider=master_key) as decryptor,
        ):
            for chunk in decryptor:
                plain.write(chunk)
        same = filecmp.cmp(source, decrypted, shallow=False)
        print(f"aws-encryption-sdk {aws_encryption_sdk.__version__}: raw AES-256 key round trip")
        print(
            f"encrypted {source} ({source.stat().st_size} bytes) -> {encrypted.name} ({encrypted.stat().st_size} bytes)"
        )
        print(*_describe(encryptor.header), sep="\n")
        print(
            f"decrypted -> {decrypted.name}: {'identical to the original' if same else 'DIFFERENT FROM THE ORIGINAL'}"
        )
        ciphertext, _ = client.encrypt(source=b"a byte string", key_provider=master_key)
        plaintext, _ = client.decrypt(source=ciphertext, key_provider=master_key)
        print(f"byte string round trip: {plaintext!r} ({len(ciphertext)} bytes of ciphertext)")
    return 0 if same and plaintext == b"a byte string" else 1
