"""Awkward message sources: short reads, failing reads, text-mode reads, bytes after the message."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.internal.utils.streams import TeeStream
from test.functional.raw_keys import aes_master_key
from test.strategies import PLAINTEXT, SUITE_FAMILIES, decrypting_client, sample_message

from ._support import FailingReader, ShortReader, TextReader, VaryingReader, describe, read_in_chunks

CLIENT = decrypting_client()
KEY = aes_master_key()


@pytest.mark.parametrize("suite_id", SUITE_FAMILIES, ids=hex)
@pytest.mark.parametrize("framed", [True, False], ids=["framed", "nonframed"])
@pytest.mark.parametrize("reader", [ShortReader, VaryingReader])
def test_decrypt_from_a_source_returning_one_to_three_bytes_per_read(
    suite_id: int, framed: bool, reader: type[ShortReader]
) -> None:
    message = sample_message(suite_id, framed)
    source = reader(message.ciphertext)

    plaintext, header = CLIENT.decrypt(source=source, key_provider=KEY)

    assert plaintext == PLAINTEXT
    assert header.algorithm.algorithm_id == suite_id
    assert source.calls > len(message.ciphertext) // 3


@pytest.mark.parametrize("suite_id", SUITE_FAMILIES, ids=hex)
@pytest.mark.parametrize("chunk", [1, 5, 16, 100])
def test_streaming_decrypt_from_a_one_byte_source_in_chunks(suite_id: int, chunk: int) -> None:
    message = sample_message(suite_id, framed=True)
    decryptor = CLIENT.stream(mode="d", source=ShortReader(message.ciphertext, max_chunk=1), key_provider=KEY)

    released, error = read_in_chunks(decryptor.read, chunk)

    assert error is None
    assert released == PLAINTEXT


@pytest.mark.parametrize("suite_id", SUITE_FAMILIES, ids=hex)
@pytest.mark.parametrize("framed", [True, False], ids=["framed", "nonframed"])
def test_stream_leaves_bytes_after_the_message_unread(suite_id: int, framed: bool) -> None:
    message = sample_message(suite_id, framed)
    for source in (io.BytesIO(message.ciphertext + b"NEXT"), ShortReader(message.ciphertext + b"NEXT")):
        decryptor = CLIENT.stream(mode="d", source=source, key_provider=KEY)

        assert decryptor.read() == PLAINTEXT
        rest = bytearray()
        while piece := source.read(100):
            rest += piece
        assert rest == b"NEXT"


@pytest.mark.parametrize("suite_id", [0x0078, 0x0578], ids=hex)
@pytest.mark.parametrize("error", [OSError("device gone"), ValueError("I/O operation on closed file")], ids=repr)
def test_read_error_from_the_source_at_any_point_becomes_an_sdk_error(suite_id: int, error: Exception) -> None:
    message = sample_message(suite_id, framed=True).ciphertext
    problems = []
    for fail_at in range(0, len(message) + 1, 5):
        try:
            CLIENT.decrypt(source=FailingReader(message, fail_at, error), key_provider=KEY)
        except SerializationError as raised:
            if not _caused_by(raised, error):
                problems.append(f"fail at {fail_at}: {describe(raised)} does not chain the read error")
            elif not str(raised).startswith("Reading the message source failed"):
                problems.append(f"fail at {fail_at}: {describe(raised)} does not say that the source failed")
        except Exception as raised:
            problems.append(f"fail at {fail_at}: {describe(raised)}")
        else:
            problems.append(f"fail at {fail_at}: decrypted although the source failed")

    assert problems == []


def _caused_by(raised: BaseException, error: BaseException) -> bool:
    cause = raised.__cause__
    while cause is not None:
        if cause is error:
            return True
        cause = cause.__cause__
    return False


@pytest.mark.parametrize("suite_id", [0x0078, 0x0578], ids=hex)
def test_streaming_read_error_mid_body_fails_the_stream_without_releasing_the_failing_frame(suite_id: int) -> None:
    message = sample_message(suite_id, framed=True)
    fail_at = message.body_start + 40  # inside the first regular frame
    decryptor = CLIENT.stream(
        mode="d", source=FailingReader(message.ciphertext, fail_at, OSError("network reset")), key_provider=KEY
    )

    released, error = read_in_chunks(decryptor.read, 1)

    assert isinstance(error, SerializationError), describe(error) if error else "no error"
    assert released == b""
    with pytest.raises(SerializationError, match="This stream failed earlier and cannot be used"):
        decryptor.read(1)


def test_decrypt_from_a_file_on_disk_read_by_a_buffered_reader(tmp_path: Path) -> None:
    message = sample_message(0x0578, framed=True)
    path = tmp_path / "message.bin"
    path.write_bytes(message.ciphertext)

    with path.open("rb") as handle:
        plaintext, _ = CLIENT.decrypt(source=handle, key_provider=KEY)

    assert plaintext == PLAINTEXT


def test_source_opened_in_text_mode_is_refused_with_an_sdk_error() -> None:
    message = sample_message(0x0078, framed=True).ciphertext

    with pytest.raises(SerializationError, match="binary"):
        CLIENT.decrypt(source=TextReader(message), key_provider=KEY)


def test_text_mode_file_is_refused_with_an_sdk_error(tmp_path: Path) -> None:
    path = tmp_path / "message.bin"
    path.write_bytes(sample_message(0x0078, framed=True).ciphertext)

    with path.open("r", encoding="latin-1") as handle:
        decryptor = CLIENT.stream(mode="d", source=handle, key_provider=KEY)
        _, error = read_in_chunks(decryptor.read, 10)

    assert isinstance(error, SerializationError), describe(error) if error else "no error"
    assert "binary mode" in str(error)


class _CallersWrapper:
    """A caller's proxy in the usual style: attributes go to ``__wrapped__``, reads are counted."""

    def __init__(self, wrapped: object) -> None:
        self.__wrapped__ = wrapped
        self.bytes_read = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.__wrapped__, name)

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.__wrapped__.read(size)  # type: ignore[attr-defined]
        self.bytes_read += len(data)
        return data


