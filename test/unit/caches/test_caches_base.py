"""Unit tests of ``aws_encryption_sdk.caches.base``."""

from __future__ import annotations

import pytest

from aws_encryption_sdk.caches import CryptoMaterialsCacheEntry, CryptoMaterialsCacheEntryHints
from aws_encryption_sdk.caches.base import CryptoMaterialsCache
from aws_encryption_sdk.exceptions import CacheKeyError
from aws_encryption_sdk.materials_managers import DecryptionMaterials, EncryptionMaterials


def test_base_cache_cannot_be_instantiated() -> None:
    with pytest.raises(TypeError):
        CryptoMaterialsCache()  # type: ignore[abstract]


def test_subclass_missing_a_method_cannot_be_instantiated() -> None:
    class Partial(CryptoMaterialsCache):
        def get_decryption_materials(self, cache_key: bytes) -> CryptoMaterialsCacheEntry:
            raise CacheKeyError("Key not found in cache")

    with pytest.raises(TypeError):
        Partial()  # type: ignore[abstract]


def test_complete_subclass_can_be_instantiated_without_calling_the_base_initialiser() -> None:
    class DictCache(CryptoMaterialsCache):
        def __init__(self) -> None:
            self.entries: dict[bytes, CryptoMaterialsCacheEntry] = {}

        def put_encryption_materials(
            self,
            cache_key: bytes,
            encryption_materials: EncryptionMaterials,
            plaintext_length: int,
            entry_hints: CryptoMaterialsCacheEntryHints | None = None,
        ) -> CryptoMaterialsCacheEntry:
            entry = CryptoMaterialsCacheEntry(cache_key, encryption_materials)
            self.entries[cache_key] = entry
            return entry

        def put_decryption_materials(
            self, cache_key: bytes, decryption_materials: DecryptionMaterials
        ) -> CryptoMaterialsCacheEntry:
            entry = CryptoMaterialsCacheEntry(cache_key, decryption_materials)
            self.entries[cache_key] = entry
            return entry

        def get_encryption_materials(self, cache_key: bytes, plaintext_length: int) -> CryptoMaterialsCacheEntry:
            return self.entries[cache_key]

        def get_decryption_materials(self, cache_key: bytes) -> CryptoMaterialsCacheEntry:
            return self.entries[cache_key]

    cache = DictCache()
    assert isinstance(cache, CryptoMaterialsCache)
    assert cache.entries == {}
