"""Unit tests of ``aws_encryption_sdk.caches.local``: a thread-safe LRU cache with time-to-live."""

from __future__ import annotations

import random
import threading
import time
import weakref
from collections.abc import Callable

import attrs
import pytest

from aws_encryption_sdk.caches import CryptoMaterialsCacheEntry, CryptoMaterialsCacheEntryHints
from aws_encryption_sdk.caches.base import CryptoMaterialsCache
from aws_encryption_sdk.caches.local import LocalCryptoMaterialsCache
from aws_encryption_sdk.exceptions import CacheKeyError, NotSupportedError
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.materials_managers import DecryptionMaterials, EncryptionMaterials
from aws_encryption_sdk.structures import DataKey, MasterKeyInfo
from test.locking import run_while_holding

NOT_FOUND = "^Key not found in cache$"


def _encryption_materials() -> EncryptionMaterials:
    data_key = DataKey(
        key_provider=MasterKeyInfo(provider_id="p", key_info=b"k"), data_key=b"\x00" * 32, encrypted_data_key=b"e"
    )
    return EncryptionMaterials(
        algorithm=AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
        data_encryption_key=data_key,
        encrypted_data_keys=set(),
        encryption_context={},
    )


def _decryption_materials() -> DecryptionMaterials:
    data_key = DataKey(
        key_provider=MasterKeyInfo(provider_id="p", key_info=b"k"), data_key=b"\x00" * 32, encrypted_data_key=b"e"
    )
    return DecryptionMaterials(data_key=data_key)


def _is_cached(cache: LocalCryptoMaterialsCache, key: bytes) -> bool:
    try:
        cache.get_decryption_materials(key)
    except CacheKeyError:
        return False
    return True


def _short_lived(seconds: float = 0.01) -> CryptoMaterialsCacheEntryHints:
    return CryptoMaterialsCacheEntryHints(lifetime=seconds)


# --- construction ---------------------------------------------------------------------------------


def test_capacity_may_be_positional_or_keyword() -> None:
    assert LocalCryptoMaterialsCache(10).capacity == 10
    assert LocalCryptoMaterialsCache(capacity=3).capacity == 3
    assert [field.name for field in attrs.fields(LocalCryptoMaterialsCache)] == ["capacity"]


def test_repr_shows_the_capacity() -> None:
    assert repr(LocalCryptoMaterialsCache(10)) == "LocalCryptoMaterialsCache(capacity=10)"


@pytest.mark.parametrize("capacity", [0, -1])
def test_capacity_below_one_is_rejected(capacity: int) -> None:
    with pytest.raises(ValueError, match=r"^LocalCryptoMaterialsCache capacity cannot be less than 1$"):
        LocalCryptoMaterialsCache(capacity)


def test_capacity_must_be_an_int() -> None:
    with pytest.raises(TypeError):
        LocalCryptoMaterialsCache("10")  # type: ignore[arg-type]


def test_capacity_cannot_be_modified() -> None:
    cache = LocalCryptoMaterialsCache(10)
    with pytest.raises(
        NotSupportedError, match=r"^capacity may not be modified on LocalCryptoMaterialsCache instances$"
    ):
        cache.capacity = 20
    assert cache.capacity == 10


def test_local_cache_is_a_materials_cache_hashed_by_identity() -> None:
    cache = LocalCryptoMaterialsCache(1)
    assert isinstance(cache, CryptoMaterialsCache)
    assert hash(cache) == object.__hash__(cache)


# --- put / get ------------------------------------------------------------------------------------


def test_get_of_unknown_key_raises_cache_key_error() -> None:
    cache = LocalCryptoMaterialsCache(5)
    with pytest.raises(CacheKeyError, match=NOT_FOUND):
        cache.get_encryption_materials(b"missing", 1)
    with pytest.raises(CacheKeyError, match=NOT_FOUND):
        cache.get_decryption_materials(b"missing")


