"""Hashing large buffers on a worker thread while the caller encrypts or decrypts (private).

``hashlib`` lets go of the GIL while it hashes a large buffer, and ``cryptography``'s AES-GCM
calls do not, so on two or more cores a signed message's hash and its encryption or decryption
can run side by side. The figures are in ``bench/bench.py``'s signed-suite rows.
"""

from __future__ import annotations

import queue
import threading
from types import TracebackType
from typing import Optional, Protocol

#: Below this many bytes a thread costs more than it saves: hash on the calling thread instead.
MIN_BACKGROUND_BYTES = 1 << 20


class _Digest(Protocol):
    def update(self, data: memoryview) -> None: ...


class BackgroundDigest:
    """Feeds buffers to a digest on one worker thread, in the order they are added.

    Use it as a context manager: leaving the ``with`` block waits until every buffer is hashed
    (also when the block raised), and re-raises a failure of the worker. Until then the caller
    must not touch the digest, nor change a buffer it added. When no thread can be started (at
    interpreter shutdown, or at the thread limit) every buffer is hashed on the calling thread.

    :param digest: the running hash (a :class:`~aws_encryption_sdk.internal.crypto.authentication.Verifier`
        or :class:`~aws_encryption_sdk.internal.crypto.authentication.Signer`)
    """

    def __init__(self, digest: _Digest) -> None:
        self._digest = digest
        self._pending: queue.SimpleQueue[Optional[memoryview]] = queue.SimpleQueue()
        self._failure: Optional[BaseException] = None
        self._worker: Optional[threading.Thread] = threading.Thread(
            target=self._work, name="aws-encryption-sdk-hash", daemon=True
        )

    def __enter__(self) -> BackgroundDigest:
        assert self._worker is not None
        try:
            self._worker.start()
        except RuntimeError:  # "can't start new thread", "can't create new thread at interpreter shutdown"
            self._worker = None
        return self

    def add(self, data: memoryview) -> None:
        """Queue ``data`` to be hashed after everything added before it.

        The worker hashes a view of its own, so the caller may release ``data`` whenever it likes
        (even while an interrupt unwinds the ``with`` block before the worker is done).
        """
        if self._worker is None:
            self._digest.update(data)
        else:
            self._pending.put(data[:])

    def _work(self) -> None:
        while (data := self._pending.get()) is not None:
            with data:
                if self._failure is None:
                    try:
                        self._digest.update(data)
                    except BaseException as error:  # handed to the caller after the join
                        self._failure = error

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        if self._worker is None:
            return
        self._pending.put(None)
        self._worker.join()  # an interrupt here propagates; the worker then finishes on its own views
        if self._failure is not None and exc_value is None:
            raise self._failure
