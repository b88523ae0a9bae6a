"""The running hash of a signed message (private).

``hashlib`` is used rather than ``cryptography``'s hash objects: on the benchmark machine it hashes
SHA-384 about a third faster, and the hash of a large signed message costs more than its
encryption. ``hashlib`` also lets go of the GIL while it hashes a large buffer, which lets one-shot
calls hash on a worker thread (see ``internal/_background_hash.py``).
"""

from __future__ import annotations

import hashlib

from aws_encryption_sdk.internal._types import BytesLike


class MessageDigest:
    """A SHA-2 hash of every byte of a message, in order.

    :param name: ``hashlib`` name of the hash (``"sha256"``, ``"sha384"``)
    """

    def __init__(self, name: str) -> None:
        self._hash = hashlib.new(name)

    def update(self, data: BytesLike) -> None:
        """Add ``data`` to the hash."""
        self._hash.update(data)

    def digest(self) -> bytes:
        """Return the digest of everything added so far."""
        return self._hash.digest()
