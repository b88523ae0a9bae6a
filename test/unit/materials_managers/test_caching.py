"""Unit tests of ``aws_encryption_sdk.materials_managers.caching``.

The caching manager runs over real collaborators: a local or null cache, and a backing manager
that is a small user subclass of ``CryptoMaterialsManager`` wrapping the default manager over a raw
AES master key, counting the requests it receives.
"""

from __future__ import annotations

import io
import time
import uuid
from typing import Any

import attrs
import pytest

from aws_encryption_sdk.caches import CryptoMaterialsCacheEntry, CryptoMaterialsCacheEntryHints
from aws_encryption_sdk.caches.base import CryptoMaterialsCache
from aws_encryption_sdk.caches.local import LocalCryptoMaterialsCache
from aws_encryption_sdk.caches.null import NullCryptoMaterialsCache
from aws_encryption_sdk.exceptions import CacheKeyError
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    CommitmentPolicy,
    EncryptionKeyType,
    WrappingAlgorithm,
)
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.internal.utils.streams import ROStream
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

COMMITTING = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
NO_KDF_SUITES = [
    AlgorithmSuite.AES_128_GCM_IV12_TAG16,
    AlgorithmSuite.AES_192_GCM_IV12_TAG16,
    AlgorithmSuite.AES_256_GCM_IV12_TAG16,
]
FORBID = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT


def _master_key() -> RawMasterKey:
    return RawMasterKey(
        key_id=b"unit-key",
        provider_id="unit-provider",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=bytes(range(32)),
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )


class CountingCMM(CryptoMaterialsManager):
    """Backing manager that records every request, optionally forcing the suite it answers with."""

    def __init__(self, forced_algorithm: AlgorithmSuite | None = None) -> None:
        self.inner = DefaultCryptoMaterialsManager(_master_key())
        self.forced_algorithm = forced_algorithm
        self.encrypt_requests: list[EncryptionMaterialsRequest] = []
        self.decrypt_requests: list[DecryptionMaterialsRequest] = []

    def get_encryption_materials(self, request: EncryptionMaterialsRequest) -> EncryptionMaterials:
        self.encrypt_requests.append(request)
        if self.forced_algorithm is not None:
            request = attrs.evolve(request, algorithm=self.forced_algorithm)
        return self.inner.get_encryption_materials(request)

    def decrypt_materials(self, request: DecryptionMaterialsRequest) -> DecryptionMaterials:
        self.decrypt_requests.append(request)
        return self.inner.decrypt_materials(request)


def _caching_cmm(
    backing: CountingCMM, cache: CryptoMaterialsCache | None = None, **kwargs: Any
) -> CachingCryptoMaterialsManager:
    kwargs.setdefault("max_age", 60.0)
    return CachingCryptoMaterialsManager(
        cache=cache if cache is not None else LocalCryptoMaterialsCache(10), backing_materials_manager=backing, **kwargs
    )


def _encrypt_request(
    plaintext_length: int | None = 10,
    context: dict[str, str] | None = None,
    algorithm: AlgorithmSuite | None = COMMITTING,
    frame_length: int = 4096,
    policy: CommitmentPolicy | None = None,
) -> EncryptionMaterialsRequest:
    if policy is None:
        committing = algorithm is None or algorithm.is_committing()
        policy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT if committing else FORBID
    return EncryptionMaterialsRequest(
        encryption_context=dict(context or {"purpose": "unit"}),
        frame_length=frame_length,
        commitment_policy=policy,
        plaintext_rostream=ROStream(io.BytesIO(b"x" * (plaintext_length or 0))),
        algorithm=algorithm,
        plaintext_length=plaintext_length,
    )


def _decrypt_request(materials: EncryptionMaterials) -> DecryptionMaterialsRequest:
    return DecryptionMaterialsRequest(
        algorithm=materials.algorithm,
        encrypted_data_keys=set(materials.encrypted_data_keys),
        encryption_context=dict(materials.encryption_context),
        commitment_policy=FORBID,
    )


def _data_keys(materials: list[EncryptionMaterials]) -> int:
    return len({m.data_encryption_key.data_key for m in materials})


# --- construction ---------------------------------------------------------------------------------


