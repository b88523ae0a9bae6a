"""An in-memory cryptographic materials cache: least-recently-used, with time-to-live.

The cache holds at most ``capacity`` entries. Every successful lookup makes an entry the most
recently used one; when an insertion goes beyond the capacity, the least recently used entries
are dropped. An entry whose hints give a lifetime expires once it is older than that lifetime: a
lookup treats it as missing and removes it, and every operation also examines a few entries
(at most :data:`_EVICTION_BATCH`) in a ring and drops the expired ones, so expired materials do not
linger even when nobody asks for them. All operations are guarded by one re-entrant lock.
"""

from __future__ import annotations

import collections
import logging
import threading
import weakref
from typing import Any

import attrs

from aws_encryption_sdk.caches import CryptoMaterialsCacheEntry, CryptoMaterialsCacheEntryHints
from aws_encryption_sdk.caches.base import CryptoMaterialsCache
from aws_encryption_sdk.exceptions import CacheKeyError, NotSupportedError
from aws_encryption_sdk.internal._validators import instance_of
from aws_encryption_sdk.materials_managers import DecryptionMaterials, EncryptionMaterials

__all__ = ["LocalCryptoMaterialsCache"]

_LOGGER = logging.getLogger(__name__)

#: Entries examined for expiry by each cache operation.
_EVICTION_BATCH = 10
_NOT_FOUND = "Key not found in cache"


class _CacheState:
    """Types of the private attributes the cache sets on itself (not constructor fields)."""

    _cache_lock: threading.RLock
    _cache: collections.OrderedDict[bytes, CryptoMaterialsCacheEntry]
    _lre_deque: collections.deque[weakref.ref[CryptoMaterialsCacheEntry]]
    _init_completed: bool