def test_put_encryption_materials_counts_the_first_message() -> None:
    cache = LocalCryptoMaterialsCache(5)
    materials = _encryption_materials()
    hints = _short_lived(60.0)
    entry = cache.put_encryption_materials(b"key", materials, 100, hints)
    assert (entry.cache_key, entry.value, entry.hints) == (b"key", materials, hints)
    assert (entry.messages_encrypted, entry.bytes_encrypted) == (1, 100)


def test_get_encryption_materials_counts_one_more_message_before_returning() -> None:
    cache = LocalCryptoMaterialsCache(5)
    entry = cache.put_encryption_materials(b"key", _encryption_materials(), 100)
    found = cache.get_encryption_materials(b"key", 30)
    assert found is entry
    assert (found.messages_encrypted, found.bytes_encrypted) == (2, 130)


def test_decryption_materials_are_stored_without_usage_or_lifetime() -> None:
    cache = LocalCryptoMaterialsCache(5)
    materials = _decryption_materials()
    entry = cache.put_decryption_materials(b"key", materials)
    assert entry.hints == CryptoMaterialsCacheEntryHints()
    found = cache.get_decryption_materials(b"key")
    assert found is entry
    assert found.value is materials
    assert (found.messages_encrypted, found.bytes_encrypted) == (0, 0)


def test_put_with_an_existing_key_replaces_and_invalidates_the_old_entry() -> None:
    cache = LocalCryptoMaterialsCache(5)
    old = cache.put_decryption_materials(b"key", _decryption_materials())
    new = cache.put_decryption_materials(b"key", _decryption_materials())
    assert cache.get_decryption_materials(b"key") is new
    assert old.valid is False
    assert new.valid is True


def test_get_of_an_invalidated_entry_misses_and_removes_it() -> None:
    cache = LocalCryptoMaterialsCache(5)
    entry = cache.put_decryption_materials(b"key", _decryption_materials())
    entry.invalidate()
    with pytest.raises(CacheKeyError, match=NOT_FOUND):
        cache.get_decryption_materials(b"key")
    with pytest.raises(CacheKeyError, match=NOT_FOUND):
        cache.remove(entry)


# --- LRU ------------------------------------------------------------------------------------------


def test_capacity_eviction_removes_the_least_recently_used_entry() -> None:
    cache = LocalCryptoMaterialsCache(2)
    entry_a = cache.put_decryption_materials(b"A", _decryption_materials())
    entry_b = cache.put_decryption_materials(b"B", _decryption_materials())
    cache.get_decryption_materials(b"A")
    cache.put_decryption_materials(b"C", _decryption_materials())
    assert _is_cached(cache, b"A")
    assert _is_cached(cache, b"C")
    assert not _is_cached(cache, b"B")
    assert entry_b.valid is False
    assert entry_a.valid is True


def test_without_reads_capacity_eviction_removes_the_oldest_entry() -> None:
    cache = LocalCryptoMaterialsCache(2)
    cache.put_decryption_materials(b"A", _decryption_materials())
    cache.put_decryption_materials(b"B", _decryption_materials())
    cache.put_decryption_materials(b"C", _decryption_materials())
    assert [_is_cached(cache, key) for key in (b"A", b"B", b"C")] == [False, True, True]


def test_encryption_get_also_refreshes_recency() -> None:
    cache = LocalCryptoMaterialsCache(2)
    cache.put_encryption_materials(b"A", _encryption_materials(), 1)
    cache.put_encryption_materials(b"B", _encryption_materials(), 1)
    cache.get_encryption_materials(b"A", 1)
    cache.put_encryption_materials(b"C", _encryption_materials(), 1)
    assert [_is_cached(cache, key) for key in (b"A", b"B", b"C")] == [True, False, True]


def test_re_putting_a_key_makes_it_most_recently_used() -> None:
    cache = LocalCryptoMaterialsCache(2)
    cache.put_decryption_materials(b"A", _decryption_materials())
    cache.put_decryption_materials(b"B", _decryption_materials())
    cache.put_decryption_materials(b"A", _decryption_materials())
    cache.put_decryption_materials(b"C", _decryption_materials())
    assert [_is_cached(cache, key) for key in (b"A", b"B", b"C")] == [True, False, True]


