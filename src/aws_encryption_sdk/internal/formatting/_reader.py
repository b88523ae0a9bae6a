"""The one reader every message parser goes through (private).

It reads exactly the bytes asked for or fails with a
:class:`~aws_encryption_sdk.exceptions.SerializationError` that names the field and how many bytes were
missing. Large reads are done in chunks of at most 1 MiB, so a length field taken from untrusted input never
sizes a buffer before those bytes have arrived. :class:`BufferReader` reads a message already in memory by
slicing it, with the same limits and errors.
"""

from __future__ import annotations

import struct
from typing import Optional, Protocol

from aws_encryption_sdk.exceptions import CustomMaximumValueExceeded, SerializationError
from aws_encryption_sdk.internal._message_source import checked_chunk, input_ended

#: Largest single read from the source; bigger fields are assembled chunk by chunk.
CHUNK_SIZE = 1024 * 1024

_U8 = struct.Struct(">B")
_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")


class ReadableSource(Protocol):
    """A binary source with a file-like ``read``."""

    def read(self, size: int = ..., /) -> Optional[bytes]:
        """Return up to ``size`` bytes; empty (or None) at the end of the input."""


class Updatable(Protocol):
    """Anything that wants to see every byte read (a signature verifier, a hash)."""

    def update(self, data: bytes, /) -> None:
        """Take the next bytes."""


class Reader:
    """Reads fields from a binary stream, exactly and with optional side outputs.

    :param stream: the source
    :param capture: keep a copy of every byte read (see :attr:`captured`)
    :param verifier: receives every byte read through ``update``
    :param limit: most bytes this reader may read in total (None: no limit)
    :param limit_name: what the limit is called, for the error message
    """

    def __init__(
        self,
        stream: ReadableSource,
        *,
        capture: bool = False,
        verifier: Optional[Updatable] = None,
        limit: Optional[int] = None,
        limit_name: str = "limit",
    ) -> None:
        self._stream = stream
        self._captured: Optional[bytearray] = bytearray() if capture else None
        self._verifier = verifier
        self._limit = limit
        self._limit_name = limit_name
        self.consumed = 0

    @property
    def captured(self) -> bytes:
        """Every byte read so far (empty unless the reader was built with ``capture=True``)."""
        return bytes(self._captured) if self._captured is not None else b""

    def _check_limit(self, size: int, field_name: str) -> None:
        if self._limit is not None and self.consumed + size > self._limit:
            raise CustomMaximumValueExceeded(
                f"Reading {field_name} ({size} bytes) would take the input to {self.consumed + size} bytes, "
                f"above {self._limit_name} of {self._limit}"
            )

    def _read_chunk(self, size: int) -> bytes:
        chunk = self._stream.read(size)
        if type(chunk) is bytes and len(chunk) <= size:  # the usual case, checked first
            return chunk
        return checked_chunk(chunk, size)

    def read_exact(self, size: int, field_name: str) -> bytes:
        """Read exactly ``size`` bytes.

        :param size: number of bytes to read
        :param field_name: name of the field being read, for error messages
        :returns: the bytes read
        :raises CustomMaximumValueExceeded: when the read would pass this reader's limit
        :raises SerializationError: when the input ends first
        """
        if size < 0:
            raise SerializationError(f"Invalid length {size} for {field_name}")
        if self._limit is not None:
            self._check_limit(size, field_name)
        data = self._read_chunk(min(size, CHUNK_SIZE)) if size else b""
        if len(data) != size:
            data = self._read_rest(data, size, field_name)
        self.consumed += size
        if self._captured is not None:
            self._captured += data
        if self._verifier is not None:
            self._verifier.update(data)
        return data

    def _read_rest(self, first: bytes, size: int, field_name: str) -> bytes:
        """Complete a field whose first read came back short, chunk by chunk."""
        buffer = bytearray(first)
        while len(buffer) < size:
            chunk = self._read_chunk(min(size - len(buffer), CHUNK_SIZE))
            if not chunk:
                raise input_ended(field_name, size, len(buffer))
            buffer += chunk
        return bytes(buffer)

    def _unpack(self, unpacker: struct.Struct, field_name: str) -> int:
        value: int = unpacker.unpack(self.read_exact(unpacker.size, field_name))[0]
        return value

    def u8(self, field_name: str) -> int:
        """Read an unsigned 8-bit integer.

        :raises SerializationError: when the input ends first
        """
        return self._unpack(_U8, field_name)

    def u16(self, field_name: str) -> int:
        """Read a big-endian unsigned 16-bit integer.

        :raises SerializationError: when the input ends first
        """
        return self._unpack(_U16, field_name)

    def u32(self, field_name: str) -> int:
        """Read a big-endian unsigned 32-bit integer.

        :raises SerializationError: when the input ends first
        """
        return self._unpack(_U32, field_name)

    def u64(self, field_name: str) -> int:
        """Read a big-endian unsigned 64-bit integer.

        :raises SerializationError: when the input ends first
        """
        return self._unpack(_U64, field_name)

    def read_prefixed(self, field_name: str) -> bytes:
        """Read a field preceded by its two-byte length.

        :raises SerializationError: when the input ends first
        """
        length = self.u16(f"{field_name} length")
        return self.read_exact(length, field_name)