def test_fields_are_in_the_original_order_with_the_original_defaults() -> None:
    assert [field.name for field in attrs.fields(CachingCryptoMaterialsManager)] == [
        "cache",
        "max_age",
        "max_messages_encrypted",
        "max_bytes_encrypted",
        "partition_name",
        "master_key_provider",
        "backing_materials_manager",
    ]
    cmm = CachingCryptoMaterialsManager(LocalCryptoMaterialsCache(1), 5.0, master_key_provider=_master_key())
    assert cmm.max_messages_encrypted == 2**32
    assert cmm.max_bytes_encrypted == 2**63 - 1
    assert hash(cmm) == object.__hash__(cmm)


def test_max_age_must_be_a_float() -> None:
    with pytest.raises(TypeError):
        CachingCryptoMaterialsManager(
            cache=LocalCryptoMaterialsCache(1), max_age=600, master_key_provider=_master_key()
        )


def test_cache_must_be_a_materials_cache() -> None:
    with pytest.raises(TypeError):
        CachingCryptoMaterialsManager(cache={}, max_age=1.0, master_key_provider=_master_key())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_messages_encrypted": 0}, "max_messages_encrypted cannot be less than 1"),
        ({"max_bytes_encrypted": -1}, "max_bytes_encrypted cannot be less than 0"),
        ({"max_messages_encrypted": 2**32 + 1}, "max_messages_encrypted cannot exceed 4294967296"),
        ({"max_bytes_encrypted": 2**63}, "max_bytes_encrypted cannot exceed 9223372036854775807"),
        ({"max_age": 0.0}, "max_age cannot be less than or equal to 0"),
        ({"max_age": -1.0}, "max_age cannot be less than or equal to 0"),
    ],
)
def test_out_of_range_limits_raise_value_error(kwargs: dict[str, Any], message: str) -> None:
    kwargs.setdefault("max_age", 1.0)
    with pytest.raises(ValueError, match=rf"^{message}$"):
        CachingCryptoMaterialsManager(cache=LocalCryptoMaterialsCache(1), master_key_provider=_master_key(), **kwargs)


def test_limits_at_their_bounds_are_accepted() -> None:
    cmm = CachingCryptoMaterialsManager(
        cache=LocalCryptoMaterialsCache(1),
        max_age=0.001,
        max_messages_encrypted=2**32,
        max_bytes_encrypted=0,
        master_key_provider=_master_key(),
    )
    assert (cmm.max_messages_encrypted, cmm.max_bytes_encrypted) == (2**32, 0)


def test_neither_backing_manager_nor_provider_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"^Either backing_materials_manager or master_key_provider must be defined$"):
        CachingCryptoMaterialsManager(cache=LocalCryptoMaterialsCache(1), max_age=1.0)


def test_provider_alone_is_wrapped_in_a_default_manager() -> None:
    key = _master_key()
    cmm = CachingCryptoMaterialsManager(cache=LocalCryptoMaterialsCache(1), max_age=1.0, master_key_provider=key)
    assert isinstance(cmm.backing_materials_manager, DefaultCryptoMaterialsManager)
    assert cmm.backing_materials_manager.master_key_provider is key


def test_backing_manager_wins_over_provider() -> None:
    backing = CountingCMM()
    cmm = CachingCryptoMaterialsManager(
        cache=LocalCryptoMaterialsCache(1),
        max_age=1.0,
        master_key_provider=_master_key(),
        backing_materials_manager=backing,
    )
    assert cmm.backing_materials_manager is backing


def test_default_partition_name_is_a_random_uuid_as_bytes() -> None:
    first = _caching_cmm(CountingCMM())
    second = _caching_cmm(CountingCMM())
    assert isinstance(first.partition_name, bytes)
    assert len(first.partition_name) == 36
    assert str(uuid.UUID(first.partition_name.decode("utf-8"))) == first.partition_name.decode("utf-8")
    assert first.partition_name != second.partition_name


def test_str_partition_name_is_stored_as_utf8_bytes() -> None:
    assert _caching_cmm(CountingCMM(), partition_name="répartition").partition_name == "répartition".encode()
    assert _caching_cmm(CountingCMM(), partition_name=b"raw").partition_name == b"raw"


# --- encryption: bypass ---------------------------------------------------------------------------


