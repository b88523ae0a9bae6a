"""A crypto materials manager that re-uses materials from a cache.

Generating a data key usually means a call to a key service; the caching manager saves those calls
by re-using the materials of earlier requests that had the same partition, algorithm suite and
encryption context (and, for decryption, the same encrypted data keys). Security limits bound the
re-use: an entry serves materials for at most ``max_age`` seconds, ``max_messages_encrypted``
messages and ``max_bytes_encrypted`` plaintext bytes.

Materials of suites without key derivation are never cached: every message of such a suite
encrypts directly with the data key, so sharing that key across messages is unsafe.
"""

from __future__ import annotations

import logging
import uuid
from typing import Optional, Union, cast

import attrs

from aws_encryption_sdk.caches import (
    CryptoMaterialsCacheEntry,
    CryptoMaterialsCacheEntryHints,
    build_decryption_materials_cache_key,
    build_encryption_materials_cache_key,
)
from aws_encryption_sdk.caches.base import CryptoMaterialsCache
from aws_encryption_sdk.exceptions import CacheKeyError
from aws_encryption_sdk.internal._validators import instance_of, optional_instance_of
from aws_encryption_sdk.internal.defaults import MAX_BYTES_PER_KEY, MAX_MESSAGES_PER_KEY
from aws_encryption_sdk.internal.str_ops import to_bytes
from aws_encryption_sdk.key_providers.base import MasterKeyProvider
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)
from aws_encryption_sdk.materials_managers.base import CryptoMaterialsManager
from aws_encryption_sdk.materials_managers.default import DefaultCryptoMaterialsManager

__all__ = ["CachingCryptoMaterialsManager"]

_LOGGER = logging.getLogger(__name__)


def _partition_name_bytes(value: Union[str, bytes, None]) -> Optional[bytes]:
    result: Optional[bytes] = to_bytes(value)
    return result