def test_cache_never_holds_more_than_its_capacity() -> None:
    cache = LocalCryptoMaterialsCache(3)
    entries = [cache.put_decryption_materials(bytes([i]), _decryption_materials()) for i in range(10)]
    assert [entry.valid for entry in entries] == [False] * 7 + [True] * 3
    assert [_is_cached(cache, bytes([i])) for i in range(10)] == [False] * 7 + [True] * 3


# --- time-to-live ---------------------------------------------------------------------------------


def test_expired_entry_is_a_miss_and_is_removed() -> None:
    cache = LocalCryptoMaterialsCache(5)
    entry = cache.put_encryption_materials(b"key", _encryption_materials(), 1, _short_lived(0.01))
    assert cache.get_encryption_materials(b"key", 1) is entry
    time.sleep(0.03)
    with pytest.raises(CacheKeyError, match=NOT_FOUND):
        cache.get_encryption_materials(b"key", 1)
    assert entry.valid is False
    with pytest.raises(CacheKeyError, match=NOT_FOUND):
        cache.remove(entry)


def test_expired_entry_is_a_miss_even_before_opportunistic_eviction_reaches_it() -> None:
    cache = LocalCryptoMaterialsCache(50)
    for i in range(20):
        cache.put_decryption_materials(bytes([i]), _decryption_materials())
    entry = cache.put_encryption_materials(b"key", _encryption_materials(), 1, _short_lived(0.01))
    time.sleep(0.03)
    with pytest.raises(CacheKeyError, match=NOT_FOUND):
        cache.get_encryption_materials(b"key", 1)
    assert entry.valid is False


def test_expired_entries_are_evicted_opportunistically_by_other_operations() -> None:
    cache = LocalCryptoMaterialsCache(5)
    expired = cache.put_encryption_materials(b"old", _encryption_materials(), 1, _short_lived(0.01))
    time.sleep(0.03)
    cache.put_decryption_materials(b"other", _decryption_materials())
    assert expired.valid is False


def test_opportunistic_eviction_does_bounded_work_per_operation() -> None:
    cache = LocalCryptoMaterialsCache(100)
    expired = [
        cache.put_encryption_materials(bytes([i]), _encryption_materials(), 1, _short_lived(0.01)) for i in range(50)
    ]
    time.sleep(0.03)
    cache.put_decryption_materials(b"trigger", _decryption_materials())
    assert sum(not entry.valid for entry in expired) == 10
    for _ in range(4):
        cache.put_decryption_materials(b"trigger", _decryption_materials())
    assert all(not entry.valid for entry in expired)


def test_entries_without_lifetime_survive_opportunistic_eviction() -> None:
    cache = LocalCryptoMaterialsCache(50)
    kept = [cache.put_decryption_materials(bytes([i]), _decryption_materials()) for i in range(20)]
    for i in range(30):
        cache.put_encryption_materials(b"x" + bytes([i]), _encryption_materials(), 1)
    assert all(entry.valid for entry in kept)
    assert all(_is_cached(cache, bytes([i])) for i in range(20))


# --- remove / clear -------------------------------------------------------------------------------


def test_remove_invalidates_and_removes_the_entry() -> None:
    cache = LocalCryptoMaterialsCache(5)
    entry = cache.put_decryption_materials(b"key", _decryption_materials())
    cache.remove(entry)
    assert entry.valid is False
    assert not _is_cached(cache, b"key")


def test_remove_of_an_entry_not_in_the_cache_raises_cache_key_error() -> None:
    cache = LocalCryptoMaterialsCache(5)
    entry = cache.put_decryption_materials(b"key", _decryption_materials())
    cache.remove(entry)
    with pytest.raises(CacheKeyError, match=NOT_FOUND):
        cache.remove(entry)
    stranger = CryptoMaterialsCacheEntry(b"other", _decryption_materials())
    with pytest.raises(CacheKeyError, match=NOT_FOUND):
        cache.remove(stranger)


