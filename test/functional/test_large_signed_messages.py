"""Signed messages large enough that one-shot calls hash them on a worker thread.

One-shot ``encrypt``/``decrypt`` of an in-memory message hand its frames to a hashing thread
(internal/_background_hash.py); streams hash on the calling thread. Each path must accept what
the other writes, so a hash fed out of order on either side would fail here.
"""

from __future__ import annotations

import io
import os

import pytest

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.exceptions import (
    BodyAuthenticationError,
    SerializationError,
    SignatureVerificationError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from aws_encryption_sdk.internal._background_hash import MIN_BACKGROUND_BYTES
from test.functional.raw_keys import aes_master_key

CLIENT = EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
COMMITTING_CLIENT = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
KEY = aes_master_key()
SIGNED = [
    AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
    AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256,
]
#: More than the threshold, and not a whole number of frames or of the encryptor's hashing chunks.
PLAINTEXT = os.urandom(3 * MIN_BACKGROUND_BYTES + 12_345)


def _client(suite: AlgorithmSuite | None = None) -> EncryptionSDKClient:
    return COMMITTING_CLIENT if suite is None or suite.is_committing() else CLIENT


def _stream(mode: str, data: bytes, read_size: int = 1 << 16, **kwargs: object) -> bytes:
    out = bytearray()
    suite = kwargs.get("algorithm")
    with _client(suite if isinstance(suite, AlgorithmSuite) else None).stream(
        mode=mode, source=io.BytesIO(data), key_provider=KEY, **kwargs
    ) as stream:
        while chunk := stream.read(read_size):
            out += chunk
    return bytes(out)


@pytest.mark.parametrize("suite", SIGNED, ids=lambda suite: suite.name)
@pytest.mark.parametrize("frame_length", [4096, 1 << 20])
def test_one_shot_and_streamed_paths_read_each_other(suite: AlgorithmSuite, frame_length: int) -> None:
    one_shot, _ = _client(suite).encrypt(source=PLAINTEXT, key_provider=KEY, algorithm=suite, frame_length=frame_length)
    streamed = _stream("e", PLAINTEXT, algorithm=suite, frame_length=frame_length)
    assert _stream("d", one_shot) == PLAINTEXT
    assert CLIENT.decrypt(source=streamed, key_provider=KEY)[0] == PLAINTEXT
    assert CLIENT.decrypt(source=one_shot, key_provider=KEY)[0] == PLAINTEXT


@pytest.fixture(scope="module")
def signed_message() -> bytes:
    """A streamed (single-threaded) signed message of 4 KiB frames."""
    return _stream("e", PLAINTEXT, algorithm=SIGNED[0], frame_length=4096)


def _flipped(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)


def test_a_tampered_frame_deep_in_the_hashed_run_is_refused(signed_message: bytes) -> None:
    with pytest.raises(BodyAuthenticationError):
        CLIENT.decrypt(source=_flipped(signed_message, len(signed_message) // 2), key_provider=KEY)


def test_a_tampered_signature_is_refused(signed_message: bytes) -> None:
    with pytest.raises(SignatureVerificationError):
        CLIENT.decrypt(source=_flipped(signed_message, len(signed_message) - 10), key_provider=KEY)


def test_frames_swapped_inside_the_run_are_refused(signed_message: bytes) -> None:
    stride = 4096 + 32
    header_end = len(signed_message) - (len(PLAINTEXT) // 4096) * stride - (len(PLAINTEXT) % 4096 + 40) - 105
    body = bytearray(signed_message)
    first, second = header_end + 10 * stride, header_end + 11 * stride
    assert body[first : first + 4] == (11).to_bytes(4, "big")
    body[first : first + stride], body[second : second + stride] = (
        body[second : second + stride],
        body[first : first + stride],
    )
    with pytest.raises(SerializationError, match=r"out of order|not the IV"):
        CLIENT.decrypt(source=bytes(body), key_provider=KEY)


def test_a_truncated_message_is_refused_after_the_hashed_run(signed_message: bytes) -> None:
    with pytest.raises(SerializationError):
        CLIENT.decrypt(source=signed_message[:-200], key_provider=KEY)
