"""Exhaustive small mutations of real messages: every flip, every truncation, appended bytes.

Each suite family (0x0014, 0x0078, 0x0378, 0x0478, 0x0578), framed and non-framed, 40 bytes of
plaintext and frame length 16 (two regular frames and a final frame). One-shot ``decrypt`` must
reject every mutated message with an exception defined in ``aws_encryption_sdk.exceptions`` and
never return plaintext.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from aws_encryption_sdk import CachingCryptoMaterialsManager, LocalCryptoMaterialsCache
from aws_encryption_sdk.exceptions import SerializationError
from test.functional.raw_keys import aes_master_key, rsa_master_key
from test.strategies import (
    CONTEXT,
    PLAINTEXT,
    SampleMessage,
    all_sample_messages,
    decrypting_client,
    encrypting_client,
    suite,
)

from ._support import ShortReader, decrypt_outcome, describe, is_sdk_error

MESSAGES = all_sample_messages()
CLIENT = decrypting_client()
KEY = aes_master_key()


def _ids(message: SampleMessage) -> str:
    return f"{message.suite_id:#06x}-{'framed' if message.framed else 'nonframed'}"


@pytest.mark.parametrize("message", MESSAGES, ids=_ids)
def test_sample_message_decrypts_before_any_mutation(message: SampleMessage) -> None:
    plaintext, header = CLIENT.decrypt(source=message.ciphertext, key_provider=KEY)

    assert plaintext == PLAINTEXT
    assert header.algorithm.algorithm_id == message.suite_id


@pytest.mark.parametrize("message", MESSAGES, ids=_ids)
def test_decrypt_rejects_every_single_byte_flip(message: SampleMessage) -> None:
    failures = []
    for offset in range(len(message.ciphertext)):
        for mask in (0x01, 0x80):
            tampered = bytearray(message.ciphertext)
            tampered[offset] ^= mask
            outcome = decrypt_outcome(CLIENT, bytes(tampered), KEY)
            if outcome is not None:
                failures.append(f"offset {offset} xor {mask:#04x}: {outcome}")

    assert failures == []


@pytest.mark.parametrize("message", MESSAGES, ids=_ids)
def test_decrypt_rejects_every_truncation(message: SampleMessage) -> None:
    failures = []
    for length in range(len(message.ciphertext)):
        outcome = decrypt_outcome(CLIENT, message.ciphertext[:length], KEY)
        if outcome is not None:
            failures.append(f"prefix of {length} bytes: {outcome}")

    assert failures == []


@pytest.mark.parametrize("message", MESSAGES, ids=_ids)
def test_decrypt_rejects_every_truncation_from_a_short_reading_stream(message: SampleMessage) -> None:
    failures = []
    for length in range(0, len(message.ciphertext), 7):
        outcome = decrypt_outcome(CLIENT, ShortReader(message.ciphertext[:length]), KEY)
        if outcome is not None:
            failures.append(f"prefix of {length} bytes: {outcome}")

    assert failures == []


APPENDIX = [b"\x00", b"\xff", b"\x00" * 16, b"\xff\xff\xff\xff", b"junk after the message"]


@pytest.mark.parametrize("message", MESSAGES, ids=_ids)
def test_decrypt_rejects_bytes_appended_to_the_message(message: SampleMessage) -> None:
    appendices = [*APPENDIX, message.ciphertext, message.ciphertext[: message.body_start]]
    failures = []
    for extra in appendices:
        try:
            CLIENT.decrypt(source=message.ciphertext + extra, key_provider=KEY)
        except SerializationError:
            continue
        except Exception as error:
            failures.append(f"{len(extra)} bytes appended: {type(error).__name__}: {error}")
        else:
            failures.append(f"{len(extra)} bytes appended: accepted")

    assert failures == []


@pytest.mark.parametrize("message", MESSAGES[:2] + MESSAGES[-2:], ids=_ids)
def test_decrypt_rejects_bytes_appended_to_a_message_read_from_a_stream(message: SampleMessage, tmp_path: Path) -> None:
    path = tmp_path / "message.bin"
    path.write_bytes(message.ciphertext + b"\x00")

    with path.open("rb") as handle, pytest.raises(SerializationError):
        CLIENT.decrypt(source=handle, key_provider=KEY)
    with pytest.raises(SerializationError):
        CLIENT.decrypt(source=ShortReader(message.ciphertext + b"\x00"), key_provider=KEY)
    with pytest.raises(SerializationError):
        CLIENT.decrypt(source=io.BufferedReader(io.BytesIO(message.ciphertext + b"tail")), key_provider=KEY)


@pytest.mark.parametrize("suite_id", [0x0378, 0x0578], ids=hex)
def test_decrypt_rejects_every_flip_in_the_context_of_an_rsa_wrapped_signed_message(suite_id: int) -> None:
    # An RSA-wrapped data key is not bound to the context, so a flipped context reaches the
    # context parser, the public-key decoder and the header check instead of failing at unwrap.
    key = rsa_master_key()
    ciphertext, _ = encrypting_client(suite_id).encrypt(
        source=PLAINTEXT, key_provider=key, algorithm=suite(suite_id), frame_length=16, encryption_context=CONTEXT
    )
    context_start = 4 + suite(suite_id).message_id_length() + (0 if suite_id < 0x0400 else -1)
    context_end = ciphertext.index(b"raw-rsa") - 4
    failures = []
    for offset in range(context_start, context_end):
        for mask in (0x01, 0x20, 0x80):
            tampered = bytearray(ciphertext)
            tampered[offset] ^= mask
            outcome = decrypt_outcome(CLIENT, bytes(tampered), key)
            if outcome is not None:
                failures.append(f"offset {offset} xor {mask:#04x}: {outcome}")

    assert context_end - context_start > 100
    assert failures == []


@pytest.mark.parametrize("message", MESSAGES, ids=_ids)
def test_a_caching_cmm_rejects_every_flip_and_still_decrypts_the_original(message: SampleMessage) -> None:
    # Cached materials must never let a tampered message through, nor be spoiled by one.
    cmm = CachingCryptoMaterialsManager(
        master_key_provider=KEY, cache=LocalCryptoMaterialsCache(capacity=10), max_age=600.0
    )
    assert CLIENT.decrypt(source=message.ciphertext, materials_manager=cmm)[0] == PLAINTEXT
    failures = []
    for offset in range(len(message.ciphertext)):
        tampered = bytearray(message.ciphertext)
        tampered[offset] ^= 0x01
        try:
            CLIENT.decrypt(source=bytes(tampered), materials_manager=cmm)
        except Exception as error:
            if not is_sdk_error(error):
                failures.append(f"offset {offset}: {describe(error)}")
        else:
            failures.append(f"offset {offset}: accepted")

    assert failures == []
    assert CLIENT.decrypt(source=message.ciphertext, materials_manager=cmm)[0] == PLAINTEXT
