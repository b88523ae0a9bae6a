"""Exact, bounded reads from the source of a message being decrypted (private).

Two shapes of source: a message already in memory (``bytes`` or an ``io.BytesIO``), read without
copying, and any other object with ``read(n)``, read in bounded chunks so that no buffer is ever
sized by an untrusted length field before those bytes have arrived. Short reads from a stream
are not taken as its end. Every byte read can be fed to a signature verifier.
"""

from __future__ import annotations

import io
from typing import Any, Optional, Protocol, Union

from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.internal.utils.streams import InsistentReaderBytesIO, ROStream

#: Largest single read from a stream source.
MAX_CHUNK = 1 << 20


class _Digest(Protocol):
    def update(self, data: bytes) -> None: ...


#: The SDK's own wrappers whose ``read`` only passes reads on (a ``TeeStream`` copies what it reads,
#: and a caller's wrapper may do anything, so neither is looked through).
_PASS_THROUGH_WRAPPERS = (InsistentReaderBytesIO, ROStream)


def _unwrap(stream: Any) -> Any:
    """Return the stream behind the SDK's pass-through wrappers."""
    while type(stream) in _PASS_THROUGH_WRAPPERS:
        stream = stream.__wrapped__
    return stream


def _source_fault(message: str) -> SerializationError:
    """The error for a source whose ``read`` broke the file protocol.

    Its ``ValueError`` cause marks it as the source's fault, like a failed read: the footer reader
    reports such errors as they are, not as a missing signature.
    """
    error = SerializationError(message)
    error.__cause__ = ValueError(message)
    return error


def _broken_source(reason: str) -> SerializationError:
    """The error for a source whose ``read`` broke the file protocol, reported like a failed read."""
    return _source_fault(f"Reading the message source failed: {reason}")


def _as_bytes(chunk: Any) -> bytes:
    """Return what a source's ``read`` returned as ``bytes``, refusing what is not bytes-like."""
    if isinstance(chunk, str):
        raise _source_fault("The source returned text instead of bytes; open it in binary mode")
    try:
        view: Optional[memoryview] = memoryview(chunk)
    except TypeError:
        view = None
    if view is None:
        raise _broken_source(f"read() returned {type(chunk).__name__}, not bytes")
    return bytes(view)


def checked_chunk(chunk: Any, size: int) -> bytes:
    """Return what a source's ``read(size)`` returned as ``bytes`` (``b""`` is the end of the source).

    The one check of a source's reads, shared by :class:`MessageSource` and the header reader.

    :raises SerializationError: when it returned None (a non-blocking source with no data ready:
        taking that as the end would silently cut the data short), text, something that is not
        bytes-like, or more than ``size`` bytes
    """
    if chunk is None:
        raise _broken_source(
            "read() returned None, which a non-blocking source does when it has no data ready; "
            "the SDK reads blocking sources only"
        )
    data: bytes = chunk if type(chunk) is bytes else _as_bytes(chunk)
    if len(data) > size:
        raise _broken_source(f"read({size}) returned {len(data)} bytes")
    return data


def input_ended(field: str, size: int, got: int) -> SerializationError:
    """The error for a source that ended ``size - got`` bytes into a ``size``-byte field (both readers use it)."""
    return SerializationError(
        f"Unexpected deserialization error: input ended while reading {field}: "
        f"needed {size} bytes, got {got} ({size - got} missing)"
    )


