"""The hand-built message of ``bench/bench.py`` is a real message: the SDK decrypts it and reads its header.

The benchmark quotes how close a message built from the floor's calls alone comes to the floor; the
figure means something only while that message stays valid.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import aws_encryption_sdk
from aws_encryption_sdk.identifiers import Algorithm, ContentType


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "bench.py"
    spec = importlib.util.spec_from_file_location("bench_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hand_built_message_decrypts_with_the_sdk() -> None:
    bench = _bench()
    key_bytes, plaintext = os.urandom(32), os.urandom(1024)

    message = bench.hand_built_encrypt(AESGCM(key_bytes), plaintext)
    decrypted, header = aws_encryption_sdk.EncryptionSDKClient().decrypt(
        source=message, key_provider=bench.aes_key(key_bytes)
    )

    assert decrypted == plaintext
    assert header.algorithm is Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
    assert header.content_type is ContentType.FRAMED_DATA and header.frame_length == 4096
    (encrypted_data_key,) = header.encrypted_data_keys
    assert encrypted_data_key.key_provider.provider_id == "bench"
    key_info = encrypted_data_key.key_provider.key_info
    assert key_info[:11] == b"aes" + bytes.fromhex("000000800000000c") and len(key_info) == 23  # tag bits, IV length


def test_objects_built_message_decrypts_to_the_header_objects_it_built() -> None:
    bench = _bench()
    key_bytes, plaintext = os.urandom(32), os.urandom(1024)

    message, built_header = bench.objects_built_encrypt(AESGCM(key_bytes), bench.aes_key(key_bytes), plaintext)
    decrypted, header = aws_encryption_sdk.EncryptionSDKClient().decrypt(
        source=message, key_provider=bench.aes_key(key_bytes)
    )

    assert decrypted == plaintext
    assert header == built_header  # the objects it times carry the message's real values
