"""Whole encrypt/decrypt flows through the caching crypto materials manager.

Data-key re-use is observed with a counting master key: a real ``RawMasterKey`` subclass that
counts how often it generates and decrypts data keys.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import attrs
import pytest

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.caches.local import LocalCryptoMaterialsCache
from aws_encryption_sdk.caches.null import NullCryptoMaterialsCache
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)
from aws_encryption_sdk.materials_managers.base import CryptoMaterialsManager
from aws_encryption_sdk.materials_managers.caching import CachingCryptoMaterialsManager
from aws_encryption_sdk.materials_managers.default import DefaultCryptoMaterialsManager
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey

PLAINTEXT = b"caching flows plaintext"
CONTEXT = {"purpose": "caching-test"}
COMMITTING = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
NO_KDF_SUITES = [
    AlgorithmSuite.AES_128_GCM_IV12_TAG16,
    AlgorithmSuite.AES_192_GCM_IV12_TAG16,
    AlgorithmSuite.AES_256_GCM_IV12_TAG16,
]


class CountingRawMasterKey(RawMasterKey):
    """A raw AES master key that counts the data keys it generates and decrypts."""

    def __init__(self, **kwargs: Any) -> None:
        self._count_lock = threading.Lock()
        self.generated = 0
        self.decrypted = 0

    def _generate_data_key(self, algorithm: AlgorithmSuite, encryption_context: dict[str, str]) -> DataKey:
        with self._count_lock:
            self.generated += 1
        return super()._generate_data_key(algorithm, encryption_context)

    def _decrypt_data_key(
        self, encrypted_data_key: EncryptedDataKey, algorithm: AlgorithmSuite, encryption_context: dict[str, str]
    ) -> DataKey:
        with self._count_lock:
            self.decrypted += 1
        return super()._decrypt_data_key(encrypted_data_key, algorithm, encryption_context)


def _counting_key() -> CountingRawMasterKey:
    return CountingRawMasterKey(
        key_id=b"caching-key",
        provider_id="caching-provider",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=bytes(range(32)),
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )


@pytest.fixture
def key() -> CountingRawMasterKey:
    return _counting_key()


@pytest.fixture
def client() -> EncryptionSDKClient:
    return EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)


@pytest.fixture
def forbid_client() -> EncryptionSDKClient:
    return EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)


def _cmm(key: CountingRawMasterKey, **kwargs: Any) -> CachingCryptoMaterialsManager:
    kwargs.setdefault("cache", LocalCryptoMaterialsCache(10))
    kwargs.setdefault("max_age", 60.0)
    return CachingCryptoMaterialsManager(master_key_provider=key, **kwargs)


def _encrypt(
    client: EncryptionSDKClient, cmm: CryptoMaterialsManager, plaintext: bytes = PLAINTEXT, **kwargs: Any
) -> bytes:
    kwargs.setdefault("encryption_context", CONTEXT)
    kwargs.setdefault("algorithm", COMMITTING)
    ciphertext, _header = client.encrypt(source=plaintext, materials_manager=cmm, **kwargs)
    assert isinstance(ciphertext, bytes)
    return ciphertext


def _decrypt(client: EncryptionSDKClient, cmm: CryptoMaterialsManager, ciphertext: bytes) -> bytes:
    plaintext, _header = client.decrypt(source=ciphertext, materials_manager=cmm)
    assert isinstance(plaintext, bytes)
    return plaintext


class _Unseekable:
    """A plaintext source that can only be read, so its length is unknown in advance."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = len(self._data)
        chunk, self._data = self._data[:size], self._data[size:]
        return chunk


# --- re-use within limits -------------------------------------------------------------------------


def test_messages_with_the_same_context_share_one_data_key(
    client: EncryptionSDKClient, key: CountingRawMasterKey
) -> None:
    cmm = _cmm(key)
    ciphertexts = [_encrypt(client, cmm) for _ in range(5)]
    assert key.generated == 1
    assert all(_decrypt(client, cmm, ciphertext) == PLAINTEXT for ciphertext in ciphertexts)
    assert key.decrypted == 1


