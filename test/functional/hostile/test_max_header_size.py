"""``max_header_size``: an oversized header is refused before any key provider is asked."""

from __future__ import annotations

import io

import pytest

from aws_encryption_sdk import DecryptorConfig, StreamDecryptor
from aws_encryption_sdk.exceptions import CustomMaximumValueExceeded
from aws_encryption_sdk.identifiers import CommitmentPolicy
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header
from test.strategies import PLAINTEXT, SUITE_FAMILIES, decrypting_client, encrypting_client, suite

from ._forge import Forge, u16
from ._support import ShortReader, recording_provider

CLIENT = decrypting_client()
BIG_CONTEXT = {"padding": "p" * 2000, "more": "m" * 1000}


def _big_header_message(suite_id: int) -> tuple[bytes, int]:
    """A message with a header body of about 3 KB, and the exact header body length."""
    ciphertext, _ = encrypting_client(suite_id).encrypt(
        source=PLAINTEXT,
        key_provider=recording_provider(),
        algorithm=suite(suite_id),
        frame_length=16,
        encryption_context=BIG_CONTEXT,
    )
    _, raw_header = deserialize_header(io.BytesIO(ciphertext))
    return ciphertext, len(raw_header)


@pytest.mark.parametrize("suite_id", SUITE_FAMILIES, ids=hex)
@pytest.mark.parametrize("limit_below", [1, 100, 3000])
def test_decrypt_refuses_a_header_above_max_header_size_before_calling_the_provider(
    suite_id: int, limit_below: int
) -> None:
    ciphertext, header_size = _big_header_message(suite_id)
    provider = recording_provider()

    with pytest.raises(CustomMaximumValueExceeded):
        CLIENT.decrypt(source=ciphertext, key_provider=provider, max_header_size=header_size - limit_below)

    assert provider.calls == []


@pytest.mark.parametrize("suite_id", SUITE_FAMILIES, ids=hex)
def test_decrypt_accepts_a_header_of_exactly_max_header_size(suite_id: int) -> None:
    ciphertext, header_size = _big_header_message(suite_id)
    provider = recording_provider()

    plaintext, _ = CLIENT.decrypt(source=ciphertext, key_provider=provider, max_header_size=header_size)

    assert plaintext == PLAINTEXT
    assert provider.calls != []


def test_decryptor_config_max_header_size_refuses_before_calling_the_provider() -> None:
    ciphertext, header_size = _big_header_message(0x0578)
    provider = recording_provider()
    config = DecryptorConfig(
        source=ciphertext,
        key_provider=provider,
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
        max_header_size=header_size - 1,
    )

    with pytest.raises(CustomMaximumValueExceeded):
        StreamDecryptor(config=config).read()

    assert provider.calls == []


def test_streaming_max_header_size_refuses_on_header_access_and_reads_no_further_than_the_limit() -> None:
    ciphertext, header_size = _big_header_message(0x0478)
    provider = recording_provider()
    source = ShortReader(ciphertext)
    limit = header_size // 2
    decryptor = CLIENT.stream(mode="d", source=source, key_provider=provider, max_header_size=limit)

    with pytest.raises(CustomMaximumValueExceeded):
        _ = decryptor.header

    assert provider.calls == []
    assert source.position <= limit


@pytest.mark.parametrize("suite_id", [0x0078, 0x0578], ids=hex)
def test_max_header_size_stops_a_forged_65535_byte_context_before_reading_it(suite_id: int) -> None:
    forge = Forge(suite_id)
    prefix = (b"\x01\x80" if forge.facts.version == 1 else b"\x02") + u16(suite_id) + forge.message_id
    source = ShortReader(prefix + u16(65535) + b"\x00" * 65535)
    provider = recording_provider()

    with pytest.raises(CustomMaximumValueExceeded):
        CLIENT.decrypt(source=source, key_provider=provider, max_header_size=1024)

    assert provider.calls == []
    assert source.position <= 1024


def test_max_header_size_does_not_limit_the_body() -> None:
    ciphertext, _ = encrypting_client(0x0578).encrypt(
        source=b"x" * 100_000, key_provider=recording_provider(), algorithm=suite(0x0578), frame_length=4096
    )
    _, raw_header = deserialize_header(io.BytesIO(ciphertext))

    plaintext, _ = CLIENT.decrypt(source=ciphertext, key_provider=recording_provider(), max_header_size=len(raw_header))

    assert plaintext == b"x" * 100_000
