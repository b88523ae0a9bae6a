"""Known-answer tests: the worked examples of the message-format spec, byte for byte.

Encryption reproduces examples A-D exactly. Their three sources of randomness (message id,
plaintext data key, raw AES wrapping IV) are pinned through override seams that a subclass
provides, not by patching: ``StreamEncryptor._message_id_factory``,
``RawMasterKey._random_data_key`` and ``WrappingKey._generate_iv``. Examples E and F are signed
(ECDSA is randomized), so they are decrypt-only.
"""

from __future__ import annotations

import pytest

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    CommitmentPolicy,
    EncryptionKeyType,
    WrappingAlgorithm,
)
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey
from aws_encryption_sdk.streaming_client import StreamDecryptor, StreamEncryptor
from test.worked_examples import WORKED_EXAMPLES

WRAPPING_KEY = bytes(range(32))
CONTEXT = {"purpose": "example"}

EXAMPLES = WORKED_EXAMPLES

# name: (suite, frame length, context, plaintext, message id, data key, wrapping IV)
ENCRYPT_INPUTS = {
    "A": (
        AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256,
        128,
        CONTEXT,
        b"A" * 128 + b"BC",
        bytes(range(0xA0, 0xB0)),
        b"\x42" * 32,
        b"\x77" * 12,
    ),
    "B": (
        AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
        128,
        CONTEXT,
        b"hello",
        bytes(range(0xC0, 0xE0)),
        b"\x42" * 32,
        b"\x77" * 12,
    ),
    "C": (AlgorithmSuite.AES_128_GCM_IV12_TAG16, 0, {}, b"hi", bytes(range(0x10, 0x20)), b"\x24" * 16, b"\x55" * 12),
    "D": (
        AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
        4096,
        {},
        b"",
        bytes(range(32)),
        b"\x42" * 32,
        b"\x77" * 12,
    ),
}
DECRYPT_PLAINTEXTS = {"A": b"A" * 128 + b"BC", "B": b"hello", "C": b"hi", "D": b"", "E": b"hello", "F": b"hello"}


class PinnedIVWrappingKey(WrappingKey):
    """A wrapping key whose wrapping IV is fixed by the test."""

    pinned_iv = b""

    def _generate_iv(self) -> bytes:
        return self.pinned_iv


class PinnedDataKeyMasterKey(RawMasterKey):
    """A raw master key whose plaintext data key is fixed by the test."""

    pinned_data_key = b""

    def _random_data_key(self, length: int) -> bytes:
        assert length == len(self.pinned_data_key)
        return self.pinned_data_key


def _master_key(data_key: bytes = b"", iv: bytes = b"") -> PinnedDataKeyMasterKey:
    wrapping_key = PinnedIVWrappingKey(
        wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
        wrapping_key=WRAPPING_KEY,
        wrapping_key_type=EncryptionKeyType.SYMMETRIC,
    )
    wrapping_key.pinned_iv = iv
    master_key = PinnedDataKeyMasterKey(provider_id="static-aes", key_id=b"key1", wrapping_key=wrapping_key)
    master_key.pinned_data_key = data_key
    return master_key


@pytest.mark.parametrize("name", sorted(ENCRYPT_INPUTS))
def test_encrypt_reproduces_worked_example_byte_for_byte(name: str) -> None:
    suite, frame_length, context, plaintext, message_id, data_key, iv = ENCRYPT_INPUTS[name]

    class PinnedEncryptor(StreamEncryptor):
        @staticmethod
        def _message_id_factory(size: int) -> bytes:
            assert size == len(message_id)
            return message_id

    policy = (
        CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
        if suite.is_committing()
        else CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    )
    with PinnedEncryptor(
        source=plaintext,
        key_provider=_master_key(data_key, iv),
        commitment_policy=policy,
        algorithm=suite,
        frame_length=frame_length,
        encryption_context=dict(context),
    ) as encryptor:
        ciphertext = encryptor.read()
        assert encryptor.ciphertext_length() == len(EXAMPLES[name])
    assert ciphertext.hex() == EXAMPLES[name].hex()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_decrypt_worked_example(name: str) -> None:
    client = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
    plaintext, header = client.decrypt(source=EXAMPLES[name], key_provider=_master_key())
    assert plaintext == DECRYPT_PLAINTEXTS[name]
    assert header.encryption_context.get("purpose") == ("example" if name in "ABE" else None)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_streaming_decrypt_of_worked_example_in_small_reads(name: str) -> None:
    decryptor = StreamDecryptor(
        source=EXAMPLES[name],
        key_provider=_master_key(),
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
    )
    output = b""
    while chunk := decryptor.read(3):
        output += chunk
    decryptor.close()
    assert output == DECRYPT_PLAINTEXTS[name]
