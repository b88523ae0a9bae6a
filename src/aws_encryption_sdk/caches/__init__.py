"""Caches of cryptographic materials: cache entries and cache-entry identifiers.

The caches themselves live in the submodules :mod:`~aws_encryption_sdk.caches.base` (the abstract
interface), :mod:`~aws_encryption_sdk.caches.local` (an in-memory LRU cache with time-to-live) and
:mod:`~aws_encryption_sdk.caches.null` (a cache that stores nothing).

A cache-entry identifier is a SHA-512 digest built from the partition name, the algorithm suite
and the serialized encryption context (plus, for decryption, the serialized encrypted data keys).
The byte recipe is fixed so that identifiers stay stable across versions.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any, Union

import attrs

from aws_encryption_sdk.exceptions import NotSupportedError
from aws_encryption_sdk.internal._validators import instance_of, optional_instance_of
from aws_encryption_sdk.internal.formatting.encryption_context import serialize_encryption_context
from aws_encryption_sdk.internal.formatting.serialize import serialize_encrypted_data_key
from aws_encryption_sdk.internal.str_ops import to_bytes
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)

__all__ = [
    "CryptoMaterialsCacheEntry",
    "CryptoMaterialsCacheEntryHints",
    "build_decryption_materials_cache_key",
    "build_encryption_materials_cache_key",
    "base",
    "local",
    "null",
]

#: Separates the variable-length list of EDK digests from the context digest in decryption keys.
_EDK_LIST_TERMINATOR = b"\x00" * 64
#: Marks an encryption key computed for a request that named no algorithm suite.
_NO_ALGORITHM_MARKER = b"\x00"
#: Marks an encryption key computed for a request that named an algorithm suite.
_ALGORITHM_MARKER = b"\x01"

_Materials = Union[EncryptionMaterials, DecryptionMaterials]


def _sha512(data: bytes) -> bytes:
    return hashlib.sha512(data).digest()


def _partition_digest(partition: bytes | str) -> bytes:
    partition_bytes: bytes = to_bytes(partition)
    return _sha512(partition_bytes)


def _encryption_context_digest(encryption_context: dict[Any, Any]) -> bytes:
    return _sha512(serialize_encryption_context(encryption_context))


def build_encryption_materials_cache_key(partition: bytes, request: EncryptionMaterialsRequest) -> bytes:
    """Compute the cache-entry identifier of an encryption materials request.

    ``SHA512(SHA512(partition) || suite part || SHA512(serialized encryption context))`` where the
    suite part is ``0x00`` when the request names no suite and ``0x01`` followed by the two-byte
    suite id otherwise.

    :param partition: the partition name of the caching materials manager
    :param request: the encryption materials request (its context, before any signing key is added)
    :returns: the 64-byte identifier
    :raises SerializationError: when the encryption context cannot be serialized
    """
    if request.algorithm is None:
        suite_part = _NO_ALGORITHM_MARKER
    else:
        suite_part = _ALGORITHM_MARKER + bytes(request.algorithm.id_as_bytes())
    return _sha512(_partition_digest(partition) + suite_part + _encryption_context_digest(request.encryption_context))


def build_decryption_materials_cache_key(partition: bytes, request: DecryptionMaterialsRequest) -> bytes:
    """Compute the cache-entry identifier of a decryption materials request.

    ``SHA512(SHA512(partition) || suite id || sorted SHA512 of each serialized EDK || 64 zero bytes ||
    SHA512(serialized encryption context))``. The EDK digests are sorted bytewise, so the order of the
    encrypted data keys does not matter.

    :param partition: the partition name of the caching materials manager
    :param request: the decryption materials request
    :returns: the 64-byte identifier
    :raises SerializationError: when the encryption context cannot be serialized
    """
    edk_digests = sorted(_sha512(serialize_encrypted_data_key(edk)) for edk in request.encrypted_data_keys)
    return _sha512(
        _partition_digest(partition)
        + bytes(request.algorithm.id_as_bytes())
        + b"".join(edk_digests)
        + _EDK_LIST_TERMINATOR
        + _encryption_context_digest(request.encryption_context)
    )


@attrs.define(slots=False, unsafe_hash=False, order=True, on_setattr=attrs.setters.NO_OP)
class CryptoMaterialsCacheEntryHints:
    """Advice from the caller on how long a cache entry may live.

    :param lifetime: seconds after creation at which the entry expires (None: no expiry)
    """

    lifetime: float | None = attrs.field(default=None, validator=optional_instance_of(float))


_ENTRY_IMMUTABLE_MESSAGE = "Attributes may not be set on CryptoMaterialsCacheEntry objects"


class _EntryState:
    """Types of the attributes an entry sets on itself after construction (not constructor fields)."""

    creation_time: float
    bytes_encrypted: int
    messages_encrypted: int
    valid: bool
    lock: threading.Lock
    _init_completed: bool


# on_setattr=NO_OP: the class defines its own __setattr__, which refuses every assignment.
@attrs.define(slots=False, unsafe_hash=False, order=True, on_setattr=attrs.setters.NO_OP)
class CryptoMaterialsCacheEntry(_EntryState):
    """One cached set of materials and its usage.

    Besides its fields, an entry carries ``creation_time`` (seconds since the epoch),
    ``bytes_encrypted`` and ``messages_encrypted`` (usage so far), ``valid`` and a ``lock`` that
    guards the usage counters. No attribute may be set once the entry is built; usage changes only
    through :meth:`_update_with_message_bytes_encrypted` and validity through :meth:`invalidate`.

    :param cache_key: the cache-entry identifier
    :param value: the cached encryption or decryption materials
    :param hints: advice on the entry's lifetime
    :raises NotSupportedError: when an attribute is set after construction
    """

    cache_key: bytes = attrs.field(validator=instance_of(bytes))
    value: _Materials = attrs.field(validator=instance_of((EncryptionMaterials, DecryptionMaterials)))
    hints: CryptoMaterialsCacheEntryHints | None = attrs.field(
        factory=CryptoMaterialsCacheEntryHints,
        validator=optional_instance_of(CryptoMaterialsCacheEntryHints),
    )

    def __attrs_post_init__(self) -> None:
        """Start the entry's clock and usage counters, then freeze the entry."""
        object.__setattr__(self, "creation_time", time.time())
        object.__setattr__(self, "bytes_encrypted", 0)
        object.__setattr__(self, "messages_encrypted", 0)
        object.__setattr__(self, "valid", True)
        object.__setattr__(self, "lock", threading.Lock())
        object.__setattr__(self, "_init_completed", True)

    def __setattr__(self, name: str, value: Any) -> None:
        """Set an attribute while the entry is being built; refuse it afterwards.

        :raises NotSupportedError: when the entry is already built
        """
        if getattr(self, "_init_completed", False):
            raise NotSupportedError(_ENTRY_IMMUTABLE_MESSAGE)
        object.__setattr__(self, name, value)

    @property
    def age(self) -> float:
        """Seconds since the entry was created."""
        return time.time() - self.creation_time

    def is_too_old(self) -> bool:
        """Say whether the entry has outlived the lifetime given in its hints.

        :returns: False when the hints give no lifetime, else whether the age exceeds it
        """
        if self.hints is None or self.hints.lifetime is None:
            return False
        return self.age > self.hints.lifetime

    def _update_with_message_bytes_encrypted(self, bytes_encrypted: int) -> None:
        """Record one more message of ``bytes_encrypted`` bytes encrypted with these materials.

        :param bytes_encrypted: plaintext length of the message
        """
        with self.lock:
            object.__setattr__(self, "messages_encrypted", self.messages_encrypted + 1)
            object.__setattr__(self, "bytes_encrypted", self.bytes_encrypted + bytes_encrypted)

    def invalidate(self) -> None:
        """Mark the entry as no longer usable."""
        object.__setattr__(self, "valid", False)


# Imported last: the submodules import the names above from this package.
from aws_encryption_sdk.caches import base, local, null  # noqa: E402
