"""Unit tests for aws_encryption_sdk.internal.crypto.data_keys.

Known answers come from the worked examples of the message-format digest; where the digest gives
no intermediate value (examples E and F) the derived key is checked by authenticating the
example's header tag with it.
"""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import NotSupportedError
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal.crypto import encryption
from aws_encryption_sdk.internal.crypto.data_keys import (
    COMMIT_LABEL,
    KEY_LABEL,
    L_C,
    _hkdf_extract,
    calculate_commitment_key,
    derive_data_encryption_key,
    derive_message_keys,
)
from aws_encryption_sdk.internal.structures import EncryptedData

ALL_SUITES = list(AlgorithmSuite)
COMMITTING_SUITES = [suite for suite in ALL_SUITES if suite.is_committing()]
NON_COMMITTING_SUITES = [suite for suite in ALL_SUITES if not suite.is_committing()]
NO_KDF_SUITES = [suite for suite in ALL_SUITES if suite.kdf_type is None]
V1_KDF_SUITES = [suite for suite in NON_COMMITTING_SUITES if suite.kdf_type is not None]

EXAMPLE_A_DERIVED_KEY = "9200fed5c033d0b8ced40ebed1ade73435a755ea77bfb46e98c6ce9b8884e4ec"
EXAMPLE_B_PRK = (
    "8f2e8c9719a5b34afd9d9fbc9b374253c01a01bd665e4b90566a169e50e97de8"
    "1782b7e9e20dad0d168565b7ba7233f38cd0b8104851be7c6e5fedf199566cb1"
)
EXAMPLE_B_DERIVED_KEY = "3e62b1782fa6cd24cb499a3145b6434ef620aaf51a54bbe6535aad3e7c315b0d"
EXAMPLE_B_COMMITMENT_KEY = "dcc854dc52b454466f9cb671b16bcfee7137d807315556f87f91ea75fcbeae78"
EXAMPLE_D_DERIVED_KEY = "15211ff7eadd78b0d1b5a548a36a573171151605c83a03fd94621c49d8581554"
EXAMPLE_D_COMMITMENT_KEY = "a3ac48bd8c70822246e5784fb91e4aeeff628ef3a5e070833a0cb78f8c502c8b"


def test_labels_and_commitment_length_match_the_specification() -> None:
    assert KEY_LABEL == b"DERIVEKEY"
    assert COMMIT_LABEL == b"COMMITKEY"
    assert L_C == 32


def test_example_a_v1_hkdf_sha256_derived_key(examples: dict[str, Any]) -> None:
    example = examples["A"]

    key = derive_data_encryption_key(
        example.data_key, AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, example.message_id
    )

    assert key.hex() == EXAMPLE_A_DERIVED_KEY


def test_example_b_prk_is_hmac_sha512_keyed_with_message_id(examples: dict[str, Any]) -> None:
    example = examples["B"]

    prk = _hkdf_extract(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, example.message_id, example.data_key)

    assert prk.hex() == EXAMPLE_B_PRK


@pytest.mark.parametrize(
    ("name", "derived_key", "commitment_key"),
    [
        ("B", EXAMPLE_B_DERIVED_KEY, EXAMPLE_B_COMMITMENT_KEY),
        ("D", EXAMPLE_D_DERIVED_KEY, EXAMPLE_D_COMMITMENT_KEY),
    ],
)
def test_committing_examples_derived_and_commitment_keys(
    examples: dict[str, Any], name: str, derived_key: str, commitment_key: str
) -> None:
    example = examples[name]
    suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY

    assert derive_data_encryption_key(example.data_key, suite, example.message_id).hex() == derived_key
    assert calculate_commitment_key(example.data_key, suite, example.message_id).hex() == commitment_key
    assert derive_message_keys(example.data_key, suite, example.message_id) == (
        bytes.fromhex(derived_key),
        bytes.fromhex(commitment_key),
    )


@pytest.mark.parametrize("name", ["B", "D", "E"])
def test_commitment_key_equals_suite_data_stored_in_example_header(examples: dict[str, Any], name: str) -> None:
    example = examples[name]
    suite = AlgorithmSuite.get_by_id(int.from_bytes(example.data[1:3], "big"))
    stored_commitment = example.header_body[-L_C:]

    assert calculate_commitment_key(example.data_key, suite, example.message_id) == stored_commitment


