"""Helpers for the hostile-input tests: outcome classification, time limits and odd stream sources."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, Optional

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.exceptions import InvalidKeyIdError
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.base import MasterKeyProvider
from aws_encryption_sdk.key_providers.raw import RawMasterKeyProvider
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey
from test.functional.raw_keys import aes_master_key

SDK_EXCEPTIONS_MODULE = "aws_encryption_sdk.exceptions"


def is_sdk_error(error: BaseException) -> bool:
    """Whether ``error`` is an instance of a class defined in ``aws_encryption_sdk.exceptions``."""
    return type(error).__module__ == SDK_EXCEPTIONS_MODULE


def describe(error: BaseException) -> str:
    """Class and message of an error, short enough for a failure list."""
    return f"{type(error).__module__}.{type(error).__name__}: {str(error)[:100]}"


def decrypt_outcome(client: EncryptionSDKClient, data: Any, key_provider: MasterKeyProvider) -> Optional[str]:
    """Decrypt ``data`` in one shot; return None when an SDK exception rejected it, else what happened."""
    try:
        plaintext, _ = client.decrypt(source=data, key_provider=key_provider)
    except Exception as error:  # classifying every outcome is the point
        return None if is_sdk_error(error) else describe(error)
    return f"accepted, returned {len(plaintext)} bytes of plaintext"


class Hang(BaseException):
    """Raised inside a call that ran past its time limit (a BaseException, so nothing swallows it)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail the enclosed block with :class:`Hang` when it runs longer than ``seconds``."""

    def _expire(signum: int, frame: Optional[FrameType]) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class ShortReader:
    """A stream source that returns at most ``max_chunk`` bytes per ``read`` (fewer when asked for fewer).

    :param data: the bytes to serve
    :param max_chunk: largest read result
    """

    def __init__(self, data: bytes, max_chunk: int = 3) -> None:
        self._data = data
        self._max_chunk = max_chunk
        self.position = 0
        self.calls = 0

    def read(self, size: int = -1) -> bytes:
        """Return the next few bytes (empty at the end)."""
        self.calls += 1
        if size is None or size < 0:
            size = len(self._data)
        size = min(size, self._max_chunk)
        chunk = self._data[self.position : self.position + size]
        self.position += len(chunk)
        return chunk


class VaryingReader(ShortReader):
    """A stream source whose reads return 1, 2, 3, 1, 2, 3, ... bytes."""

    def read(self, size: int = -1) -> bytes:
        """Return the next 1 to 3 bytes."""
        self._max_chunk = self.calls % 3 + 1
        return super().read(size)


class FailingReader(ShortReader):
    """A stream source that raises ``error`` once ``fail_at`` bytes were served.

    :param data: the bytes to serve
    :param fail_at: bytes served before every further read fails
    :param error: what a read raises from then on
    """

    def __init__(self, data: bytes, fail_at: int, error: BaseException) -> None:
        super().__init__(data, max_chunk=7)
        self._fail_at = fail_at
        self._error = error

    def read(self, size: int = -1) -> bytes:
        """Serve bytes up to ``fail_at``, then raise."""
        if self.position >= self._fail_at:
            raise self._error
        if size is None or size < 0:
            size = len(self._data)
        return super().read(min(size, self._fail_at - self.position))


class TextReader:
    """A stream source opened in text mode by mistake: ``read`` returns ``str``."""

    def __init__(self, data: bytes) -> None:
        self._text = data.decode("latin-1")
        self._position = 0

    def read(self, size: int = -1) -> str:
        """Return the next characters."""
        if size is None or size < 0:
            size = len(self._text)
        chunk = self._text[self._position : self._position + size]
        self._position += len(chunk)
        return chunk


class RecordingProvider(RawMasterKeyProvider):
    """A provider holding the raw AES test key that records every decryption request it gets."""

    provider_id = "recording"

    def _get_raw_key(self, key_id: bytes) -> WrappingKey:
        raise InvalidKeyIdError(f"this test provider makes no keys (asked for {key_id!r})")

    @property
    def calls(self) -> list[str]:
        """Names of the decryption methods called so far, in order."""
        calls: list[str] = self.__dict__.setdefault("_calls", [])
        return calls

    def decrypt_data_key(
        self, encrypted_data_key: EncryptedDataKey, algorithm: AlgorithmSuite, encryption_context: dict[str, str]
    ) -> DataKey:
        """Record the call, then decrypt."""
        self.calls.append("decrypt_data_key")
        return super().decrypt_data_key(encrypted_data_key, algorithm, encryption_context)

    def decrypt_data_key_from_list(
        self,
        encrypted_data_keys: Any,
        algorithm: AlgorithmSuite,
        encryption_context: dict[str, str],
    ) -> DataKey:
        """Record the call, then decrypt."""
        self.calls.append("decrypt_data_key_from_list")
        return super().decrypt_data_key_from_list(encrypted_data_keys, algorithm, encryption_context)


def recording_provider() -> RecordingProvider:
    """A fresh :class:`RecordingProvider` holding the raw AES test key."""
    provider = RecordingProvider()
    provider.add_master_key_providers_from_list([aes_master_key()])
    return provider


def read_in_chunks(read: Callable[[int], bytes], chunk: int) -> tuple[bytes, Optional[BaseException]]:
    """Read a decryptor ``chunk`` bytes at a time until it ends or fails.

    :returns: everything released, and the error that stopped it (None at a clean end)
    """
    released = bytearray()
    try:
        while piece := read(chunk):
            released += piece
    except Exception as error:  # the caller judges the error
        return bytes(released), error
    return bytes(released), None
