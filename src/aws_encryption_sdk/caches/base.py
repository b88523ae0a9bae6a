"""Abstract interface of cryptographic materials caches."""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package imports this module at its end; these names exist by then
    from aws_encryption_sdk.caches import CryptoMaterialsCacheEntry, CryptoMaterialsCacheEntryHints
    from aws_encryption_sdk.materials_managers import DecryptionMaterials, EncryptionMaterials

__all__ = ["CryptoMaterialsCache"]


class CryptoMaterialsCache(metaclass=abc.ABCMeta):
    """A store of encryption and decryption materials, keyed by cache-entry identifiers.

    Implementations must be safe to share between threads. A lookup that finds nothing usable
    raises :class:`~aws_encryption_sdk.exceptions.CacheKeyError`.
    """

    @abc.abstractmethod
    def put_encryption_materials(
        self,
        cache_key: bytes,
        encryption_materials: EncryptionMaterials,
        plaintext_length: int,
        entry_hints: CryptoMaterialsCacheEntryHints | None = None,
    ) -> CryptoMaterialsCacheEntry:
        """Store encryption materials that are about to encrypt one message.

        The new entry counts that first message and its ``plaintext_length`` bytes.

        :param cache_key: the cache-entry identifier
        :param encryption_materials: the materials to store
        :param plaintext_length: plaintext length of the message the materials encrypt now
        :param entry_hints: advice on the entry's lifetime
        :returns: the new entry
        """

    @abc.abstractmethod
    def put_decryption_materials(
        self, cache_key: bytes, decryption_materials: DecryptionMaterials
    ) -> CryptoMaterialsCacheEntry:
        """Store decryption materials.

        :param cache_key: the cache-entry identifier
        :param decryption_materials: the materials to store
        :returns: the new entry
        """

    @abc.abstractmethod
    def get_encryption_materials(self, cache_key: bytes, plaintext_length: int) -> CryptoMaterialsCacheEntry:
        """Find encryption materials and count one more message of ``plaintext_length`` bytes on them.

        :param cache_key: the cache-entry identifier
        :param plaintext_length: plaintext length of the message the materials will encrypt
        :returns: the entry, with its usage already updated
        :raises CacheKeyError: when no usable entry has this identifier
        """

    @abc.abstractmethod
    def get_decryption_materials(self, cache_key: bytes) -> CryptoMaterialsCacheEntry:
        """Find decryption materials.

        :param cache_key: the cache-entry identifier
        :returns: the entry
        :raises CacheKeyError: when no usable entry has this identifier
        """