def test_remove_of_a_replaced_entry_keeps_its_replacement() -> None:
    cache = LocalCryptoMaterialsCache(5)
    old = cache.put_decryption_materials(b"key", _decryption_materials())
    new = cache.put_decryption_materials(b"key", _decryption_materials())
    with pytest.raises(CacheKeyError, match=NOT_FOUND):
        cache.remove(old)
    assert cache.get_decryption_materials(b"key") is new


def test_clear_removes_and_invalidates_everything() -> None:
    cache = LocalCryptoMaterialsCache(5)
    entries = [cache.put_decryption_materials(bytes([i]), _decryption_materials()) for i in range(3)]
    cache.clear()
    assert not any(entry.valid for entry in entries)
    assert not any(_is_cached(cache, bytes([i])) for i in range(3))
    cache.put_decryption_materials(b"again", _decryption_materials())
    assert _is_cached(cache, b"again")


def test_cache_does_not_keep_evicted_materials_alive() -> None:
    cache = LocalCryptoMaterialsCache(1)
    materials = _decryption_materials()
    reference = weakref.ref(materials)
    cache.put_decryption_materials(b"A", materials)
    del materials
    cache.put_decryption_materials(b"B", _decryption_materials())
    assert reference() is None


# --- threads --------------------------------------------------------------------------------------

#: Upper bound on waiting for a stress-test thread; only there to turn a deadlock into a failure.
STRESS_JOIN_TIMEOUT_SECONDS = 30.0

_OPERATIONS: dict[str, Callable[[LocalCryptoMaterialsCache, CryptoMaterialsCacheEntry], object]] = {
    "put_encryption_materials": lambda cache, _entry: cache.put_encryption_materials(
        b"new", _encryption_materials(), 1
    ),
    "put_decryption_materials": lambda cache, _entry: cache.put_decryption_materials(b"new", _decryption_materials()),
    "get_encryption_materials": lambda cache, _entry: cache.get_encryption_materials(b"stored", 1),
    "get_decryption_materials": lambda cache, _entry: cache.get_decryption_materials(b"stored"),
    "remove": lambda cache, entry: cache.remove(entry),
    "clear": lambda cache, _entry: cache.clear(),
}


@pytest.mark.parametrize("operation", list(_OPERATIONS))
def test_every_operation_waits_for_the_cache_lock(operation: str) -> None:
    """Each public cache operation blocks while another thread holds the cache's lock, then completes."""
    cache = LocalCryptoMaterialsCache(5)
    stored = cache.put_encryption_materials(b"stored", _encryption_materials(), 1)

    run_while_holding(cache._cache_lock, lambda: _OPERATIONS[operation](cache, stored), operation)


@pytest.mark.usefixtures("frequent_thread_switches")
def test_concurrent_operations_raise_nothing_but_cache_key_errors() -> None:
    """Threads mixing every operation on a tiny cache see no error other than cache misses."""
    cache = LocalCryptoMaterialsCache(2)
    keys = [bytes([i]) for i in range(4)]
    failures: list[BaseException] = []

    def work(seed: int) -> None:
        chooser = random.Random(seed)
        try:
            for _ in range(2000):
                key = chooser.choice(keys)
                action = chooser.randrange(5)
                try:
                    if action == 0:
                        cache.put_encryption_materials(key, _encryption_materials(), 1, _short_lived(0.0005))
                    elif action == 1:
                        cache.put_decryption_materials(key, _decryption_materials())
                    elif action == 2:
                        cache.get_encryption_materials(key, 1)
                    elif action == 3:
                        cache.remove(cache.get_decryption_materials(key))
                    else:
                        cache.get_decryption_materials(key)
                except CacheKeyError:
                    pass
        except BaseException as error:  # anything else is a bug
            failures.append(error)

    threads = [threading.Thread(target=work, args=(seed,), daemon=True) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=STRESS_JOIN_TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
