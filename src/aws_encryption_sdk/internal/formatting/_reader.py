"""The one reader every message parser goes through (private).

It reads exactly the bytes asked for or fails with a
:class:`~aws_encryption_sdk.exceptions.SerializationError` that names the field and how many bytes were
missing. Large reads are done in chunks of at most 1 MiB, so a length field taken from untrusted input never
sizes a buffer before those bytes have arrived.
"""

from __future__ import annotations

import struct
from typing import Optional, Protocol

from aws_encryption_sdk.exceptions import CustomMaximumValueExceeded, SerializationError

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
        if chunk is None:
            return b""
        if isinstance(chunk, str):
            raise SerializationError("The source returned text instead of bytes; open it in binary mode")
        if len(chunk) > size:
            raise SerializationError(f"The source returned {len(chunk)} bytes when asked for at most {size}")
        return bytes(chunk)

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
                raise SerializationError(
                    f"Unexpected deserialization error: input ended while reading {field_name}: "
                    f"needed {size} bytes, got {len(buffer)} ({size - len(buffer)} missing)"
                )
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
