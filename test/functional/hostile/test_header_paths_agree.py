"""The two header parsers agree on hostile headers: a ``BytesIO`` is sliced, any other source is read.

``deserialize_header`` parses a header held in an ``io.BytesIO`` (what one-shot ``decrypt`` hands it)
by slicing its bytes, and any other source through exact reads. For every flip of every header byte,
every truncation and each ``max_header_size`` around the real size, both must return the same header
and raw bytes, or raise the same exception with the same message, and leave their sources at the same
position.
"""

from __future__ import annotations

import io
from typing import Any, Optional

import pytest

from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header
from test.strategies import SampleMessage, all_sample_messages

from ._support import ShortReader

MESSAGES = [message for message in all_sample_messages() if message.framed]


def _ids(message: SampleMessage) -> str:
    return f"{message.suite_id:#06x}"


def _header_length(message: SampleMessage) -> int:
    return len(deserialize_header(io.BytesIO(message.ciphertext))[1])


def _outcome(source: Any, max_header_size: Optional[int]) -> tuple[object, int]:
    """What parsing gave (result, or exception class and message) and where the source was left."""
    try:
        result: object = deserialize_header(source, max_header_size=max_header_size)
    except Exception as error:  # comparing every outcome is the point
        result = (type(error), str(error))
    position = source.tell() if isinstance(source, io.BytesIO) else source.position
    return result, position


def _disagreements(data: bytes, max_header_size: Optional[int] = None) -> list[str]:
    in_memory = _outcome(io.BytesIO(data), max_header_size)
    streamed = _outcome(ShortReader(data, max_chunk=7), max_header_size)
    return [] if in_memory == streamed else [f"{in_memory!r:.200} != {streamed!r:.200}"]


@pytest.mark.parametrize("message", MESSAGES, ids=_ids)
def test_every_flip_of_a_header_byte_gets_the_same_answer_from_both_parsers(message: SampleMessage) -> None:
    end = _header_length(message)
    problems = []
    for offset in range(end):
        for mask in (0x01, 0x80):
            data = bytearray(message.ciphertext[: end + 8])
            data[offset] ^= mask
            problems += [f"byte {offset} ^ {mask:#x}: {p}" for p in _disagreements(bytes(data))]

    assert problems == []


@pytest.mark.parametrize("message", MESSAGES, ids=_ids)
def test_every_truncation_of_a_header_gets_the_same_answer_from_both_parsers(message: SampleMessage) -> None:
    end = _header_length(message)
    problems = []
    for cut in range(end + 1):
        problems += [f"cut at {cut}: {p}" for p in _disagreements(message.ciphertext[:cut])]

    assert problems == []


@pytest.mark.parametrize("message", MESSAGES, ids=_ids)
def test_header_size_limits_around_the_real_size_get_the_same_answer(message: SampleMessage) -> None:
    end = _header_length(message)
    problems = []
    for limit in [0, 1, 2, 3, end // 2, end - 2, end - 1, end, end + 1]:
        problems += [f"limit {limit}: {p}" for p in _disagreements(message.ciphertext, limit)]

    assert problems == []


def test_a_bytes_io_read_from_the_middle_is_parsed_from_its_position() -> None:
    message = MESSAGES[0]
    source = io.BytesIO(b"junk" + message.ciphertext)
    source.seek(4)

    header, raw = deserialize_header(source)

    assert raw == message.ciphertext[: len(raw)]
    assert source.tell() == 4 + len(raw)
    assert header == deserialize_header(ShortReader(message.ciphertext))[0]