@attrs.define(slots=False, unsafe_hash=False, order=True, on_setattr=attrs.setters.NO_OP)
class CachingCryptoMaterialsManager(CryptoMaterialsManager):
    """Crypto materials manager that caches the materials of another manager.

    Give it either a backing materials manager or a master key provider (wrapped in a
    :class:`~aws_encryption_sdk.materials_managers.default.DefaultCryptoMaterialsManager`); the
    backing manager wins when both are given. It is safe to share between threads when its cache
    is.

    Encryption materials are cached only when the plaintext length is known and the suite derives
    its keys; each entry serves at most ``max_messages_encrypted`` messages and
    ``max_bytes_encrypted`` bytes in total, and a single message of ``max_bytes_encrypted`` bytes or
    more is never cached. Decryption entries expire only by age.

    :param cache: the cache to store materials in
    :param max_age: seconds an entry may serve materials (a ``float`` above 0)
    :param max_messages_encrypted: messages an encryption entry may serve (1 to 2**32)
    :param max_bytes_encrypted: plaintext bytes an encryption entry may serve (0 to 2**63 - 1)
    :param partition_name: name that separates this manager's entries from other managers' entries
        in a shared cache (default: a random UUID); ``str`` is stored as UTF-8 bytes
    :param master_key_provider: provider to build a default backing manager from
    :param backing_materials_manager: the manager whose materials are cached
    :raises TypeError: when a parameter has the wrong type (``max_age`` must be a ``float``), or
        neither ``backing_materials_manager`` nor ``master_key_provider`` is given
    :raises ValueError: when a limit is out of range
    """

    cache: CryptoMaterialsCache = attrs.field(validator=instance_of(CryptoMaterialsCache))
    max_age: float = attrs.field(validator=instance_of(float))
    max_messages_encrypted: int = attrs.field(default=MAX_MESSAGES_PER_KEY, validator=instance_of(int))
    max_bytes_encrypted: int = attrs.field(default=MAX_BYTES_PER_KEY, validator=instance_of(int))
    partition_name: Optional[bytes] = attrs.field(
        default=None, converter=_partition_name_bytes, validator=optional_instance_of(bytes)
    )
    master_key_provider: Optional[MasterKeyProvider] = attrs.field(
        default=None,
        validator=optional_instance_of(MasterKeyProvider),
    )
    backing_materials_manager: Optional[CryptoMaterialsManager] = attrs.field(
        default=None,
        validator=optional_instance_of(CryptoMaterialsManager),
    )

    def __attrs_post_init__(self) -> None:
        """Check the limits, pick the backing manager and the partition name."""
        if self.max_messages_encrypted < 1:
            raise ValueError("max_messages_encrypted cannot be less than 1")
        if self.max_bytes_encrypted < 0:
            raise ValueError("max_bytes_encrypted cannot be less than 0")
        if self.max_messages_encrypted > MAX_MESSAGES_PER_KEY:
            raise ValueError(f"max_messages_encrypted cannot exceed {MAX_MESSAGES_PER_KEY}")
        if self.max_bytes_encrypted > MAX_BYTES_PER_KEY:
            raise ValueError(f"max_bytes_encrypted cannot exceed {MAX_BYTES_PER_KEY}")
        if self.max_age <= 0.0:
            raise ValueError("max_age cannot be less than or equal to 0")
        if self.backing_materials_manager is None:
            if self.master_key_provider is None:
                raise TypeError("Either backing_materials_manager or master_key_provider must be defined")
            self.backing_materials_manager = DefaultCryptoMaterialsManager(self.master_key_provider)
        if self.partition_name is None:
            self.partition_name = str(uuid.uuid4()).encode("utf-8")

    @property
    def _backing(self) -> CryptoMaterialsManager:
        backing = self.backing_materials_manager
        assert backing is not None  # set in __attrs_post_init__
        return backing

    @property
    def _partition(self) -> bytes:
        partition = self.partition_name
        assert partition is not None  # set in __attrs_post_init__
        return partition

    def _cache_entry_is_too_old(self, entry: CryptoMaterialsCacheEntry) -> bool:
        """Say whether ``entry`` is older than ``max_age``.

        :param entry: the cache entry
        :returns: True when the entry is too old to use
        """
        return entry.age > self.max_age

    def _cache_entry_has_encrypted_too_many_messages(self, entry: CryptoMaterialsCacheEntry) -> bool:
        """Say whether ``entry`` has served more than ``max_messages_encrypted`` messages.

        :param entry: the cache entry
        :returns: True when the message limit is exceeded
        """
        return entry.messages_encrypted > self.max_messages_encrypted

    def _cache_entry_has_encrypted_too_many_bytes(self, entry: CryptoMaterialsCacheEntry) -> bool:
        """Say whether ``entry`` has served more than ``max_bytes_encrypted`` bytes.

        :param entry: the cache entry
        :returns: True when the byte limit is exceeded
        """
        return entry.bytes_encrypted > self.max_bytes_encrypted

    def _cache_entry_has_exceeded_limits(self, entry: CryptoMaterialsCacheEntry) -> bool:
        """Say whether ``entry`` may no longer serve encryption materials.

        :param entry: the cache entry (its usage already counts the message about to be encrypted)
        :returns: True when the entry is too old or has served too many messages or bytes
        """
        return (
            self._cache_entry_is_too_old(entry)
            or self._cache_entry_has_encrypted_too_many_messages(entry)
            or self._cache_entry_has_encrypted_too_many_bytes(entry)
        )

    def _should_cache_encryption_request(self, request: EncryptionMaterialsRequest) -> bool:
        """Say whether the materials for ``request`` may come from or go to the cache.

        :param request: the encryption materials request
        :returns: False when the plaintext length is unknown or the requested suite has no key derivation
        """
        if request.plaintext_length is None:
            return False
        return request.algorithm is None or request.algorithm.safe_to_cache()

    def _remove_quietly(self, entry: CryptoMaterialsCacheEntry) -> None:
        """Remove ``entry`` from the cache; another thread may have removed or replaced it already."""
        remove = getattr(self.cache, "remove", None)
        if remove is None:
            return
        try:
            remove(entry)
        except CacheKeyError:
            _LOGGER.debug("Cache entry was already gone when its limits ran out")

    def get_encryption_materials(self, request: EncryptionMaterialsRequest) -> EncryptionMaterials:
        """Return cached encryption materials for ``request`` if some are usable, else new ones.

        New materials come from the backing manager and are cached when their suite derives keys
        and the message is shorter than ``max_bytes_encrypted``.

        :param request: the encryption materials request
        :returns: the encryption materials
        """
        if not self._should_cache_encryption_request(request):
            return self._backing.get_encryption_materials(request)
        plaintext_length = request.plaintext_length
        assert plaintext_length is not None  # checked by _should_cache_encryption_request

        # The plaintext stream and length are per message; the cached materials must not depend on them.
        inner_request = EncryptionMaterialsRequest(
            encryption_context=request.encryption_context,
            frame_length=request.frame_length,
            algorithm=request.algorithm,
            commitment_policy=request.commitment_policy,
        )
        cache_key = build_encryption_materials_cache_key(partition=self._partition, request=inner_request)

        try:
            entry = self.cache.get_encryption_materials(cache_key=cache_key, plaintext_length=plaintext_length)
        except CacheKeyError:
            _LOGGER.debug("Encryption materials cache miss")
        else:
            if not self._cache_entry_has_exceeded_limits(entry):
                _LOGGER.debug("Encryption materials cache hit")
                return cast(EncryptionMaterials, entry.value)
            _LOGGER.debug("Cached encryption materials exceeded their limits; fetching new ones")
            self._remove_quietly(entry)

        new_materials = self._backing.get_encryption_materials(inner_request)
        if not new_materials.algorithm.safe_to_cache() or plaintext_length >= self.max_bytes_encrypted:
            return new_materials
        self.cache.put_encryption_materials(
            cache_key=cache_key,
            encryption_materials=new_materials,
            plaintext_length=plaintext_length,
            entry_hints=CryptoMaterialsCacheEntryHints(lifetime=self.max_age),
        )
        return new_materials

    def decrypt_materials(self, request: DecryptionMaterialsRequest) -> DecryptionMaterials:
        """Return cached decryption materials for ``request`` if some are young enough, else new ones.

        Materials of suites without key derivation always come from the backing manager and are
        not cached.

        :param request: the decryption materials request
        :returns: the decryption materials
        """
        if not request.algorithm.safe_to_cache():
            return self._backing.decrypt_materials(request)

        cache_key = build_decryption_materials_cache_key(partition=self._partition, request=request)
        try:
            entry = self.cache.get_decryption_materials(cache_key)
        except CacheKeyError:
            _LOGGER.debug("Decryption materials cache miss")
        else:
            if not self._cache_entry_is_too_old(entry):
                _LOGGER.debug("Decryption materials cache hit")
                return cast(DecryptionMaterials, entry.value)
            _LOGGER.debug("Cached decryption materials are too old; fetching new ones")
            self._remove_quietly(entry)

        new_materials = self._backing.decrypt_materials(request)
        self.cache.put_decryption_materials(cache_key=cache_key, decryption_materials=new_materials)
        return new_materials
