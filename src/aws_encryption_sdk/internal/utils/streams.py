"""Stream wrappers used by the streaming client."""

from __future__ import annotations

import io
from typing import IO, Any, Optional

from aws_encryption_sdk.exceptions import ActionNotAllowedError


class ROStream:
    """A read-only view of a stream: every attribute but ``write`` goes to the wrapped stream.

    :param wrapped: the stream to wrap
    """

    def __init__(self, wrapped: Any) -> None:
        self.__wrapped__ = wrapped

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__wrapped__, name)

    def write(self, b: Any) -> None:
        """Refuse to write.

        :raises ActionNotAllowedError: always
        """
        raise ActionNotAllowedError("Write not allowed on ROStream objects")


class TeeStream:
    """A stream wrapper that copies everything read from ``wrapped`` into ``tee``.

    :param wrapped: the stream to read from
    :param tee: a writable stream that receives a copy of every byte read
    """

    def __init__(self, wrapped: Any, tee: IO[bytes]) -> None:
        self.__wrapped__ = wrapped
        self.__tee = tee

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__wrapped__, name)

    def read(self, b: Optional[int] = -1) -> bytes:
        """Read from the wrapped stream and copy the data into the tee."""
        data: bytes = self.__wrapped__.read(b)
        self.__tee.write(data)
        return data


class InsistentReaderBytesIO:
    """A stream wrapper whose ``read(n)`` keeps reading until ``n`` bytes or the end of the stream.

    A short read from the wrapped stream is not taken as the end of the stream.

    :param wrapped: any object with a ``read`` method
    """

    def __init__(self, wrapped: Any) -> None:
        self.__wrapped__ = wrapped

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__wrapped__, name)

    def read(self, b: Optional[int] = -1) -> bytes:
        """Read ``b`` bytes (all when ``b`` is None or negative), fewer only at the end of the stream."""
        if b is None or b < 0:
            everything = bytearray()
            while chunk := self.__wrapped__.read():
                everything += chunk
            return bytes(everything)
        first = self.__wrapped__.read(b)
        if not first or len(first) >= b:
            return bytes(first) if first else b""
        buffer = io.BytesIO(first)
        buffer.seek(0, io.SEEK_END)
        remaining = b - len(first)
        while remaining > 0:
            chunk = self.__wrapped__.read(remaining)
            if not chunk:
                break
            buffer.write(chunk)
            remaining -= len(chunk)
        return buffer.getvalue()
