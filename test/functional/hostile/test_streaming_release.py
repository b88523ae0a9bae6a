"""What a streaming decryptor releases from a tampered message, read in small chunks.

Rules (decrypt-rules.md §4): a regular frame may be released once its tag verifies; nothing of a
tampered frame is ever released; the final frame of a signed message, and a non-framed body, only
after the signature verifies. Whatever was released must be a prefix of the true plaintext.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from aws_encryption_sdk.exceptions import SerializationError, SignatureVerificationError
from test.functional.raw_keys import aes_master_key
from test.strategies import (
    FRAME_LENGTH,
    PLAINTEXT,
    SIGNED_SUITES,
    SUITE_FAMILIES,
    SampleMessage,
    decrypting_client,
    sample_message,
)

from ._support import ShortReader, describe, is_sdk_error, read_in_chunks

CLIENT = decrypting_client()
KEY = aes_master_key()
REGULAR_PLAINTEXT = (len(PLAINTEXT) // FRAME_LENGTH) * FRAME_LENGTH

SOURCES: dict[str, Callable[[bytes], Any]] = {
    "bytes": lambda data: data,
    "BytesIO": io.BytesIO,
    "3-byte reader": ShortReader,
    "BufferedReader": lambda data: io.BufferedReader(io.BytesIO(data), buffer_size=8),
}


def _released_by_stream(data: bytes, source: str, chunk: int) -> tuple[bytes, BaseException | None]:
    decryptor = CLIENT.stream(mode="d", source=SOURCES[source](data), key_provider=KEY)
    return read_in_chunks(decryptor.read, chunk)


def _check_release(
    message: SampleMessage, offset: int, released: bytes, error: BaseException | None, allowed: int
) -> list[str]:
    where = f"offset {offset}"
    problems = []
    if error is None:
        problems.append(f"{where}: tampered message decrypted")
    elif not is_sdk_error(error):
        problems.append(f"{where}: {describe(error)}")
    if released != PLAINTEXT[: len(released)]:
        problems.append(f"{where}: released bytes that are not the plaintext")
    if len(released) > allowed:
        problems.append(f"{where}: released {len(released)} bytes, at most {allowed} allowed")
    return problems


@pytest.mark.parametrize("suite_id", SIGNED_SUITES, ids=hex)
@pytest.mark.parametrize("source", list(SOURCES))
def test_signed_stream_never_releases_the_final_frame_when_final_frame_or_footer_is_flipped(
    suite_id: int, source: str
) -> None:
    message = sample_message(suite_id, framed=True)
    problems = []
    for offset in range(message.final_frame_start, len(message.ciphertext)):
        tampered = bytearray(message.ciphertext)
        tampered[offset] ^= 0x01
        for chunk in (1, 3, 8):
            released, error = _released_by_stream(bytes(tampered), source, chunk)
            problems += _check_release(message, offset, released, error, allowed=REGULAR_PLAINTEXT)

    assert problems == []


@pytest.mark.parametrize("suite_id", SIGNED_SUITES, ids=hex)
@pytest.mark.parametrize("read_all", ["read()", "read(1000)", "iteration"])
def test_signed_stream_read_whole_releases_nothing_when_the_signature_fails(suite_id: int, read_all: str) -> None:
    message = sample_message(suite_id, framed=True)
    tampered = bytearray(message.ciphertext)
    tampered[-1] ^= 0x01
    decryptor = CLIENT.stream(mode="d", source=bytes(tampered), key_provider=KEY)
    released = []

    with pytest.raises(SignatureVerificationError):
        if read_all == "read()":
            released.append(decryptor.read())
        elif read_all == "read(1000)":
            released.append(decryptor.read(1000))
        else:
            released.extend(decryptor)

    assert released == []


@pytest.mark.parametrize("suite_id", SUITE_FAMILIES, ids=hex)
@pytest.mark.parametrize("framed", [True, False], ids=["framed", "nonframed"])
def test_stream_never_releases_plaintext_of_a_tampered_frame(suite_id: int, framed: bool) -> None:
    message = sample_message(suite_id, framed)
    problems = []
    for offset in range(message.body_start, len(message.ciphertext)):
        tampered = bytearray(message.ciphertext)
        tampered[offset] ^= 0x80
        allowed = (message.frame_of(offset) - 1) * FRAME_LENGTH if framed else 0
        for source, chunk in (("bytes", 1), ("3-byte reader", 5)):
            released, error = _released_by_stream(bytes(tampered), source, chunk)
            problems += _check_release(message, offset, released, error, allowed)

    assert problems == []


@pytest.mark.parametrize("suite_id", SUITE_FAMILIES, ids=hex)
def test_stream_releases_nothing_when_the_header_is_flipped(suite_id: int) -> None:
    message = sample_message(suite_id, framed=True)
    problems = []
    for offset in range(0, message.body_start, 3):
        tampered = bytearray(message.ciphertext)
        tampered[offset] ^= 0x01
        released, error = _released_by_stream(bytes(tampered), "3-byte reader", 1)
        problems += _check_release(message, offset, released, error, allowed=0)

    assert problems == []


@pytest.mark.parametrize("suite_id", SUITE_FAMILIES, ids=hex)
def test_stream_header_is_never_exposed_when_the_header_is_flipped(suite_id: int) -> None:
    message = sample_message(suite_id, framed=True)
    exposed = []
    for offset in range(message.body_start):
        tampered = bytearray(message.ciphertext)
        tampered[offset] ^= 0x01
        decryptor = CLIENT.stream(mode="d", source=bytes(tampered), key_provider=KEY)
        for _ in range(2):  # a second look must not see what the first could not
            try:
                header = decryptor.header
            except Exception as error:
                if not is_sdk_error(error):
                    exposed.append(f"offset {offset}: {describe(error)}")
            else:
                exposed.append(f"offset {offset}: header exposed ({header.encryption_context})")

    assert exposed == []


@pytest.mark.parametrize("suite_id", SIGNED_SUITES, ids=hex)
def test_stream_that_failed_refuses_further_reads(suite_id: int) -> None:
    message = sample_message(suite_id, framed=True)
    tampered = bytearray(message.ciphertext)
    tampered[-1] ^= 0x01
    decryptor = CLIENT.stream(mode="d", source=ShortReader(bytes(tampered)), key_provider=KEY)
    released, error = read_in_chunks(decryptor.read, 4)

    assert isinstance(error, SignatureVerificationError)
    assert released == PLAINTEXT[:REGULAR_PLAINTEXT]
    for _ in range(3):
        with pytest.raises(SerializationError, match="This stream failed earlier and cannot be used"):
            decryptor.read(4)