@pytest.mark.parametrize(
    ("name", "suite"),
    [
        ("A", AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256),
        ("B", AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY),
        ("C", AlgorithmSuite.AES_128_GCM_IV12_TAG16),
        ("D", AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY),
        ("E", AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384),
        ("F", AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256),
    ],
)
def test_derived_key_authenticates_example_header(examples: dict[str, Any], name: str, suite: AlgorithmSuite) -> None:
    example = examples[name]
    key, _ = derive_message_keys(example.data_key, suite, example.message_id)

    plaintext = encryption.decrypt(
        suite, key, EncryptedData(b"\x00" * 12, b"", example.header_tag), example.header_body
    )

    assert plaintext == b""


@pytest.mark.parametrize("algorithm", NO_KDF_SUITES, ids=lambda suite: suite.name)
def test_no_kdf_suites_use_the_data_key_itself(algorithm: AlgorithmSuite) -> None:
    data_key = bytes(range(algorithm.data_key_len))

    assert derive_data_encryption_key(data_key, algorithm, b"\x01" * 16) == data_key
    assert derive_message_keys(data_key, algorithm, b"\x01" * 16) == (data_key, None)


@settings(max_examples=50, deadline=None)
@given(
    algorithm=st.sampled_from(V1_KDF_SUITES),
    data_key=st.binary(min_size=32, max_size=32),
    message_id=st.binary(min_size=16, max_size=16),
)
def test_v1_derivation_is_hkdf_without_salt_and_suite_id_message_id_info(
    algorithm: AlgorithmSuite, data_key: bytes, message_id: bytes
) -> None:
    source_key = data_key[: algorithm.data_key_len]
    assert algorithm.kdf_hash_type is not None
    reference = HKDF(
        algorithm=algorithm.kdf_hash_type(),
        length=algorithm.data_key_len,
        salt=None,
        info=bytes(algorithm.id_as_bytes()) + message_id,
    ).derive(source_key)

    assert derive_data_encryption_key(source_key, algorithm, message_id) == reference


@settings(max_examples=50, deadline=None)
@given(
    algorithm=st.sampled_from(COMMITTING_SUITES),
    data_key=st.binary(min_size=32, max_size=32),
    message_id=st.binary(min_size=32, max_size=32),
)
def test_v2_derivation_is_hkdf_sha512_salted_with_message_id(
    algorithm: AlgorithmSuite, data_key: bytes, message_id: bytes
) -> None:
    derived = HKDF(
        algorithm=hashes.SHA512(), length=32, salt=message_id, info=bytes(algorithm.id_as_bytes()) + b"DERIVEKEY"
    ).derive(data_key)
    commitment = HKDF(algorithm=hashes.SHA512(), length=32, salt=message_id, info=b"COMMITKEY").derive(data_key)

    assert derive_data_encryption_key(data_key, algorithm, message_id) == derived
    assert calculate_commitment_key(data_key, algorithm, message_id) == commitment
    assert derive_message_keys(data_key, algorithm, message_id) == (derived, commitment)


@settings(max_examples=50, deadline=None)
@given(
    algorithm=st.sampled_from(ALL_SUITES),
    data_key=st.binary(min_size=32, max_size=32),
    message_id=st.binary(min_size=32, max_size=32),
)
def test_derive_message_keys_agrees_with_the_single_purpose_functions(
    algorithm: AlgorithmSuite, data_key: bytes, message_id: bytes
) -> None:
    source_key = data_key[: algorithm.data_key_len]
    mid = message_id[: algorithm.message_id_length()]

    key, commitment = derive_message_keys(source_key, algorithm, mid)

    assert key == derive_data_encryption_key(source_key, algorithm, mid)
    assert len(key) == algorithm.data_key_len
    if algorithm.is_committing():
        assert commitment == calculate_commitment_key(source_key, algorithm, mid)
    else:
        assert commitment is None


def test_different_message_ids_give_different_keys() -> None:
    suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
    first = derive_message_keys(b"\x42" * 32, suite, b"\x00" * 32)
    second = derive_message_keys(b"\x42" * 32, suite, b"\x00" * 31 + b"\x01")

    assert first[0] != second[0]
    assert first[1] != second[1]


def test_derivation_accepts_bytearray_and_memoryview_inputs(examples: dict[str, Any]) -> None:
    example = examples["B"]
    suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY

    key = derive_data_encryption_key(bytearray(example.data_key), suite, memoryview(example.message_id))

    assert key.hex() == EXAMPLE_B_DERIVED_KEY


@pytest.mark.parametrize("algorithm", NON_COMMITTING_SUITES, ids=lambda suite: suite.name)
def test_commitment_key_refused_for_non_committing_suite(algorithm: AlgorithmSuite) -> None:
    with pytest.raises(NotSupportedError, match="does not commit"):
        calculate_commitment_key(b"\x42" * algorithm.data_key_len, algorithm, b"\x00" * 16)
