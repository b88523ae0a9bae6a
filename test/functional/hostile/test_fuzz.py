"""Hypothesis fuzzing of the header parser and of decryption with arbitrary and near-valid bytes.

Whatever the input, the outcome is an exception from ``aws_encryption_sdk.exceptions`` (or
success for an untouched message), within a time limit: never ``IndexError``, ``struct.error``,
``ValueError``, ``KeyError``, ``TypeError``, ``UnicodeDecodeError`` or a raw ``cryptography`` error.
About 2,000 examples in all.
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings

from aws_encryption_sdk import read_unauthenticated_header
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header
from test.functional.raw_keys import aes_master_key
from test.strategies import PLAINTEXT, NearValid, arbitrary_messages, decrypting_client, near_valid_messages

from ._support import ShortReader, describe, is_sdk_error, read_in_chunks, time_limit

CLIENT = decrypting_client()
KEY = aes_master_key()
LIMIT_SECONDS = 5.0
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _parse_header(data: bytes) -> None:
    with time_limit(LIMIT_SECONDS):
        try:
            deserialize_header(io.BytesIO(data))
        except Exception as error:
            assert is_sdk_error(error), describe(error)


@settings(FUZZ, max_examples=400)
@given(data=arbitrary_messages)
def test_header_parser_raises_only_sdk_errors_on_arbitrary_bytes(data: bytes) -> None:
    _parse_header(data)


@settings(FUZZ, max_examples=300)
@given(message=near_valid_messages)
def test_header_parser_raises_only_sdk_errors_on_near_valid_messages(message: NearValid) -> None:
    _parse_header(message.data)


@settings(FUZZ, max_examples=100)
@given(message=near_valid_messages)
def test_read_unauthenticated_header_raises_only_sdk_errors_on_near_valid_messages(message: NearValid) -> None:
    with time_limit(LIMIT_SECONDS):
        try:
            read_unauthenticated_header(ShortReader(message.data))
        except Exception as error:
            assert is_sdk_error(error), describe(error)


@settings(FUZZ, max_examples=300)
@given(data=arbitrary_messages)
def test_decrypt_raises_only_sdk_errors_on_arbitrary_bytes(data: bytes) -> None:
    with time_limit(LIMIT_SECONDS):
        try:
            CLIENT.decrypt(source=data, key_provider=KEY)
        except Exception as error:
            assert is_sdk_error(error), describe(error)
        else:
            raise AssertionError("arbitrary bytes decrypted")


@settings(FUZZ, max_examples=600)
@given(message=near_valid_messages)
def test_decrypt_rejects_near_valid_messages_with_sdk_errors_only(message: NearValid) -> None:
    with time_limit(LIMIT_SECONDS):
        try:
            plaintext, _ = CLIENT.decrypt(source=message.data, key_provider=KEY)
        except Exception as error:
            assert is_sdk_error(error), describe(error)
            assert not message.untouched, f"the untouched message failed: {describe(error)}"
        else:
            assert message.untouched, "a changed message decrypted"
            assert plaintext == PLAINTEXT


@settings(FUZZ, max_examples=300)
@given(message=near_valid_messages)
def test_streaming_decrypt_of_near_valid_messages_releases_only_true_plaintext(message: NearValid) -> None:
    with time_limit(LIMIT_SECONDS):
        decryptor = CLIENT.stream(mode="d", source=ShortReader(message.data, max_chunk=5), key_provider=KEY)
        released, error = read_in_chunks(decryptor.read, 7)

    assert released == PLAINTEXT[: len(released)]
    if error is not None:
        assert is_sdk_error(error), describe(error)
        assert not message.untouched, f"the untouched message failed: {describe(error)}"
    else:
        # A stream stops at the end of the message, so only bytes after it may differ.
        assert message.data.startswith(message.original.ciphertext), "a changed message decrypted"
        assert released == PLAINTEXT
