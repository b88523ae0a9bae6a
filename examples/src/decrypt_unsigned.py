"""Stream-decrypt messages of unsigned algorithm suites only: ``mode="decrypt-unsigned"``.

When a message is signed, its last frame cannot be released before the signature at the very end
has been checked. Messages of unsigned suites have no such wait: every frame is released as soon as
its own tag verifies. A reader that wants that guarantee, and that trusts every holder of the key
to be a legitimate writer, can stream with ``mode="decrypt-unsigned"``: it refuses signed messages
before releasing anything, so a signed message can never be half-read without its check.

The writer chooses an unsigned suite with ``algorithm=``.
"""

from __future__ import annotations

import io
import os

import aws_encryption_sdk
from aws_encryption_sdk import Algorithm, CommitmentPolicy
from aws_encryption_sdk.identifiers import EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.base import MasterKeyProvider
from aws_encryption_sdk.key_providers.raw import RawMasterKey

#: Committing and unsigned: the suite to write for decrypt-unsigned readers.
UNSIGNED_SUITE = Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
FRAME_LENGTH = 1024


def demo_master_key() -> RawMasterKey:
    """Build a raw AES-256 master key with fresh random key material.

    :returns: the master key
    """
    return RawMasterKey(
        provider_id="example",
        key_id=b"unsigned-demo",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=os.urandom(32),
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )


def encrypt_unsigned(key_provider: MasterKeyProvider, plaintext: bytes) -> bytes:
    """Encrypt with the committing, unsigned suite.

    :param key_provider: the provider to encrypt with
    :param plaintext: the data to protect
    :returns: the encrypted message
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    ciphertext, _header = client.encrypt(
        source=plaintext, key_provider=key_provider, algorithm=UNSIGNED_SUITE, frame_length=FRAME_LENGTH
    )
    return ciphertext


def stream_decrypt_unsigned(key_provider: MasterKeyProvider, ciphertext: bytes) -> list[bytes]:
    """Decrypt a message frame by frame, refusing signed messages.

    :param key_provider: the provider to decrypt with
    :param ciphertext: the encrypted message
    :returns: the plaintext, in the pieces the stream released
    :raises ActionNotAllowedError: when the message uses a signed suite
    """
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
    pieces = []
    with client.stream(mode="decrypt-unsigned", source=io.BytesIO(ciphertext), key_provider=key_provider) as decryptor:
        while piece := decryptor.read(FRAME_LENGTH):
            pieces.append(piece)
    return pieces


def run(plaintext: bytes = b"x" * 5000) -> list[bytes]:
    """Write an unsigned message and stream-decrypt it; return the released pieces.

    :param plaintext: the data to protect
    :returns: the plaintext pieces
    """
    master_key = demo_master_key()
    pieces = stream_decrypt_unsigned(master_key, encrypt_unsigned(master_key, plaintext))
    assert b"".join(pieces) == plaintext
    return pieces


if __name__ == "__main__":
    released = run()
    print(f"released the plaintext in {len(released)} pieces")
