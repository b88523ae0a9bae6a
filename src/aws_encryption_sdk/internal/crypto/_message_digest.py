"""The running hash of a signed message (private).

``hashlib`` is used rather than ``cryptography``'s hash objects: on the benchmark machine it hashes
SHA-384 about a third faster, and the hash of a large signed message costs more than its
encryption. (Hashing on a worker thread beside the encryption was measured too, in
``bench/bench.py``'s signed-suite figures, and gained nothing on two cores, so it is not done.)
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
