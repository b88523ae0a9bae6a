"""The main job: round trips a newcomer can run without any setup (private).

Run ``python -m aws_encryption_sdk [FILE]``. Without ``FILE`` an embedded sample is used.

1. A raw AES key: the file and a byte string are encrypted and decrypted. The wrapping key is
   generated for the run unless ``--key-file`` names a file of 32 raw bytes.
2. AWS KMS, the flows of the README (two keys, an encryption context, streaming a file, a
   discovery provider with a filter), against an AWS KMS that runs in this process (moto, installed
   by the ``demo`` extra), so no AWS account is needed. Skipped with a note when moto is missing.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional

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
        encryptor = _stream_file(client, "e", source, encrypted, key_provider=master_key, encryption_context=context)
        _stream_file(client, "d", encrypted, decrypted, key_provider=master_key)
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
        kms_ok = _kms_round_trips(source, out_dir)
    return 0 if same and plaintext == b"a byte string" and kms_ok else 1


def _stream_file(
    client: aws_encryption_sdk.EncryptionSDKClient, mode: str, source: Path, target: Path, **options: Any
) -> Any:
    """Stream ``source`` through ``client.stream(mode=...)`` into ``target``; return the finished stream."""
    with (
        source.open("rb") as reader,
        target.open("wb") as writer,
        client.stream(mode=mode, source=reader, **options) as stream,
    ):
        for chunk in stream:
            writer.write(chunk)
    return stream


def _kms_round_trips(source: Path, out_dir: Path) -> bool:
    """Run the README's KMS flows against an in-process moto KMS; say whether they all succeeded."""
    try:
        from moto import mock_aws
    except ImportError:
        print("\nAWS KMS flows skipped: install the demo extra (pip install '.[demo]') to run them on moto")
        return True
    import boto3

    from aws_encryption_sdk.key_providers.kms import DiscoveryFilter

    fake_credentials = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    saved = {name: os.environ.get(name) for name in fake_credentials}
    os.environ.update(fake_credentials)
    try:
        with mock_aws():
            print("\nAWS KMS (moto, in process): the README's flows")
            arns = [
                boto3.client("kms", region_name=region).create_key(Description="main job")["KeyMetadata"]["Arn"]
                for region in ("us-east-1", "us-west-2")
            ]
            provider = aws_encryption_sdk.StrictAwsKmsMasterKeyProvider(key_ids=arns)
            client = aws_encryption_sdk.EncryptionSDKClient()
            context = {"not really": "a secret", "but adds": "some authentication"}
            ciphertext, encrypted_header = client.encrypt(
                source=b"This is some super secret data!", key_provider=provider, encryption_context=context
            )
            plaintext, decrypted_header = client.decrypt(source=ciphertext, key_provider=provider)
            shown = {k: v for k, v in decrypted_header.encryption_context.items() if k != "aws-crypto-public-key"}
            print(f"byte string: {plaintext!r}")
            print(f"  encryption context : {shown}")
            for edk in decrypted_header.encrypted_data_keys:
                print(f"  wrapped by         : {edk.key_provider.key_info.decode()}")
            encrypted = out_dir / (source.name + ".kms.encrypted")
            decrypted = out_dir / (source.name + ".kms.decrypted")
            _stream_file(client, "e", source, encrypted, key_provider=provider)
            discovery = aws_encryption_sdk.DiscoveryAwsKmsMasterKeyProvider(
                discovery_filter=DiscoveryFilter(account_ids=[arns[0].split(":")[4]], partition="aws")
            )
            decryptor = _stream_file(client, "d", encrypted, decrypted, key_provider=discovery)
            same = filecmp.cmp(source, decrypted, shallow=False)
            outcome = "identical" if same else "DIFFERENT"
            print(f"file: streamed through both keys, decrypted with a discovery provider: {outcome}")
            print(f"  decrypted by       : {decryptor.decrypted_by.key_info.decode()}")
            return (
                same
                and plaintext == b"This is some super secret data!"
                and encrypted_header.encryption_context == decrypted_header.encryption_context
            )
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
