"""Awkward message sources: short reads, failing reads, text-mode reads, bytes after the message."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from aws_encryption_sdk.exceptions import SerializationError
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