# on_setattr=NO_OP: the class defines its own __setattr__, which guards ``capacity``.
@attrs.define(slots=False, unsafe_hash=False, order=True, on_setattr=attrs.setters.NO_OP)
class LocalCryptoMaterialsCache(_CacheState, CryptoMaterialsCache):
    """A thread-safe in-memory cache of at most ``capacity`` entries, evicted least-recently-used first.

    :param capacity: the most entries the cache holds (at least 1); fixed once the cache is built
    :raises TypeError: when ``capacity`` is not an ``int``
    :raises ValueError: when ``capacity`` is below 1
    :raises NotSupportedError: when ``capacity`` is set after construction
    """

    capacity: int = attrs.field(validator=instance_of(int))

    def __attrs_post_init__(self) -> None:
        """Check the capacity and set up the empty store."""
        if self.capacity < 1:
            raise ValueError("LocalCryptoMaterialsCache capacity cannot be less than 1")
        # The lock is re-entrant because removal runs eviction, which may remove again.
        self._cache_lock = threading.RLock()
        # Keys in recency order: the least recently used entry comes first.
        self._cache = collections.OrderedDict()
        # Ring of weak references for expiry checks: the least recently examined is on the right.
        # Weak references let materials that left the cache be freed without waiting for the ring.
        self._lre_deque = collections.deque()
        self._init_completed = True

    def __setattr__(self, name: str, value: Any) -> None:
        """Set an attribute, except ``capacity`` once the cache is built.

        :raises NotSupportedError: when setting ``capacity`` after construction
        """
        if name == "capacity" and getattr(self, "_init_completed", False):
            raise NotSupportedError("capacity may not be modified on LocalCryptoMaterialsCache instances")
        object.__setattr__(self, name, value)

    def _is_current(self, entry: CryptoMaterialsCacheEntry) -> bool:
        """Say whether ``entry`` is the very entry stored under its key."""
        return self._cache.get(entry.cache_key) is entry

    def _delete(self, entry: CryptoMaterialsCacheEntry) -> None:
        """Invalidate ``entry`` and drop it from the store if it is still stored there."""
        entry.invalidate()
        if self._is_current(entry):
            del self._cache[entry.cache_key]

    def _try_to_evict_one_entry(self) -> None:
        """Examine the least recently examined entry: drop it if gone, invalid or expired, else requeue it."""
        with self._cache_lock:
            if not self._lre_deque:
                return
            entry = self._lre_deque.pop()()
            if entry is None or not self._is_current(entry):
                return
            if not entry.valid or entry.is_too_old():
                _LOGGER.debug("Evicting an expired entry from the local materials cache")
                self._delete(entry)
                return
            self._lre_deque.appendleft(weakref.ref(entry))

    def _try_to_evict_some_entries(self) -> None:
        """Examine up to :data:`_EVICTION_BATCH` entries for expiry."""
        with self._cache_lock:
            for _ in range(min(_EVICTION_BATCH, len(self._lre_deque))):
                self._try_to_evict_one_entry()

    def _prune(self) -> None:
        """Drop least recently used entries until the cache is within its capacity."""
        with self._cache_lock:
            while len(self._cache) > self.capacity:
                _key, entry = self._cache.popitem(last=False)
                entry.invalidate()
                _LOGGER.debug("Evicting the least recently used entry from the local materials cache")
                # Its ring reference is stale now; tidy one more slot to keep the ring short.
                self._try_to_evict_one_entry()

    def _add_value_to_cache(self, value: CryptoMaterialsCacheEntry) -> CryptoMaterialsCacheEntry:
        """Store ``value`` as the most recently used entry, replacing any entry with its key.

        :param value: the new entry
        :returns: the entry
        """
        with self._cache_lock:
            self._try_to_evict_some_entries()
            replaced = self._cache.pop(value.cache_key, None)
            if replaced is not None and replaced is not value:
                replaced.invalidate()
            self._cache[value.cache_key] = value
            self._lre_deque.appendleft(weakref.ref(value))
            self._prune()
        return value

    def _get_single_entry(self, cache_key: bytes) -> CryptoMaterialsCacheEntry:
        """Find the usable entry with ``cache_key`` and make it the most recently used one.

        :param cache_key: the cache-entry identifier
        :returns: the entry
        :raises CacheKeyError: when no entry has this identifier, or it is invalid or expired
            (an invalid or expired entry is removed)
        """
        with self._cache_lock:
            self._try_to_evict_some_entries()
            entry = self._cache.get(cache_key)
            if entry is None:
                raise CacheKeyError(_NOT_FOUND)
            if not entry.valid or entry.is_too_old():
                self._delete(entry)
                raise CacheKeyError(_NOT_FOUND)
            self._cache.move_to_end(cache_key)
            return entry

    def put_encryption_materials(
        self,
        cache_key: bytes,
        encryption_materials: EncryptionMaterials,
        plaintext_length: int,
        entry_hints: CryptoMaterialsCacheEntryHints | None = None,
    ) -> CryptoMaterialsCacheEntry:
        """Store encryption materials that are about to encrypt one message.

        :param cache_key: the cache-entry identifier
        :param encryption_materials: the materials to store
        :param plaintext_length: plaintext length of the message the materials encrypt now
        :param entry_hints: advice on the entry's lifetime
        :returns: the new entry, which already counts one message of ``plaintext_length`` bytes
        """
        entry = CryptoMaterialsCacheEntry(
            cache_key=cache_key,
            value=encryption_materials,
            hints=entry_hints if entry_hints is not None else CryptoMaterialsCacheEntryHints(),
        )
        entry._update_with_message_bytes_encrypted(plaintext_length)
        return self._add_value_to_cache(entry)

    def put_decryption_materials(
        self, cache_key: bytes, decryption_materials: DecryptionMaterials
    ) -> CryptoMaterialsCacheEntry:
        """Store decryption materials (with no lifetime).

        :param cache_key: the cache-entry identifier
        :param decryption_materials: the materials to store
        :returns: the new entry
        """
        return self._add_value_to_cache(CryptoMaterialsCacheEntry(cache_key=cache_key, value=decryption_materials))

    def get_encryption_materials(self, cache_key: bytes, plaintext_length: int) -> CryptoMaterialsCacheEntry:
        """Find encryption materials and count one more message of ``plaintext_length`` bytes on them.

        :param cache_key: the cache-entry identifier
        :param plaintext_length: plaintext length of the message the materials will encrypt
        :returns: the entry, with its usage already updated
        :raises CacheKeyError: when no usable entry has this identifier
        """
        with self._cache_lock:
            entry = self._get_single_entry(cache_key)
            entry._update_with_message_bytes_encrypted(plaintext_length)
            return entry

    def get_decryption_materials(self, cache_key: bytes) -> CryptoMaterialsCacheEntry:
        """Find decryption materials.

        :param cache_key: the cache-entry identifier
        :returns: the entry
        :raises CacheKeyError: when no usable entry has this identifier
        """
        return self._get_single_entry(cache_key)

    def remove(self, value: CryptoMaterialsCacheEntry) -> None:
        """Invalidate an entry and remove it from the cache.

        Only this very entry is removed: if another entry has since been stored under the same
        key, that one stays.

        :param value: the entry to remove
        :raises CacheKeyError: when the entry is not (or no longer) in the cache
        """
        with self._cache_lock:
            stored = self._is_current(value)
            value.invalidate()
            if not stored:
                raise CacheKeyError(_NOT_FOUND)
            del self._cache[value.cache_key]
            self._try_to_evict_some_entries()

    def clear(self) -> None:
        """Invalidate and remove every entry."""
        with self._cache_lock:
            for entry in self._cache.values():
                entry.invalidate()
            self._cache = collections.OrderedDict()
            self._lre_deque = collections.deque()