def test_unknown_plaintext_length_bypasses_the_cache_with_the_original_request() -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing)
    requests = [_encrypt_request(plaintext_length=None) for _ in range(3)]
    results = [cmm.get_encryption_materials(request) for request in requests]
    assert backing.encrypt_requests == requests
    assert all(seen is sent for seen, sent in zip(backing.encrypt_requests, requests, strict=True))
    assert _data_keys(results) == 3


@pytest.mark.parametrize("suite", NO_KDF_SUITES)
def test_requested_suite_without_kdf_bypasses_the_cache(suite: AlgorithmSuite) -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing)
    requests = [_encrypt_request(algorithm=suite) for _ in range(3)]
    results = [cmm.get_encryption_materials(request) for request in requests]
    assert all(seen is sent for seen, sent in zip(backing.encrypt_requests, requests, strict=True))
    assert _data_keys(results) == 3


@pytest.mark.parametrize("suite", NO_KDF_SUITES)
def test_materials_of_a_suite_without_kdf_are_not_cached_even_if_not_requested(suite: AlgorithmSuite) -> None:
    backing = CountingCMM(forced_algorithm=suite)
    cache = LocalCryptoMaterialsCache(10)
    cmm = _caching_cmm(backing, cache=cache)
    results = [cmm.get_encryption_materials(_encrypt_request(algorithm=None, policy=FORBID)) for _ in range(3)]
    assert all(result.algorithm is suite for result in results)
    assert len(backing.encrypt_requests) == 3
    assert _data_keys(results) == 3


# --- encryption: reuse and limits -----------------------------------------------------------------


def test_backing_manager_gets_a_request_without_plaintext_details() -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing)
    request = _encrypt_request(plaintext_length=10, frame_length=512)
    cmm.get_encryption_materials(request)
    (inner,) = backing.encrypt_requests
    assert inner is not request
    assert inner.plaintext_rostream is None
    assert inner.plaintext_length is None
    assert (inner.encryption_context, inner.frame_length, inner.algorithm, inner.commitment_policy) == (
        request.encryption_context,
        512,
        COMMITTING,
        CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
    )


def test_same_request_reuses_the_cached_materials() -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing)
    results = [cmm.get_encryption_materials(_encrypt_request()) for _ in range(4)]
    assert len(backing.encrypt_requests) == 1
    assert all(result is results[0] for result in results)


def test_max_messages_encrypted_two_gives_three_data_keys_for_five_messages() -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing, max_messages_encrypted=2)
    results = [cmm.get_encryption_materials(_encrypt_request()) for _ in range(5)]
    assert len(backing.encrypt_requests) == 3
    keys = [result.data_encryption_key.data_key for result in results]
    assert keys[0] == keys[1] != keys[2] == keys[3] != keys[4]


@pytest.mark.parametrize(
    ("lengths", "backing_calls"),
    [([50, 50], 1), ([50, 50, 1], 2), ([60, 60, 60], 3), ([100], 1), ([100, 100], 2), ([0, 0, 0], 1), ([100, 0], 2)],
)
def test_max_bytes_encrypted_limits_the_bytes_per_data_key(lengths: list[int], backing_calls: int) -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing, max_bytes_encrypted=100)
    for length in lengths:
        cmm.get_encryption_materials(_encrypt_request(plaintext_length=length))
    assert len(backing.encrypt_requests) == backing_calls


def test_message_as_long_as_max_bytes_is_never_cached() -> None:
    backing = CountingCMM()
    cache = LocalCryptoMaterialsCache(10)
    cmm = _caching_cmm(backing, cache=cache, max_bytes_encrypted=100)
    cmm.get_encryption_materials(_encrypt_request(plaintext_length=100))
    cmm.get_encryption_materials(_encrypt_request(plaintext_length=1))
    cmm.get_encryption_materials(_encrypt_request(plaintext_length=1))
    assert len(backing.encrypt_requests) == 2


def test_entry_older_than_max_age_is_replaced() -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing, max_age=0.02)
    first = cmm.get_encryption_materials(_encrypt_request())
    assert cmm.get_encryption_materials(_encrypt_request()) is first
    time.sleep(0.05)
    third = cmm.get_encryption_materials(_encrypt_request())
    assert third is not first
    assert len(backing.encrypt_requests) == 2