def test_signed_suite_materials_are_cached_with_their_signing_key(
    client: EncryptionSDKClient, key: CountingRawMasterKey
) -> None:
    cmm = _cmm(key)
    suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
    ciphertexts = [_encrypt(client, cmm, algorithm=suite) for _ in range(3)]
    assert key.generated == 1
    fresh = _cmm(_counting_key())
    assert all(_decrypt(client, fresh, ciphertext) == PLAINTEXT for ciphertext in ciphertexts)


def test_new_data_key_after_max_messages_encrypted(client: EncryptionSDKClient, key: CountingRawMasterKey) -> None:
    cmm = _cmm(key, max_messages_encrypted=2)
    for _ in range(5):
        _encrypt(client, cmm)
    assert key.generated == 3


@pytest.mark.parametrize(
    ("lengths", "generated"),
    [([50, 50], 1), ([50, 50, 1], 2), ([60, 60, 60], 3), ([100, 100], 2)],
)
def test_new_data_key_after_max_bytes_encrypted(
    client: EncryptionSDKClient, key: CountingRawMasterKey, lengths: list[int], generated: int
) -> None:
    cmm = _cmm(key, max_bytes_encrypted=100)
    for length in lengths:
        plaintext = b"p" * length
        assert _decrypt(client, cmm, _encrypt(client, cmm, plaintext)) == plaintext
    assert key.generated == generated


def test_new_data_key_after_max_age(client: EncryptionSDKClient, key: CountingRawMasterKey) -> None:
    cmm = _cmm(key, max_age=0.05)
    first = _encrypt(client, cmm)
    _encrypt(client, cmm)
    assert key.generated == 1
    time.sleep(0.1)
    _encrypt(client, cmm)
    assert key.generated == 2
    _decrypt(client, cmm, first)
    _decrypt(client, cmm, first)
    assert key.decrypted == 1
    time.sleep(0.1)
    _decrypt(client, cmm, first)
    assert key.decrypted == 2


def test_unknown_plaintext_length_bypasses_the_cache(client: EncryptionSDKClient, key: CountingRawMasterKey) -> None:
    cmm = _cmm(key)
    for _ in range(3):
        ciphertext, _header = client.encrypt(
            source=_Unseekable(PLAINTEXT), materials_manager=cmm, encryption_context=CONTEXT, algorithm=COMMITTING
        )
        assert _decrypt(client, cmm, ciphertext) == PLAINTEXT
    assert key.generated == 3


def test_source_length_makes_an_unseekable_source_cacheable(
    client: EncryptionSDKClient, key: CountingRawMasterKey
) -> None:
    cmm = _cmm(key)
    for _ in range(3):
        client.encrypt(
            source=_Unseekable(PLAINTEXT),
            source_length=len(PLAINTEXT),
            materials_manager=cmm,
            encryption_context=CONTEXT,
            algorithm=COMMITTING,
        )
    assert key.generated == 1


# --- separate entries -----------------------------------------------------------------------------


def test_each_encryption_context_gets_its_own_entry(client: EncryptionSDKClient, key: CountingRawMasterKey) -> None:
    cmm = _cmm(key)
    for _ in range(3):
        _encrypt(client, cmm, encryption_context={"tenant": "a"})
        _encrypt(client, cmm, encryption_context={"tenant": "b"})
    assert key.generated == 2


def test_each_partition_gets_its_own_entries_in_a_shared_cache(
    client: EncryptionSDKClient, key: CountingRawMasterKey
) -> None:
    cache = LocalCryptoMaterialsCache(10)
    first = _cmm(key, cache=cache, partition_name="first")
    second = _cmm(key, cache=cache, partition_name="second")
    same_as_first = _cmm(key, cache=cache, partition_name=b"first")
    ciphertext = _encrypt(client, first)
    _encrypt(client, second)
    _encrypt(client, same_as_first)
    assert key.generated == 2
    _decrypt(client, first, ciphertext)
    _decrypt(client, second, ciphertext)
    _decrypt(client, same_as_first, ciphertext)
    assert key.decrypted == 2


def test_default_partitions_keep_managers_apart_in_a_shared_cache(
    client: EncryptionSDKClient, key: CountingRawMasterKey
) -> None:
    cache = LocalCryptoMaterialsCache(10)
    _encrypt(client, _cmm(key, cache=cache))
    _encrypt(client, _cmm(key, cache=cache))
    assert key.generated == 2


