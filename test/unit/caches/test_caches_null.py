"""Unit tests of ``aws_encryption_sdk.caches.null``."""

from __future__ import annotations

import pytest

from aws_encryption_sdk.caches import CryptoMaterialsCacheEntryHints
from aws_encryption_sdk.caches.base import CryptoMaterialsCache
from aws_encryption_sdk.caches.null import NullCryptoMaterialsCache
from aws_encryption_sdk.exceptions import CacheKeyError
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.materials_managers import DecryptionMaterials, EncryptionMaterials
from aws_encryption_sdk.structures import DataKey, MasterKeyInfo

DATA_KEY = DataKey(
    key_provider=MasterKeyInfo(provider_id="p", key_info=b"k"), data_key=b"\x00" * 32, encrypted_data_key=b"e"
)
ENCRYPTION_MATERIALS = EncryptionMaterials(
    algorithm=AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
    data_encryption_key=DATA_KEY,
    encrypted_data_keys=set(),
    encryption_context={},
)
DECRYPTION_MATERIALS = DecryptionMaterials(data_key=DATA_KEY)


def test_null_cache_is_a_materials_cache() -> None:
    assert isinstance(NullCryptoMaterialsCache(), CryptoMaterialsCache)


def test_put_encryption_materials_returns_an_entry_that_is_not_kept() -> None:
    cache = NullCryptoMaterialsCache()
    hints = CryptoMaterialsCacheEntryHints(lifetime=5.0)
    entry = cache.put_encryption_materials(b"key", ENCRYPTION_MATERIALS, 7, hints)
    assert entry.cache_key == b"key"
    assert entry.value is ENCRYPTION_MATERIALS
    assert entry.hints is hints
    assert (entry.messages_encrypted, entry.bytes_encrypted) == (1, 7)
    with pytest.raises(CacheKeyError, match=r"^Key not found in cache$"):
        cache.get_encryption_materials(b"key", 7)


def test_put_decryption_materials_returns_an_entry_that_is_not_kept() -> None:
    cache = NullCryptoMaterialsCache()
    entry = cache.put_decryption_materials(b"key", DECRYPTION_MATERIALS)
    assert entry.value is DECRYPTION_MATERIALS
    with pytest.raises(CacheKeyError, match=r"^Key not found in cache$"):
        cache.get_decryption_materials(b"key")