class Clock:
    """A ``time.time`` that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(time, "time", clock)
    return clock


def test_entries_are_used_up_to_exactly_max_age_and_never_after(clock: Clock) -> None:
    """cmm-and-caching.md section 3: an entry is replaced when its age is above max_age."""
    backing = CountingCMM()
    cmm = _caching_cmm(backing, max_age=10.0)
    materials = backing.inner.get_encryption_materials(_encrypt_request(algorithm=COMMITTING))
    first_encrypt = cmm.get_encryption_materials(_encrypt_request())
    first_decrypt = cmm.decrypt_materials(_decrypt_request(materials))

    clock.now += 10.0
    assert cmm.get_encryption_materials(_encrypt_request()) is first_encrypt
    assert cmm.decrypt_materials(_decrypt_request(materials)) is first_decrypt
    assert (len(backing.encrypt_requests), len(backing.decrypt_requests)) == (1, 1)

    clock.now += 0.001
    assert cmm.get_encryption_materials(_encrypt_request()) is not first_encrypt
    assert cmm.decrypt_materials(_decrypt_request(materials)) is not first_decrypt
    assert (len(backing.encrypt_requests), len(backing.decrypt_requests)) == (2, 2)


def test_frame_length_and_policy_share_an_entry_but_context_and_suite_do_not() -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing)
    cmm.get_encryption_materials(_encrypt_request(frame_length=4096))
    cmm.get_encryption_materials(_encrypt_request(frame_length=128))
    cmm.get_encryption_materials(_encrypt_request(policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT))
    assert len(backing.encrypt_requests) == 1
    cmm.get_encryption_materials(_encrypt_request(context={"purpose": "other"}))
    cmm.get_encryption_materials(_encrypt_request(algorithm=None))
    cmm.get_encryption_materials(
        _encrypt_request(algorithm=AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384)
    )
    assert len(backing.encrypt_requests) == 4


def test_null_cache_never_reuses() -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing, cache=NullCryptoMaterialsCache())
    results = [cmm.get_encryption_materials(_encrypt_request()) for _ in range(3)]
    assert len(backing.encrypt_requests) == 3
    assert _data_keys(results) == 3


# --- decryption -----------------------------------------------------------------------------------


def test_decryption_materials_are_reused_without_message_limits() -> None:
    backing = CountingCMM()
    materials = backing.inner.get_encryption_materials(_encrypt_request(algorithm=COMMITTING))
    cmm = _caching_cmm(backing, max_messages_encrypted=1, max_bytes_encrypted=0)
    results = [cmm.decrypt_materials(_decrypt_request(materials)) for _ in range(5)]
    assert len(backing.decrypt_requests) == 1
    assert all(result is results[0] for result in results)
    assert results[0].data_key.data_key == materials.data_encryption_key.data_key


def test_decryption_materials_older_than_max_age_are_replaced() -> None:
    backing = CountingCMM()
    materials = backing.inner.get_encryption_materials(_encrypt_request(algorithm=COMMITTING))
    cmm = _caching_cmm(backing, max_age=0.02)
    cmm.decrypt_materials(_decrypt_request(materials))
    cmm.decrypt_materials(_decrypt_request(materials))
    time.sleep(0.05)
    cmm.decrypt_materials(_decrypt_request(materials))
    assert len(backing.decrypt_requests) == 2


@pytest.mark.parametrize("suite", NO_KDF_SUITES)
def test_decryption_materials_of_a_suite_without_kdf_are_never_cached(suite: AlgorithmSuite) -> None:
    backing = CountingCMM()
    materials = backing.inner.get_encryption_materials(_encrypt_request(algorithm=suite))
    cache = LocalCryptoMaterialsCache(10)
    cmm = _caching_cmm(backing, cache=cache)
    requests = [_decrypt_request(materials) for _ in range(3)]
    for request in requests:
        assert cmm.decrypt_materials(request).data_key.data_key == materials.data_encryption_key.data_key
    assert all(seen is sent for seen, sent in zip(backing.decrypt_requests, requests, strict=True))
    assert len(backing.decrypt_requests) == 3


# --- caches that race or are minimal --------------------------------------------------------------


class VanishingCache(LocalCryptoMaterialsCache):
    """A cache where another thread removes each entry right after it is found (a deterministic race)."""

    def get_encryption_materials(self, cache_key: bytes, plaintext_length: int) -> CryptoMaterialsCacheEntry:
        entry = super().get_encryption_materials(cache_key, plaintext_length)
        self.remove(entry)
        return entry

    def get_decryption_materials(self, cache_key: bytes) -> CryptoMaterialsCacheEntry:
        entry = super().get_decryption_materials(cache_key)
        self.remove(entry)
        return entry


def test_entry_removed_concurrently_does_not_break_encryption_when_its_limits_run_out() -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing, cache=VanishingCache(10), max_messages_encrypted=1)
    results = [cmm.get_encryption_materials(_encrypt_request()) for _ in range(3)]
    assert len(backing.encrypt_requests) == 3
    assert _data_keys(results) == 3


def test_entry_removed_concurrently_does_not_break_decryption_when_it_is_too_old() -> None:
    backing = CountingCMM()
    materials = backing.inner.get_encryption_materials(_encrypt_request(algorithm=COMMITTING))
    cmm = _caching_cmm(backing, cache=VanishingCache(10), max_age=0.01)
    cmm.decrypt_materials(_decrypt_request(materials))
    time.sleep(0.03)
    cmm.decrypt_materials(_decrypt_request(materials))
    assert len(backing.decrypt_requests) == 2


class EvictingCache(LocalCryptoMaterialsCache):
    """A cache whose every lookup loses the race against an eviction."""

    def get_encryption_materials(self, cache_key: bytes, plaintext_length: int) -> CryptoMaterialsCacheEntry:
        raise CacheKeyError("Key not found in cache")

    def get_decryption_materials(self, cache_key: bytes) -> CryptoMaterialsCacheEntry:
        raise CacheKeyError("Key not found in cache")


def test_cache_key_error_on_lookup_is_a_miss() -> None:
    backing = CountingCMM()
    materials = backing.inner.get_encryption_materials(_encrypt_request(algorithm=COMMITTING))
    cmm = _caching_cmm(backing, cache=EvictingCache(10))
    cmm.get_encryption_materials(_encrypt_request())
    cmm.get_encryption_materials(_encrypt_request())
    cmm.decrypt_materials(_decrypt_request(materials))
    cmm.decrypt_materials(_decrypt_request(materials))
    assert (len(backing.encrypt_requests), len(backing.decrypt_requests)) == (2, 2)


class MinimalCache(CryptoMaterialsCache):
    """A user cache with only the four abstract methods (no ``remove``)."""

    def __init__(self) -> None:
        self.entries: dict[bytes, CryptoMaterialsCacheEntry] = {}

    def put_encryption_materials(
        self,
        cache_key: bytes,
        encryption_materials: EncryptionMaterials,
        plaintext_length: int,
        entry_hints: CryptoMaterialsCacheEntryHints | None = None,
    ) -> CryptoMaterialsCacheEntry:
        entry = CryptoMaterialsCacheEntry(cache_key, encryption_materials, entry_hints)
        entry._update_with_message_bytes_encrypted(plaintext_length)
        self.entries[cache_key] = entry
        return entry

    def put_decryption_materials(
        self, cache_key: bytes, decryption_materials: DecryptionMaterials
    ) -> CryptoMaterialsCacheEntry:
        entry = CryptoMaterialsCacheEntry(cache_key, decryption_materials)
        self.entries[cache_key] = entry
        return entry

    def get_encryption_materials(self, cache_key: bytes, plaintext_length: int) -> CryptoMaterialsCacheEntry:
        if cache_key not in self.entries:
            raise CacheKeyError("Key not found in cache")
        entry = self.entries[cache_key]
        entry._update_with_message_bytes_encrypted(plaintext_length)
        return entry

    def get_decryption_materials(self, cache_key: bytes) -> CryptoMaterialsCacheEntry:
        if cache_key not in self.entries:
            raise CacheKeyError("Key not found in cache")
        return self.entries[cache_key]


def test_user_cache_without_remove_still_respects_the_limits() -> None:
    backing = CountingCMM()
    cmm = _caching_cmm(backing, cache=MinimalCache(), max_messages_encrypted=2)
    results = [cmm.get_encryption_materials(_encrypt_request()) for _ in range(5)]
    assert len(backing.encrypt_requests) == 3
    assert _data_keys(results) == 3
