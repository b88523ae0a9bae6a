"""A cryptographic materials cache that stores nothing."""

from __future__ import annotations

from aws_encryption_sdk.caches import CryptoMaterialsCacheEntry, CryptoMaterialsCacheEntryHints
from aws_encryption_sdk.caches.base import CryptoMaterialsCache
from aws_encryption_sdk.exceptions import CacheKeyError
from aws_encryption_sdk.materials_managers import DecryptionMaterials, EncryptionMaterials

__all__ = ["NullCryptoMaterialsCache"]

_NOT_FOUND = "Key not found in cache"


class NullCryptoMaterialsCache(CryptoMaterialsCache):
    """A cache that never keeps anything: every lookup misses.

    A caching materials manager over this cache asks its backing manager for new materials every
    time, which is useful to turn caching off without changing the calling code.
    """

    def put_encryption_materials(
        self,
        cache_key: bytes,
        encryption_materials: EncryptionMaterials,
        plaintext_length: int,
        entry_hints: CryptoMaterialsCacheEntryHints | None = None,
    ) -> CryptoMaterialsCacheEntry:
        """Build an entry for the materials without storing it.

        :param cache_key: the cache-entry identifier
        :param encryption_materials: the materials
        :param plaintext_length: plaintext length of the message the materials encrypt now
        :param entry_hints: advice on the entry's lifetime
        :returns: the new entry, which the cache does not keep
        """
        entry = CryptoMaterialsCacheEntry(
            cache_key=cache_key,
            value=encryption_materials,
            hints=entry_hints if entry_hints is not None else CryptoMaterialsCacheEntryHints(),
        )
        entry._update_with_message_bytes_encrypted(plaintext_length)
        return entry

    def put_decryption_materials(
        self, cache_key: bytes, decryption_materials: DecryptionMaterials
    ) -> CryptoMaterialsCacheEntry:
        """Build an entry for the materials without storing it.

        :param cache_key: the cache-entry identifier
        :param decryption_materials: the materials
        :returns: the new entry, which the cache does not keep
        """
        return CryptoMaterialsCacheEntry(cache_key=cache_key, value=decryption_materials)

    def get_encryption_materials(self, cache_key: bytes, plaintext_length: int) -> CryptoMaterialsCacheEntry:
        """Always miss.

        :param cache_key: the cache-entry identifier
        :param plaintext_length: plaintext length of the message to encrypt
        :raises CacheKeyError: always
        """
        raise CacheKeyError(_NOT_FOUND)

    def get_decryption_materials(self, cache_key: bytes) -> CryptoMaterialsCacheEntry:
        """Always miss.

        :param cache_key: the cache-entry identifier
        :raises CacheKeyError: always
        """
        raise CacheKeyError(_NOT_FOUND)
