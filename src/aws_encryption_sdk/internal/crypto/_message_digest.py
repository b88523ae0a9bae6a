"""The running hash of a signed message, computed beside the encryption (private).

``hashlib`` releases the GIL while it hashes a large buffer, and AES-GCM in ``cryptography``
does not, so handing each large chunk to a worker thread lets the two run on two cores: the
message's next frames are sealed or opened while the previous ones are hashed. Chunks are hashed
strictly in order (one chunk in flight per digest) and the digest waits for them before it ends.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Optional

from aws_encryption_sdk.internal._types import BytesLike

#: Chunks at least this long are hashed on a worker thread; smaller ones right away.
BACKGROUND_MIN_BYTES = 64 * 1024

_EXECUTOR: Optional[ThreadPoolExecutor] = None
_EXECUTOR_LOCK = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _EXECUTOR  # noqa: PLW0603 - one shared pool, created on first use
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = ThreadPoolExecutor(max_workers=4, thread_name_prefix="aws-encryption-sdk-digest")
        return _EXECUTOR


class MessageDigest:
    """A SHA-2 hash fed in order, large chunks on a worker thread.

    :param name: ``hashlib`` name of the hash (``"sha256"``, ``"sha384"``)
    """

    def __init__(self, name: str) -> None:
        self._hash = hashlib.new(name)
        self._pending: Optional[Future[None]] = None

    def update(self, data: BytesLike) -> None:
        """Add ``data`` (copied when large, so the caller may reuse its buffer)."""
        self._wait()
        if len(data) >= BACKGROUND_MIN_BYTES:
            self._pending = _executor().submit(self._hash.update, bytes(data))
        else:
            self._hash.update(data)

    def digest(self) -> bytes:
        """Wait for every chunk and return the digest."""
        self._wait()
        return self._hash.digest()

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()
