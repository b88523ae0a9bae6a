"""Stream wrappers used by the streaming client, and how it measures what a seekable source holds."""

from __future__ import annotations

import io
from typing import IO, Any, Optional

from aws_encryption_sdk.exceptions import ActionNotAllowedError, NotSupportedError, SerializationError


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


def _position(stream: Any) -> int:
    """Return a stream's ``tell()``, refusing anything but a non-negative int."""
    position = stream.tell()
    if not isinstance(position, int) or position < 0:
        raise ValueError(f"tell() returned {position!r}")
    return position


def _same_position(reported: Any, position: int) -> None:
    """Refuse a position from ``seek`` that is not the one ``tell`` gave (a ``seek`` that reports none is trusted)."""
    if isinstance(reported, int) and reported != position:
        raise ValueError(f"seek() says position {reported} where tell() says {position}")


def length_to_end(stream: Any) -> int:
    """Return how many bytes a stream holds after its position, found by seeking to its end and back.

    :raises NotSupportedError: when the stream cannot tell: ``tell`` or ``seek`` fail, or ``tell``
        gives a position that is not a non-negative int or that ``seek`` disagrees with (the stream
        is left where it was)
    :raises SerializationError: when the stream cannot be put back where it was: reading it now
        would skip data
    """
    try:
        start = _position(stream)
        _same_position(stream.seek(0, io.SEEK_CUR), start)
        stream.seek(0, io.SEEK_END)  # a seek that fails leaves the stream where it was
    except Exception as error:  # any stream failure means "length unknown"
        raise NotSupportedError(error) from error
    try:
        end = _position(stream)
    except Exception as error:
        _seek_back(stream, start)
        raise NotSupportedError(error) from error
    _seek_back(stream, start)
    if end < start:
        raise NotSupportedError(f"tell() said {end} at the end of the source, before its position {start}")
    return end - start


def _seek_back(stream: Any, position: int) -> None:
    """Return a stream to ``position`` after measuring it, and check that it got there.

    :raises SerializationError: when it did not, or cannot say where it is
    """
    try:
        _same_position(stream.seek(position, io.SEEK_SET), position)
        reached = _position(stream)
    except Exception as error:
        raise SerializationError(
            f"The source could not return to position {position} after its length was measured: {error}"
        ) from error
    if reached != position:
        raise SerializationError(
            f"The source could not return to position {position} after its length was measured (it is at {reached})"
        )