def test_null_cache_never_reuses(client: EncryptionSDKClient, key: CountingRawMasterKey) -> None:
    cmm = _cmm(key, cache=NullCryptoMaterialsCache())
    ciphertexts = [_encrypt(client, cmm) for _ in range(3)]
    for ciphertext in ciphertexts:
        assert _decrypt(client, cmm, ciphertext) == PLAINTEXT
    assert (key.generated, key.decrypted) == (3, 3)


# --- decryption re-use ----------------------------------------------------------------------------


def test_decryption_materials_are_reused_across_messages_from_one_entry(
    client: EncryptionSDKClient, key: CountingRawMasterKey
) -> None:
    first_writer = _cmm(key)
    second_writer = _cmm(key)
    ciphertexts = [_encrypt(client, first_writer) for _ in range(3)] + [_encrypt(client, second_writer)]
    assert key.generated == 2
    reader_key = _counting_key()
    reader = _cmm(reader_key)
    for _ in range(2):
        for ciphertext in ciphertexts:
            assert _decrypt(client, reader, ciphertext) == PLAINTEXT
    assert reader_key.decrypted == 2


# --- suites without key derivation ----------------------------------------------------------------


@pytest.mark.parametrize("suite", NO_KDF_SUITES)
def test_suite_without_kdf_bypasses_the_cache_on_encrypt_and_decrypt(
    forbid_client: EncryptionSDKClient, key: CountingRawMasterKey, suite: AlgorithmSuite
) -> None:
    cmm = _cmm(key)
    ciphertexts = [_encrypt(forbid_client, cmm, algorithm=suite) for _ in range(3)]
    assert key.generated == 3
    for ciphertext in ciphertexts:
        assert _decrypt(forbid_client, cmm, ciphertext) == PLAINTEXT
        assert _decrypt(forbid_client, cmm, ciphertext) == PLAINTEXT
    assert key.decrypted == 6


@attrs.define(slots=False)
class ForcingCMM(CryptoMaterialsManager):
    """A user manager that always answers with one suite, whatever the request asked for."""

    inner: DefaultCryptoMaterialsManager
    suite: AlgorithmSuite

    def get_encryption_materials(self, request: EncryptionMaterialsRequest) -> EncryptionMaterials:
        return self.inner.get_encryption_materials(attrs.evolve(request, algorithm=self.suite))

    def decrypt_materials(self, request: DecryptionMaterialsRequest) -> DecryptionMaterials:
        return self.inner.decrypt_materials(request)


@pytest.mark.parametrize("suite", NO_KDF_SUITES)
def test_suite_without_kdf_chosen_by_the_backing_manager_is_not_cached(
    forbid_client: EncryptionSDKClient, key: CountingRawMasterKey, suite: AlgorithmSuite
) -> None:
    cmm = CachingCryptoMaterialsManager(
        cache=LocalCryptoMaterialsCache(10),
        max_age=60.0,
        backing_materials_manager=ForcingCMM(DefaultCryptoMaterialsManager(key), suite),
    )
    for _ in range(3):
        ciphertext = _encrypt(forbid_client, cmm, algorithm=None)
        assert _decrypt(forbid_client, cmm, ciphertext) == PLAINTEXT
    assert (key.generated, key.decrypted) == (3, 3)


def test_non_committing_suite_with_kdf_is_cached(forbid_client: EncryptionSDKClient, key: CountingRawMasterKey) -> None:
    cmm = _cmm(key)
    for _ in range(3):
        ciphertext = _encrypt(forbid_client, cmm, algorithm=AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256)
        assert _decrypt(forbid_client, cmm, ciphertext) == PLAINTEXT
    assert (key.generated, key.decrypted) == (1, 1)


# --- capacity -------------------------------------------------------------------------------------


def test_capacity_eviction_follows_least_recent_use(client: EncryptionSDKClient, key: CountingRawMasterKey) -> None:
    cmm = _cmm(key, cache=LocalCryptoMaterialsCache(2))

    def encrypt_for(tenant: str) -> None:
        _encrypt(client, cmm, encryption_context={"tenant": tenant})

    encrypt_for("A")
    encrypt_for("B")
    encrypt_for("A")
    assert key.generated == 2
    encrypt_for("C")  # evicts B, the least recently used
    assert key.generated == 3
    encrypt_for("A")
    assert key.generated == 3
    encrypt_for("B")
    assert key.generated == 4
