"""How the decryptor compares secrets and what a failed check leaves behind.

A key commitment must be compared in constant time, and the plaintext of a frame whose tag fails
must not stay anywhere a caller can read it, not even in the stream's buffer. Neither shows in the
results of a decryption, so mutation testing found both unpinned.
"""

from __future__ import annotations

import hmac
import io
from typing import Any

import pytest

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.exceptions import BodyAuthenticationError
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from test.functional.raw_keys import aes_master_key

KEY = aes_master_key()
CLIENT = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
FRAME = 4 + 12 + 16 + 16  # sequence number, IV, 16 bytes of content, tag
FINAL_FRAME_OPENING = 4 + 4 + 12 + 4  # end marker, sequence number, IV, content length


class PlainReader:
    """A source that is only an object with ``read``, so frames are opened one at a time."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._data.read(size)


def test_the_key_commitment_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    compare_digest = hmac.compare_digest

    def recording_compare_digest(a: Any, b: Any) -> bool:
        compared.append((bytes(a), bytes(b)))
        return compare_digest(a, b)

    ciphertext, _ = CLIENT.encrypt(source=b"committed", key_provider=KEY)
    monkeypatch.setattr(hmac, "compare_digest", recording_compare_digest)
    plaintext, header = CLIENT.decrypt(source=ciphertext, key_provider=KEY)

    assert plaintext == b"committed"
    assert header.commitment_key is not None
    assert [pair for pair in compared if header.commitment_key in pair], "commitment not compared by compare_digest"


@pytest.mark.parametrize("tampered_frame", ["regular", "final"])
def test_nothing_of_a_frame_that_fails_its_tag_stays_in_the_stream(tampered_frame: str) -> None:
    # Suite 0x0478 (unsigned), 16-byte frames: "A" * 16, "B" * 16, then a final frame of "C" * 8.
    ciphertext, _ = CLIENT.encrypt(
        source=b"A" * 16 + b"B" * 16 + b"C" * 8,
        key_provider=KEY,
        frame_length=16,
        algorithm=AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
    )
    body_start = len(ciphertext) - (2 * FRAME + FINAL_FRAME_OPENING + 8 + 16)
    if tampered_frame == "regular":
        position, secret, authentic = body_start + FRAME + 4 + 12, b"B" * 15, b"A" * 16  # frame 2's first byte
    else:
        position, secret, authentic = body_start + 2 * FRAME + FINAL_FRAME_OPENING, b"C" * 7, b"A" * 16 + b"B" * 16
    tampered = bytearray(ciphertext)
    tampered[position] ^= 0x01

    stream = CLIENT.stream(mode="d", source=PlainReader(bytes(tampered)), key_provider=KEY)
    released = bytearray()
    with pytest.raises(BodyAuthenticationError):
        while chunk := stream.read(16):
            released += chunk

    assert released == authentic
    assert secret not in bytes(stream.output_buffer)
