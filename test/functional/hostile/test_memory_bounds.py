"""Length fields that promise far more data than arrives must not size any buffer.

Each input declares a huge field and then ends. Decryption must fail with ``SerializationError``
while the traced peak allocation stays below 16 MiB, whether the message is given as bytes, as
a buffered file or as a stream that returns 3 bytes per read.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from aws_encryption_sdk import read_unauthenticated_header
from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header
from test.functional.raw_keys import aes_master_key
from test.strategies import PLAINTEXT, decrypting_client, encrypting_client, suite

from ._forge import Forge, u16, u32, u64
from ._support import ShortReader, describe, time_limit

CLIENT = decrypting_client()
KEY = aes_master_key()
PEAK_LIMIT = 16 * 1024 * 1024
MAX_FRAME = 2**31 - 1


def _header_length(message: bytes) -> int:
    """Bytes of header body and header authentication."""
    header, raw = deserialize_header(io.BytesIO(message))
    return len(raw) + (28 if header.version.value == 1 else 16)


def _huge_frame_message(suite_id: int) -> bytes:
    ciphertext, _ = encrypting_client(suite_id).encrypt(
        source=PLAINTEXT, key_provider=KEY, algorithm=suite(suite_id), frame_length=MAX_FRAME
    )
    return ciphertext


def _header_then_eof(suite_id: int) -> bytes:
    message = _huge_frame_message(suite_id)
    return message[: _header_length(message)]


def _regular_frame_start_then_eof(suite_id: int) -> bytes:
    # A regular frame's content length is the header's frame length: 2**31 - 1 bytes promised.
    message = _huge_frame_message(suite_id)
    return message[: _header_length(message)] + u32(1) + bytes(11) + b"\x01" + b"\xaa" * 100


def _final_frame_declaring_frame_length_then_eof(suite_id: int) -> bytes:
    message = _huge_frame_message(suite_id)
    final = _header_length(message)
    assert message[final : final + 4] == b"\xff\xff\xff\xff"
    return message[: final + 20] + u32(MAX_FRAME) + b"\xbb" * 100


def _non_framed_body_declaring_2_to_the_36_then_eof(suite_id: int) -> bytes:
    message, _ = encrypting_client(suite_id).encrypt(
        source=PLAINTEXT, key_provider=KEY, algorithm=suite(suite_id), frame_length=0
    )
    body = _header_length(message)
    return message[: body + 12] + u64(2**36) + b"\xcc" * 100


def _forged_header_prefix(suite_id: int) -> bytes:
    forge = Forge(suite_id)
    if forge.facts.version == 1:
        return b"\x01\x80" + u16(suite_id) + forge.message_id
    return b"\x02" + u16(suite_id) + forge.message_id


def _context_length_65535_then_eof(suite_id: int) -> bytes:
    return _forged_header_prefix(suite_id) + u16(65535) + u16(3000) + b"\x00\x05"


def _edk_field_65535_then_eof(field: int) -> Callable[[int], bytes]:
    def build(suite_id: int) -> bytes:
        fields = [b"raw-aes", b"aes-key", b"\x00" * 48]
        entry = b"".join(u16(len(value)) + value for value in fields[:field]) + u16(65535) + b"\x01" * 10
        return _forged_header_prefix(suite_id) + u16(0) + u16(1) + entry

    return build


INPUTS: dict[str, Callable[[int], bytes]] = {
    "header declaring 2**31-1 frames, then EOF": _header_then_eof,
    "regular frame of 2**31-1 bytes, then EOF": _regular_frame_start_then_eof,
    "final frame declaring 2**31-1 bytes, then EOF": _final_frame_declaring_frame_length_then_eof,
    "non-framed body declaring 2**36 bytes, then EOF": _non_framed_body_declaring_2_to_the_36_then_eof,
    "context length 65535, then EOF": _context_length_65535_then_eof,
    "EDK provider ID of 65535 bytes, then EOF": _edk_field_65535_then_eof(0),
    "EDK key info of 65535 bytes, then EOF": _edk_field_65535_then_eof(1),
    "EDK ciphertext of 65535 bytes, then EOF": _edk_field_65535_then_eof(2),
}
HEADER_INPUTS = [name for name in INPUTS if "EDK" in name or "context" in name]


@pytest.fixture
def traced_peak() -> Iterator[Callable[[], int]]:
    """Trace allocations for the test; yields a function returning the peak so far."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        yield lambda: tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _source(kind: str, data: bytes, tmp_path: Path) -> Any:
    if kind == "bytes":
        return data
    if kind == "3-byte reader":
        return ShortReader(data)
    path = tmp_path / "message.bin"
    path.write_bytes(data)
    return path.open("rb")  # an io.BufferedReader


@pytest.mark.parametrize("suite_id", [0x0078, 0x0378, 0x0578], ids=hex)
@pytest.mark.parametrize("source_kind", ["bytes", "BufferedReader", "3-byte reader"])
@pytest.mark.parametrize("name", list(INPUTS))
def test_decrypt_of_a_huge_declared_length_fails_without_allocating_it(
    name: str, source_kind: str, suite_id: int, tmp_path: Path, traced_peak: Callable[[], int]
) -> None:
    data = INPUTS[name](suite_id)
    source = _source(source_kind, data, tmp_path)
    tracemalloc.reset_peak()

    with time_limit(10), pytest.raises(SerializationError) as raised:
        CLIENT.decrypt(source=source, key_provider=KEY)

    peak = traced_peak()
    if hasattr(source, "close"):
        source.close()
    assert peak < PEAK_LIMIT, f"peak {peak} bytes ({describe(raised.value)})"


@pytest.mark.parametrize("suite_id", [0x0078, 0x0578], ids=hex)
@pytest.mark.parametrize("name", list(INPUTS))
def test_streaming_decrypt_of_a_huge_declared_length_fails_without_allocating_it(
    name: str, suite_id: int, traced_peak: Callable[[], int]
) -> None:
    decryptor = CLIENT.stream(mode="d", source=ShortReader(INPUTS[name](suite_id)), key_provider=KEY)
    tracemalloc.reset_peak()

    with time_limit(10), pytest.raises(SerializationError):
        while decryptor.read(1):
            pass

    assert traced_peak() < PEAK_LIMIT


@pytest.mark.parametrize("name", HEADER_INPUTS)
@pytest.mark.parametrize("parse", ["deserialize_header", "read_unauthenticated_header"])
def test_header_parse_of_a_huge_declared_length_fails_without_allocating_it(
    name: str, parse: str, traced_peak: Callable[[], int]
) -> None:
    data = INPUTS[name](0x0578)
    tracemalloc.reset_peak()

    with pytest.raises(SerializationError):
        if parse == "deserialize_header":
            deserialize_header(ShortReader(data))
        else:
            read_unauthenticated_header(ShortReader(data))

    assert traced_peak() < PEAK_LIMIT


def test_the_huge_inputs_are_truncations_of_messages_that_parse() -> None:
    # Guards the builders above: each input must fail for its missing bytes, not for a typo.
    message = _huge_frame_message(0x0578)
    header, _ = deserialize_header(io.BytesIO(message))
    assert header.frame_length == MAX_FRAME
    _, body_length = struct.unpack(">12sQ", _non_framed_body_declaring_2_to_the_36_then_eof(0x0578)[-120:-100])
    assert body_length == 2**36
    for name in HEADER_INPUTS:
        with pytest.raises(SerializationError, match=r"input ended|end of message"):
            deserialize_header(io.BytesIO(INPUTS[name](0x0578)))