class MessageSource:
    """Reads a message from its source, exactly and in order.

    :param stream: the source, as given to the SDK (possibly wrapped)
    """

    def __init__(self, stream: Any) -> None:
        inner = _unwrap(stream)
        self._stream = inner  # this class insists on full reads itself
        self._view: Optional[memoryview] = None
        self._position = 0
        self._bytes_io: Optional[io.BytesIO] = None
        self._parsing_bytes_io = False  # parse_stream handed out the BytesIO itself
        if type(inner) is io.BytesIO:  # a subclass may read or tell differently: it is read as a stream
            if inner.closed:  # its bytes are gone
                raise SerializationError("Reading the message source failed: the io.BytesIO source is closed")
            self._bytes_io = inner
            self._position = inner.tell()
            self._view = memoryview(inner.getvalue())  # shares the BytesIO's bytes: no copy
        #: Receives every byte read while set (the signature verifier of a signed message).
        self.verifier: Optional[_Digest] = None
        #: Bytes consumed from the source so far.
        self.consumed = 0
        self._ended = False  # a stream source said end of file (b""): it is never asked again

    def read(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes (fewer only at the end of the source), as a stream would."""
        if size is None or size < 0:
            raise SerializationError("A message source cannot be read without a length")
        data = self._take(size)
        return bytes(data)

    def read_up_to(self, size: int) -> Union[bytes, memoryview]:
        """Read ``size`` bytes, fewer only at the end of the source (a view, without copying, in memory)."""
        return self._take(size)

    def read_exact(self, size: int, field: str) -> Union[bytes, memoryview]:
        """Read exactly ``size`` bytes.

        :param size: number of bytes
        :param field: what the bytes are, for the error message
        :raises SerializationError: when the source ends first, naming the field and the shortfall
        """
        data = self._take(size)
        if len(data) != size:
            raise input_ended(field, size, len(data))
        return data

    def parse_stream(self) -> Any:
        """Return a stream to parse the next bytes from; call :meth:`resync` when done.

        For an in-memory source it is the ``BytesIO`` itself (C-speed small reads); otherwise it
        is this object.
        """
        if self._bytes_io is not None and self._view is not None and not self._bytes_io.closed:
            self._bytes_io.seek(self._position)
            self._parsing_bytes_io = True
            return self._bytes_io
        return self  # also for a BytesIO the caller closed mid-message: this object still holds its bytes

    def resync(self) -> None:
        """Take over the position reached by reading from :meth:`parse_stream`."""
        if self._parsing_bytes_io:
            self._parsing_bytes_io = False
            assert self._bytes_io is not None
            position = self._bytes_io.tell()
            self.consumed += position - self._position
            self._position = position

    def remaining(self) -> Optional[int]:
        """Return how many bytes an in-memory source has left, else None."""
        if self._view is None:
            return None
        return len(self._view) - self._position

    def in_memory(self) -> Optional[memoryview]:
        """Return the unread rest of an in-memory source (without consuming it), else None."""
        if self._view is None:
            return None
        return self._view[self._position :]

    def skip(self, size: int, *, hashed: bool = False) -> None:
        """Consume ``size`` bytes of an in-memory source already examined through :meth:`in_memory`.

        :param hashed: the caller has already fed these bytes to the verifier
        """
        assert self._view is not None and self._position + size <= len(self._view)
        self._take(size, feed=not hashed)

    def _take(self, size: int, feed: bool = True) -> Union[bytes, memoryview]:
        if self._view is not None:
            data: Union[bytes, memoryview] = self._view[self._position : self._position + size]
            self._position += len(data)
        else:
            data = self._read_stream(size)
        self.consumed += len(data)
        if feed and self.verifier is not None and data:
            self.verifier.update(data)  # type: ignore[arg-type]
        return data

    def _read_stream(self, size: int) -> bytes:
        if size <= MAX_CHUNK:
            return self._read_some(size)
        parts = bytearray()
        while len(parts) < size:
            chunk = self._read_some(min(MAX_CHUNK, size - len(parts)))
            if not chunk:
                break
            parts += chunk
        return bytes(parts)

    def _read_some(self, size: int, *, none_is_end: bool = False) -> bytes:
        data = bytearray()
        while len(data) < size and not self._ended:
            wanted = size - len(data)
            try:
                returned = self._stream.read(wanted)
            except (OSError, ValueError) as error:
                raise SerializationError(f"Reading the message source failed: {error}") from error
            chunk = b"" if returned is None and none_is_end else checked_chunk(returned, wanted)
            if not chunk:
                self._ended = True
                break
            data += chunk
        return bytes(data)

    def has_more(self) -> bool:
        """Say whether the source holds any byte after what was read (consumes at most one byte).

        A None from the source here, after a complete message, counts as its end: whatever it might
        send later is not part of the message.
        """
        if self._view is not None:
            return self._position < len(self._view)
        return bool(self._read_some(1, none_is_end=True))

    def release(self) -> None:
        """Let go of the in-memory source and leave a ``BytesIO`` positioned after the message (if still open)."""
        if self._view is not None:
            self._view.release()
            self._view = None
            if self._bytes_io is not None and not self._bytes_io.closed:
                self._bytes_io.seek(self._position)