class _CountingBytesIO(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


@pytest.mark.parametrize("make_source", [_CallersWrapper, _CountingBytesIO], ids=["proxy", "BytesIO subclass"])
@pytest.mark.parametrize("one_shot", [True, False], ids=["one-shot", "stream"])
def test_a_callers_source_object_is_read_through_its_own_read(make_source: type, one_shot: bool) -> None:
    """Only the SDK's own pass-through wrappers are looked through, never a caller's object."""
    message = sample_message(0x0578, framed=True).ciphertext
    source = make_source(io.BytesIO(message) if make_source is _CallersWrapper else message)

    if one_shot:
        plaintext, _ = CLIENT.decrypt(source=source, key_provider=KEY)
    else:
        plaintext = CLIENT.stream(mode="d", source=source, key_provider=KEY).read()

    assert plaintext == PLAINTEXT
    assert source.bytes_read == len(message)


def test_a_tee_stream_source_gets_its_copy() -> None:
    message = sample_message(0x0578, framed=True).ciphertext
    copy = io.BytesIO()

    plaintext, _ = CLIENT.decrypt(source=TeeStream(io.BytesIO(message), copy), key_provider=KEY)

    assert plaintext == PLAINTEXT
    assert copy.getvalue() == message


class _OverReader:
    """Returns five bytes more than asked on one call."""

    def __init__(self, data: bytes, on_call: int) -> None:
        self.source = io.BytesIO(data)
        self.on_call = on_call
        self.calls = 0

    def read(self, size: int = -1) -> bytes:
        self.calls += 1
        return self.source.read(size + 5 if self.calls == self.on_call else size)


@pytest.mark.parametrize("suite_id", [0x0078, 0x0578], ids=hex)
def test_a_source_returning_more_than_asked_is_refused_as_a_broken_source_everywhere(suite_id: int) -> None:
    message = sample_message(suite_id, framed=True).ciphertext
    problems, call = [], 1
    while True:
        source = _OverReader(message, call)
        try:
            CLIENT.decrypt(source=source, key_provider=KEY)
        except SerializationError as raised:
            if not re.match(r"Reading the message source failed: read\(\d+\) returned \d+ bytes$", str(raised)):
                problems.append(f"call {call}: {describe(raised)}")
        except Exception as raised:
            problems.append(f"call {call}: {describe(raised)}")
        else:
            if source.source.tell() != len(message):  # only a read at the very end may be over-long unnoticed
                problems.append(f"call {call}: decrypted")
        if call > source.calls:
            break
        call += 1

    assert call > 10
    assert problems == []


class _OddOnCall:
    """Returns ``odd`` instead of bytes on one call."""

    def __init__(self, data: bytes, on_call: int, odd: object) -> None:
        self.source = io.BytesIO(data)
        self.on_call = on_call
        self.odd = odd
        self.calls = 0

    def read(self, size: int = -1) -> object:
        self.calls += 1
        return self.odd if self.calls == self.on_call else self.source.read(size)


@pytest.mark.parametrize(
    ("odd", "expected"),
    [(7, r"Reading the message source failed: read\(\) returned int, not bytes$"), ("text", "binary mode$")],
    ids=["int", "text"],
)
def test_a_source_returning_no_bytes_on_any_call_is_named_as_the_fault_even_in_the_footer(
    odd: object, expected: str
) -> None:
    message = sample_message(0x0578, framed=True).ciphertext
    clean = _OddOnCall(message, 0, odd)
    CLIENT.decrypt(source=clean, key_provider=KEY)
    problems = []
    for call in range(1, clean.calls + 1):  # every read a decryption makes, the footer's last
        try:
            CLIENT.decrypt(source=_OddOnCall(message, call, odd), key_provider=KEY)
        except SerializationError as raised:
            if not re.search(expected, str(raised)):
                problems.append(f"call {call}: {describe(raised)}")
        else:
            problems.append(f"call {call}: decrypted")

    assert clean.calls > 10
    assert problems == []


@pytest.mark.parametrize("returned", [[1, 2, 3], 7, (1,)], ids=["list", "int", "tuple"])
def test_a_source_whose_read_returns_no_bytes_like_object_is_refused_with_an_sdk_error(returned: object) -> None:
    class Odd:
        def read(self, size: int = -1) -> object:
            return returned

    with pytest.raises(
        SerializationError,
        match=f"^Reading the message source failed: read\\(\\) returned {type(returned).__name__}, not bytes$",
    ):
        CLIENT.decrypt(source=Odd(), key_provider=KEY)


def test_a_source_may_return_bytearray_or_memoryview() -> None:
    message = sample_message(0x0578, framed=True).ciphertext

    class Views:
        def __init__(self) -> None:
            self._source = io.BytesIO(message)

        def read(self, size: int = -1) -> object:
            data = self._source.read(size)
            return memoryview(bytearray(data)) if len(data) % 2 else bytearray(data)

    assert CLIENT.decrypt(source=Views(), key_provider=KEY)[0] == PLAINTEXT


class _PausingReader:
    """Says end of file (``b""``), or has no data ready (None), once at ``pause_at`` bytes, then would go on."""

    def __init__(self, data: bytes, pause_at: int, pause: bytes | None) -> None:
        self.source = io.BytesIO(data)
        self.pause_at = pause_at
        self.pause = pause
        self.paused = False

    def read(self, size: int = -1) -> bytes | None:
        if not self.paused and self.source.tell() == self.pause_at:
            self.paused = True
            return self.pause
        return self.source.read(
            size if self.source.tell() >= self.pause_at else min(size, self.pause_at - self.source.tell())
        )


@pytest.mark.parametrize("pause", [b"", None], ids=["empty", "None"])
def test_an_end_of_file_or_a_none_anywhere_in_the_message_ends_it_even_if_the_source_would_go_on(
    pause: bytes | None,
) -> None:
    message = sample_message(0x0578, framed=True).ciphertext
    outcomes = set()
    for pause_at in range(len(message)):
        with pytest.raises(SerializationError) as raised:
            CLIENT.decrypt(source=_PausingReader(message, pause_at, pause), key_provider=KEY)
        outcomes.add(type(raised.value))
        if pause is None:  # no data ready is not taken as the end: it is refused as such
            assert "read() returned None, which a non-blocking source does" in str(raised.value)

    assert outcomes == {SerializationError}
    # After a complete message, either one ends it: nothing after the message belongs to it.
    assert CLIENT.decrypt(source=_PausingReader(message, len(message), pause), key_provider=KEY)[0] == PLAINTEXT
