"""A hostile encrypted-data-key section: malformed raw-AES keys, and very many keys.

DECISIONS #6/#7: an EDK that cannot be unwrapped is skipped and the next one, in header order,
is tried. A header may carry up to 65,535 EDKs when ``max_encrypted_data_keys`` is not set; the
work must stay linear and the resulting error must not grow with the attacker's key count.
"""

from __future__ import annotations

import logging

import pytest

from aws_encryption_sdk.exceptions import DecryptKeyError, MaxEncryptedDataKeysExceeded
from test.functional.raw_keys import aes_master_key
from test.strategies import decrypting_client

from ._forge import KEY_ID, PROVIDER_ID, WRAPPING_KEY, Forge, u8, u16, u32
from ._support import time_limit

CLIENT = decrypting_client()
KEY = aes_master_key()
IV = b"\x77" * 12


def _entry(provider_id: bytes, key_info: bytes, ciphertext: bytes) -> bytes:
    return u16(len(provider_id)) + provider_id + u16(len(key_info)) + key_info + u16(len(ciphertext)) + ciphertext


def _message(forge: Forge, entries: list[bytes]) -> bytes:
    """A framed message whose EDK section holds ``entries`` (header tag valid)."""
    context = forge.context_bytes()
    edks = u16(len(entries)) + b"".join(entries)
    head = u8(2) + u16(forge.suite_id) + forge.message_id + u16(len(context)) + context
    tail = u8(2) + u32(16) + forge.commitment_key()
    return forge.header(head + edks + tail) + forge.final_frame(1, b"xy")


def _info(tag_bits: int = 128, iv_length: int = 12, iv: bytes = IV) -> bytes:
    return KEY_ID + u32(tag_bits) + u32(iv_length) + iv


def _wrapped(forge: Forge) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(WRAPPING_KEY).encrypt(IV, forge.data_key, forge.context_bytes())


MALFORMED = {
    "tag of 64 bits": lambda forge: _entry(PROVIDER_ID, _info(tag_bits=64), _wrapped(forge)),
    "tag of 0 bits": lambda forge: _entry(PROVIDER_ID, _info(tag_bits=0), _wrapped(forge)),
    "tag of 2**32-8 bits": lambda forge: _entry(PROVIDER_ID, _info(tag_bits=2**32 - 8), _wrapped(forge)),
    "IV length 0": lambda forge: _entry(PROVIDER_ID, _info(iv_length=0, iv=b""), _wrapped(forge)),
    "IV length 2**32-1": lambda forge: _entry(PROVIDER_ID, _info(iv_length=2**32 - 1), _wrapped(forge)),
    "key info cut short": lambda forge: _entry(PROVIDER_ID, KEY_ID + u32(128), _wrapped(forge)),
    "key ID only": lambda forge: _entry(PROVIDER_ID, KEY_ID, _wrapped(forge)),
    "wrong data key length": lambda forge: _entry(PROVIDER_ID, _info(), _wrapped(Forge(0x0014))),
    "garbage ciphertext": lambda forge: _entry(PROVIDER_ID, _info(), b"\x00" * 48),
    "empty provider ID": lambda forge: _entry(b"", b"", b""),
    "foreign provider": lambda forge: _entry(b"aws-kms", b"arn:aws:kms:us-west-2:111122223333:key/x", b"\x00"),
}
SHORT_CIPHERTEXT = {
    "empty ciphertext": lambda forge: _entry(PROVIDER_ID, _info(), b""),
    "ciphertext of only a tag": lambda forge: _entry(PROVIDER_ID, _info(), _wrapped(forge)[-16:]),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_edk_alone_fails_with_decrypt_key_error(name: str) -> None:
    forge = Forge(0x0478)

    with pytest.raises(DecryptKeyError):
        CLIENT.decrypt(source=_message(forge, [MALFORMED[name](forge)]), key_provider=KEY)


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_edk_is_skipped_for_the_next_one(name: str) -> None:
    forge = Forge(0x0478)
    message = _message(forge, [MALFORMED[name](forge), forge.edk_entry()])

    plaintext, _ = CLIENT.decrypt(source=message, key_provider=KEY)

    assert plaintext == b"xy"


@pytest.mark.parametrize("name", list(SHORT_CIPHERTEXT))
def test_an_edk_with_a_too_short_ciphertext_is_skipped_for_the_next_one(name: str) -> None:
    forge = Forge(0x0478)
    message = _message(forge, [SHORT_CIPHERTEXT[name](forge), forge.edk_entry()])

    plaintext, _ = CLIENT.decrypt(source=message, key_provider=KEY)

    assert plaintext == b"xy"


def _many_foreign_edks(count: int) -> bytes:
    forge = Forge(0x0478)
    return _message(forge, [_entry(b"x", u16(index), b"") for index in range(count)])


def test_max_encrypted_data_keys_refuses_many_edks_before_reading_them() -> None:
    with time_limit(5), pytest.raises(MaxEncryptedDataKeysExceeded):
        decrypting_client(max_encrypted_data_keys=10).decrypt(source=_many_foreign_edks(65_535), key_provider=KEY)


def test_65535_foreign_edks_fail_with_decrypt_key_error_in_bounded_time() -> None:
    with time_limit(30), pytest.raises(DecryptKeyError):
        CLIENT.decrypt(source=_many_foreign_edks(65_535), key_provider=KEY)


def test_decrypt_key_error_message_does_not_grow_with_the_number_of_edks() -> None:
    with pytest.raises(DecryptKeyError) as raised:
        CLIENT.decrypt(source=_many_foreign_edks(5_000), key_provider=KEY)

    assert len(str(raised.value)) < 16_384


def test_a_rejected_message_with_many_edks_does_not_flood_the_log(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("aws_encryption_sdk.streaming_client")
    logger.setLevel(logging.NOTSET)  # undo the directory's quiet fixture for this test
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DecryptKeyError):
        CLIENT.decrypt(source=_many_foreign_edks(5_000), key_provider=KEY)

    assert len(caplog.text) < 65_536