class _Cursor:
    """A read-only stream over a buffer, for the general (and failing) reads of a :class:`BufferReader`."""

    def __init__(self, buffer: bytes, position: int) -> None:
        self.buffer = buffer
        self.position = position

    def read(self, size: int = -1, /) -> bytes:
        start = self.position
        chunk = self.buffer[start : start + size]
        self.position = start + len(chunk)
        return chunk


class BufferReader(Reader):
    """A :class:`Reader` over bytes already in memory: fields that are there are sliced out directly.

    Reads the buffer from ``start``. Every field is checked as by :class:`Reader`: a read that would pass
    the limit or the end of the buffer takes the general path and fails with the same error.

    :param buffer: the bytes (the rest of a message)
    :param start: where the first field begins
    :param limit: most bytes this reader may read in total (None: no limit)
    :param limit_name: what the limit is called, for the error message
    """

    def __init__(
        self, buffer: bytes, start: int = 0, *, limit: Optional[int] = None, limit_name: str = "limit"
    ) -> None:
        self._cursor = _Cursor(buffer, start)
        super().__init__(self._cursor, limit=limit, limit_name=limit_name)
        self._buffer = buffer
        self._start = start
        #: End of the bytes the fast path may read: the buffer's end or the limit, whichever comes first.
        self._end = len(buffer) if limit is None else min(len(buffer), start + limit)

    @property
    def position(self) -> int:
        """Offset in the buffer just after the last byte read (including a failed read's bytes)."""
        return self._cursor.position

    @property
    def captured(self) -> bytes:
        """Every byte read so far (a buffer reader can always tell)."""
        return self._buffer[self._start : self._start + self.consumed]

    def _advance(self, size: int) -> int:
        """Take ``size`` bytes if the buffer and the limit allow it; return their offset, or -1."""
        offset = self._cursor.position
        end = offset + size
        if size < 0 or end > self._end:
            return -1
        self._cursor.position = end
        self.consumed += size
        return offset

    def read_exact(self, size: int, field_name: str) -> bytes:
        offset = self._advance(size)
        if offset < 0:
            return super().read_exact(size, field_name)
        return self._buffer[offset : offset + size]

    def _unpack(self, unpacker: struct.Struct, field_name: str) -> int:
        offset = self._advance(unpacker.size)
        if offset < 0:
            return super()._unpack(unpacker, field_name)
        value: int = unpacker.unpack_from(self._buffer, offset)[0]
        return value

    def read_prefixed(self, field_name: str) -> bytes:
        offset = self._cursor.position
        if offset + 2 <= self._end:
            start = offset + 2
            end = start + _U16.unpack_from(self._buffer, offset)[0]
            if end <= self._end:
                self._cursor.position = end
                self.consumed += end - offset
                return self._buffer[start:end]
        return super().read_prefixed(field_name)
