"""Unit tests for aws_encryption_sdk.internal.crypto.encryption.

The known answers re-encrypt and decrypt the frames, bodies and header tags of the worked example
messages with AADs built here from the format rules.
"""

from __future__ import annotations

import itertools
import struct
from typing import Any, NamedTuple

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import (
    ActionNotAllowedError,
    BodyAuthenticationError,
    InvalidDataKeyError,
    SerializationError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal.crypto.data_keys import derive_data_encryption_key
from aws_encryption_sdk.internal.crypto.encryption import Decryptor, Encryptor, decrypt, encrypt
from aws_encryption_sdk.internal.structures import EncryptedData

ALL_SUITES = list(AlgorithmSuite)
S0178 = AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256
S0478 = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
FRAME = b"AWSKMSEncryptionClient Frame"
FINAL_FRAME = b"AWSKMSEncryptionClient Final Frame"
SINGLE_BLOCK = b"AWSKMSEncryptionClient Single Block"
ZERO_IV = b"\x00" * 12


def body_aad(message_id: bytes, label: bytes, sequence_number: int, length: int) -> bytes:
    """Build a body AAD from the message-format rules."""
    return message_id + label + struct.pack(">IQ", sequence_number, length)


def random_key(algorithm: AlgorithmSuite, seed: int = 7) -> bytes:
    return bytes((seed + index) % 256 for index in range(algorithm.data_key_len))


class FrameCase(NamedTuple):
    """One encrypted part of a worked example and where its bytes are."""

    example: str
    suite: AlgorithmSuite
    iv_at: int
    ciphertext_at: int
    ciphertext_length: int
    label: bytes
    sequence_number: int
    plaintext: bytes

    def parts(self, examples: dict[str, Any]) -> tuple[bytes, bytes, bytes, bytes, bytes]:
        """Return (derived key, IV, ciphertext, tag, AAD) of this part."""
        example = examples[self.example]
        data = example.data
        key = derive_data_encryption_key(example.data_key, self.suite, example.message_id)
        tag_at = self.ciphertext_at + self.ciphertext_length
        aad = body_aad(example.message_id, self.label, self.sequence_number, len(self.plaintext))
        return (
            key,
            data[self.iv_at : self.iv_at + 12],
            data[self.ciphertext_at : tag_at],
            data[tag_at : tag_at + 16],
            aad,
        )


FRAME_CASES = {
    "A-frame1": FrameCase("A", S0178, 0xAE, 0xBA, 128, FRAME, 1, b"A" * 128),
    "A-final": FrameCase("A", S0178, 0x152, 0x162, 2, FINAL_FRAME, 2, b"BC"),
    "B-final": FrameCase("B", S0478, 0xD0, 0xE0, 5, FINAL_FRAME, 1, b"hello"),
    "C-nonframed": FrameCase("C", AlgorithmSuite.AES_128_GCM_IV12_TAG16, 0x86, 0x9A, 2, SINGLE_BLOCK, 1, b"hi"),
    "D-empty-final": FrameCase("D", S0478, 0xBC, 0xCC, 0, FINAL_FRAME, 1, b""),
    "E-final": FrameCase(
        "E", AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, 0x12D, 0x13D, 5, FINAL_FRAME, 1, b"hello"
    ),
    "F-final": FrameCase(
        "F", AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256, 0xD5, 0xE5, 5, FINAL_FRAME, 1, b"hello"
    ),
}


@pytest.mark.parametrize("case", FRAME_CASES.values(), ids=FRAME_CASES.keys())
def test_encrypt_reproduces_example_frame_bytes(examples: dict[str, Any], case: FrameCase) -> None:
    key, iv, ciphertext, tag, aad = case.parts(examples)

    result = encrypt(case.suite, key, case.plaintext, aad, iv)

    assert (result.iv, result.ciphertext, result.tag) == (iv, ciphertext, tag)


@pytest.mark.parametrize("case", FRAME_CASES.values(), ids=FRAME_CASES.keys())
def test_decrypt_and_streaming_decryptor_recover_example_plaintext(examples: dict[str, Any], case: FrameCase) -> None:
    key, iv, ciphertext, tag, aad = case.parts(examples)

    assert decrypt(case.suite, key, EncryptedData(iv, ciphertext, tag), aad) == case.plaintext
    decryptor = Decryptor(case.suite, key, aad, iv, tag)
    recovered = decryptor.update(ciphertext[:1]) + decryptor.update(ciphertext[1:]) + decryptor.finalize()
    assert recovered == case.plaintext


def test_streaming_encryptor_reproduces_example_c_non_framed_body(examples: dict[str, Any]) -> None:
    example = examples["C"]
    suite = AlgorithmSuite.AES_128_GCM_IV12_TAG16
    aad = body_aad(example.message_id, SINGLE_BLOCK, 1, 2)

    encryptor = Encryptor(suite, example.data_key, aad, bytes.fromhex("000000000000000000000001"))
    ciphertext = encryptor.update(b"h") + encryptor.update(b"i") + encryptor.finalize()

    assert encryptor.iv == bytes.fromhex("000000000000000000000001")
    assert ciphertext + encryptor.tag == example.data[0x9A:]


@pytest.mark.parametrize(
    ("name", "suite"),
    [("A", AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256), ("C", AlgorithmSuite.AES_128_GCM_IV12_TAG16)],
)
def test_header_auth_tag_is_gcm_of_empty_plaintext_over_header_body(
    examples: dict[str, Any], name: str, suite: AlgorithmSuite
) -> None:
    example = examples[name]
    key = derive_data_encryption_key(example.data_key, suite, example.message_id)

    result = encrypt(suite, key, b"", example.header_body, ZERO_IV)

    assert result.ciphertext == b""
    assert result.tag == example.header_tag


@settings(max_examples=100, deadline=None)
@given(
    algorithm=st.sampled_from(ALL_SUITES),
    key_seed=st.integers(min_value=0, max_value=255),
    plaintext=st.binary(max_size=600),
    aad=st.binary(max_size=100),
    iv=st.binary(min_size=12, max_size=12),
)
def test_one_shot_encrypt_then_decrypt_round_trips(
    algorithm: AlgorithmSuite, key_seed: int, plaintext: bytes, aad: bytes, iv: bytes
) -> None:
    key = random_key(algorithm, key_seed)

    encrypted = encrypt(algorithm, key, plaintext, aad, iv)

    assert len(encrypted.ciphertext) == len(plaintext)
    assert len(encrypted.tag or b"") == 16
    assert decrypt(algorithm, key, encrypted, aad) == plaintext


@settings(max_examples=100, deadline=None)
@given(
    algorithm=st.sampled_from(ALL_SUITES),
    plaintext=st.binary(max_size=600),
    aad=st.binary(max_size=100),
    cuts=st.lists(st.integers(min_value=0, max_value=600), max_size=5),
)
def test_streaming_classes_match_one_shot_functions_for_any_chunking(
    algorithm: AlgorithmSuite, plaintext: bytes, aad: bytes, cuts: list[int]
) -> None:
    key = random_key(algorithm)
    iv = bytes.fromhex("000000000000000000000009")
    bounds = [0, *sorted(min(cut, len(plaintext)) for cut in cuts), len(plaintext)]
    chunks = [plaintext[start:end] for start, end in itertools.pairwise(bounds)]

    encryptor = Encryptor(algorithm, key, aad, iv)
    ciphertext = b"".join(encryptor.update(chunk) for chunk in chunks) + encryptor.finalize()
    expected = encrypt(algorithm, key, plaintext, aad, iv)
    assert (ciphertext, encryptor.tag) == (expected.ciphertext, expected.tag)

    decryptor = Decryptor(algorithm, key, aad, iv, encryptor.tag)
    recovered = b"".join(decryptor.update(ciphertext[start:end]) for start, end in itertools.pairwise(bounds))
    assert recovered + decryptor.finalize() == plaintext


def _encrypted_sample() -> tuple[AlgorithmSuite, bytes, bytes, EncryptedData]:
    algorithm = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
    key = random_key(algorithm)
    aad = b"associated data"
    return algorithm, key, aad, encrypt(algorithm, key, b"sixteen byte msg and then some", aad, ZERO_IV)


@settings(max_examples=100, deadline=None)
@given(position=st.integers(min_value=0, max_value=(30 + 16 + len(b"associated data")) * 8 - 1))
def test_any_flipped_bit_in_ciphertext_tag_or_aad_fails_authentication(position: int) -> None:
    algorithm, key, aad, encrypted = _encrypted_sample()
    blob = bytearray(encrypted.ciphertext + (encrypted.tag or b"") + aad)
    blob[position // 8] ^= 1 << (position % 8)
    ciphertext, tag, bad_aad = bytes(blob[:30]), bytes(blob[30:46]), bytes(blob[46:])

    with pytest.raises(BodyAuthenticationError) as one_shot:
        decrypt(algorithm, key, EncryptedData(encrypted.iv, ciphertext, tag), bad_aad)
    decryptor = Decryptor(algorithm, key, bad_aad, ZERO_IV, tag)
    decryptor.update(ciphertext)
    with pytest.raises(BodyAuthenticationError) as streaming:
        decryptor.finalize()

    for failure in (one_shot.value, streaming.value):
        assert isinstance(failure, InvalidTag)
        assert isinstance(failure, SerializationError)


def test_wrong_key_fails_authentication_with_cause_chained() -> None:
    algorithm, _key, aad, encrypted = _encrypted_sample()
    other_key = random_key(algorithm, seed=99)

    with pytest.raises(BodyAuthenticationError, match="authentication failed") as failure:
        decrypt(algorithm, other_key, encrypted, aad)

    assert isinstance(failure.value.__cause__, InvalidTag)


@pytest.mark.parametrize("tag", [None, b"", b"\x00" * 15, b"\x00" * 17])
def test_missing_or_wrong_length_tag_fails_authentication(tag: bytes | None) -> None:
    algorithm, key, aad, encrypted = _encrypted_sample()

    with pytest.raises(BodyAuthenticationError, match="16 bytes"):
        decrypt(algorithm, key, EncryptedData(encrypted.iv, encrypted.ciphertext, tag), aad)
    if tag is not None:
        with pytest.raises(BodyAuthenticationError, match="16 bytes"):
            Decryptor(algorithm, key, aad, ZERO_IV, tag)


@pytest.mark.parametrize("key_length", [0, 16, 24, 31, 33, 64])
def test_key_of_wrong_length_for_suite_is_rejected(key_length: int) -> None:
    algorithm = AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256
    key = b"\x01" * key_length
    message = f"needs a 32-byte key, got {key_length} bytes"

    with pytest.raises(InvalidDataKeyError, match=message):
        encrypt(algorithm, key, b"data", b"", ZERO_IV)
    with pytest.raises(InvalidDataKeyError, match=message):
        decrypt(algorithm, key, EncryptedData(ZERO_IV, b"data", b"\x00" * 16), b"")
    with pytest.raises(InvalidDataKeyError, match=message):
        Encryptor(algorithm, key, b"", ZERO_IV)
    with pytest.raises(InvalidDataKeyError, match=message):
        Decryptor(algorithm, key, b"", ZERO_IV, b"\x00" * 16)


@pytest.mark.parametrize("iv", [b"", b"\x00" * 8, b"\x00" * 11, b"\x00" * 13, b"\x00" * 16])
def test_iv_of_wrong_length_is_rejected(iv: bytes) -> None:
    algorithm = AlgorithmSuite.AES_128_GCM_IV12_TAG16
    key = random_key(algorithm)
    message = f"needs a 12-byte IV, got {len(iv)}"

    with pytest.raises(SerializationError, match=message):
        encrypt(algorithm, key, b"data", b"", iv)
    with pytest.raises(SerializationError, match=message):
        decrypt(algorithm, key, EncryptedData(iv, b"data", b"\x00" * 16), b"")
    with pytest.raises(SerializationError, match=message):
        Encryptor(algorithm, key, b"", iv)
    with pytest.raises(SerializationError, match=message):
        Decryptor(algorithm, key, b"", iv, b"\x00" * 16)


def test_decrypt_without_iv_is_rejected() -> None:
    algorithm, key, aad, encrypted = _encrypted_sample()

    with pytest.raises(SerializationError, match="got none"):
        decrypt(algorithm, key, EncryptedData(None, encrypted.ciphertext, encrypted.tag), aad)


def test_encryptor_tag_before_finalize_is_refused() -> None:
    encryptor = Encryptor(AlgorithmSuite.AES_128_GCM_IV12_TAG16, b"\x00" * 16, b"", ZERO_IV)
    encryptor.update(b"data")

    with pytest.raises(ActionNotAllowedError, match="only after finalize"):
        _ = encryptor.tag


def test_encryptor_refuses_use_after_finalize() -> None:
    encryptor = Encryptor(AlgorithmSuite.AES_128_GCM_IV12_TAG16, b"\x00" * 16, b"", ZERO_IV)
    encryptor.finalize()

    with pytest.raises(ActionNotAllowedError):
        encryptor.update(b"more")
    with pytest.raises(ActionNotAllowedError):
        encryptor.finalize()


def test_decryptor_refuses_use_after_finalize() -> None:
    algorithm = AlgorithmSuite.AES_128_GCM_IV12_TAG16
    encrypted = encrypt(algorithm, b"\x00" * 16, b"", b"", ZERO_IV)
    decryptor = Decryptor(algorithm, b"\x00" * 16, b"", ZERO_IV, encrypted.tag or b"")
    assert decryptor.finalize() == b""

    with pytest.raises(ActionNotAllowedError):
        decryptor.update(b"more")
    with pytest.raises(ActionNotAllowedError):
        decryptor.finalize()


def test_functions_accept_bytearray_and_memoryview_inputs() -> None:
    algorithm = AlgorithmSuite.AES_192_GCM_IV12_TAG16
    key = random_key(algorithm)

    encrypted = encrypt(algorithm, bytearray(key), memoryview(b"plaintext"), bytearray(b"aad"), bytearray(ZERO_IV))

    assert isinstance(encrypted.iv, bytes)
    assert decrypt(algorithm, memoryview(key), encrypted, memoryview(b"aad")) == b"plaintext"
