"""Messages forged by a sender who holds the key: every tag verifies, the structure is hostile.

Mutation tests stop at the first failed tag. These messages are written by the independent
writer in ``_forge.py`` with valid header tags, frame tags and signatures, so they reach the
decryptor's structural rules: sequence order, deterministic IVs (DECISIONS #10), the final-frame
length, bytes after the end (DECISIONS #4), header sanity (DECISIONS #11) and the footer.
"""

from __future__ import annotations

import base64
import io

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from aws_encryption_sdk.exceptions import (
    CustomMaximumValueExceeded,
    MasterKeyProviderError,
    MaxEncryptedDataKeysExceeded,
    SerializationError,
    SignatureVerificationError,
)
from test.functional.raw_keys import aes_master_key
from test.strategies import SIGNED_SUITES, SUITE_FAMILIES, decrypting_client

from ._forge import PUBLIC_KEY_NAME, Forge, serialize_pairs, u16, u32
from ._support import describe, is_sdk_error, time_limit

CLIENT = decrypting_client()
KEY = aes_master_key()
A = bytes(range(16))
B = bytes(range(16, 32))
OTHER_IV = b"\x01" * 12


def _decrypt(message: bytes) -> bytes:
    plaintext, _ = CLIENT.decrypt(source=message, key_provider=KEY)
    return plaintext


@pytest.fixture(params=SUITE_FAMILIES, ids=hex)
def forge(request: pytest.FixtureRequest) -> Forge:
    return Forge(request.param)


def _framed_header(forge: Forge) -> bytes:
    return forge.header(forge.header_body(16))


def test_forged_conforming_messages_decrypt(forge: Forge) -> None:
    # Guards the writer: without this, every rejection below could be the forge's own mistake.
    assert _decrypt(forge.framed(A + B + b"tail", 16)) == A + B + b"tail"
    assert _decrypt(forge.non_framed(b"single block")) == b"single block"


@pytest.mark.parametrize(
    "layout",
    [
        [("regular", 2, A), ("regular", 1, B), ("final", 3, b"")],
        [("regular", 1, A), ("regular", 1, B), ("final", 2, b"")],
        [("regular", 1, A), ("regular", 3, B), ("final", 4, b"")],
        [("regular", 1, A), ("final", 3, b"")],
        [("regular", 1, A), ("final", 1, b"")],
        [("final", 0, b"xy")],
        [("final", 2, b"xy")],
        [("regular", 0, A), ("final", 1, b"")],
    ],
    ids=["swapped", "repeated", "skipped", "final-skips", "final-repeats", "final-zero", "final-two", "first-zero"],
)
def test_frames_out_of_order_are_refused_even_with_valid_tags(
    forge: Forge, layout: list[tuple[str, int, bytes]]
) -> None:
    frames = b"".join(
        forge.regular_frame(number, data) if kind == "regular" else forge.final_frame(number, data)
        for kind, number, data in layout
    )

    with pytest.raises(SerializationError, match="out of order"):
        _decrypt(forge.seal(_framed_header(forge) + frames))


def test_a_regular_frame_with_a_non_deterministic_iv_is_refused(forge: Forge) -> None:
    frames = forge.regular_frame(1, A, iv=OTHER_IV) + forge.final_frame(2, b"")

    with pytest.raises(SerializationError, match="IV"):
        _decrypt(forge.seal(_framed_header(forge) + frames))


def test_a_final_frame_with_a_non_deterministic_iv_is_refused(forge: Forge) -> None:
    frames = forge.regular_frame(1, A) + forge.final_frame(2, b"xy", iv=OTHER_IV)

    with pytest.raises(SerializationError, match="IV"):
        _decrypt(forge.seal(_framed_header(forge) + frames))


def test_a_non_framed_body_with_a_non_deterministic_iv_is_refused(forge: Forge) -> None:
    header = forge.header(forge.header_body(0, content_type=1))

    with pytest.raises(SerializationError, match="IV"):
        _decrypt(forge.seal(header + forge.single_block(b"abc", iv=OTHER_IV)))


def test_a_version_1_header_iv_that_is_not_zero_is_refused() -> None:
    forge = Forge(0x0178)
    header = forge.header(forge.header_body(16), header_iv=b"\x05" * 12)

    with pytest.raises(SerializationError):
        _decrypt(header + forge.final_frame(1, b"xy"))


def test_a_full_length_final_frame_decrypts(forge: Forge) -> None:
    frames = forge.regular_frame(1, A) + forge.final_frame(2, B)

    assert _decrypt(forge.seal(_framed_header(forge) + frames)) == A + B


def test_a_final_frame_longer_than_the_frame_length_is_refused(forge: Forge) -> None:
    with pytest.raises(SerializationError, match="Invalid final frame length: 17 > 16"):
        _decrypt(forge.seal(_framed_header(forge) + forge.final_frame(1, A + b"!")))


def test_frames_after_the_final_frame_are_refused_by_one_shot_decrypt(forge: Forge) -> None:
    message = forge.seal(_framed_header(forge) + forge.final_frame(1, b"xy"))

    with pytest.raises(SerializationError):
        _decrypt(message + forge.regular_frame(2, A))


def test_frames_after_the_final_frame_are_left_unread_by_a_stream(forge: Forge) -> None:
    extra = forge.regular_frame(2, A)
    source = io.BytesIO(forge.seal(_framed_header(forge) + forge.final_frame(1, b"xy")) + extra)

    assert CLIENT.stream(mode="d", source=source, key_provider=KEY).read() == b"xy"
    assert source.read() == extra


def test_a_header_without_encrypted_data_keys_is_refused(forge: Forge) -> None:
    header = forge.header(forge.header_body(16, edk_count=0))

    with pytest.raises(SerializationError, match="no encrypted data keys"):
        _decrypt(forge.seal(header + forge.final_frame(1, b"xy")))


def test_repeated_encrypted_data_keys_count_against_max_encrypted_data_keys(forge: Forge) -> None:
    message = forge.seal(forge.header(forge.header_body(16, edk_count=3)) + forge.final_frame(1, b"xy"))

    assert _decrypt(message) == b"xy"
    with pytest.raises(MaxEncryptedDataKeysExceeded):
        decrypting_client(max_encrypted_data_keys=2).decrypt(source=message, key_provider=KEY)


def test_an_unsorted_context_is_accepted_as_the_original_does(forge: Forge) -> None:
    pairs = sorted((key.encode(), value.encode()) for key, value in forge.stored_context().items())
    header = forge.header(forge.header_body(16, context_field=serialize_pairs(pairs[::-1])))

    assert _decrypt(forge.seal(header + forge.final_frame(1, b"xy"))) == b"xy"


def test_a_context_with_a_repeated_key_is_refused(forge: Forge) -> None:
    pairs = sorted((key.encode(), value.encode()) for key, value in forge.stored_context().items())
    header = forge.header(forge.header_body(16, context_field=serialize_pairs([*pairs, pairs[0]])))

    with pytest.raises(SerializationError, match="Duplicate key"):
        _decrypt(forge.seal(header + forge.final_frame(1, b"xy")))


@pytest.mark.parametrize("suite_id", [0x0014, 0x0078, 0x0478], ids=hex)
def test_an_empty_context_written_as_a_zero_pair_count_is_accepted(suite_id: int) -> None:
    forge = Forge(suite_id, context={})
    header = forge.header(forge.header_body(16, context_field=b"\x00\x00"))

    assert _decrypt(forge.seal(header + forge.final_frame(1, b"xy"))) == b"xy"


def test_a_version_1_header_naming_a_version_2_suite_is_refused() -> None:
    forge = Forge(0x0178)
    body = bytearray(forge.header_body(16))
    body[2:4] = u16(0x0478)

    with pytest.raises(SerializationError, match="does not match"):
        _decrypt(forge.header(bytes(body)) + forge.final_frame(1, b"xy"))


@pytest.mark.parametrize("suite_id", [0x0478, 0x0578], ids=hex)
def test_a_wrong_key_commitment_is_refused(suite_id: int) -> None:
    forge = Forge(suite_id)
    header = forge.header(forge.header_body(16, commitment=bytes(32)))

    with pytest.raises(MasterKeyProviderError, match="commitment"):
        _decrypt(forge.seal(header + forge.final_frame(1, b"xy")))


def test_framed_content_with_frame_length_zero_ends_in_bounded_time(forge: Forge) -> None:
    # The original's parser accepts frame length 0 for framed content; empty frames then carry
    # no plaintext. Whatever the decision, 20,000 of them must neither hang nor crash.
    header = forge.header(forge.header_body(0))
    frames = b"".join(forge.regular_frame(number, b"") for number in range(1, 20_001))
    message = forge.seal(header + frames + forge.final_frame(20_001, b""))

    with time_limit(10):
        try:
            plaintext = _decrypt(message)
        except Exception as error:
            assert is_sdk_error(error), describe(error)
        else:
            assert plaintext == b""


def test_a_frame_length_above_the_maximum_is_refused(forge: Forge) -> None:
    with pytest.raises(SerializationError, match="larger than allowed maximum"):
        _decrypt(forge.header(forge.header_body(2**31)) + forge.final_frame(1, b"xy"))


def test_a_non_framed_body_above_max_body_length_is_refused(forge: Forge) -> None:
    message = forge.non_framed(b"z" * 100)

    with pytest.raises(CustomMaximumValueExceeded, match="100 > 99"):
        CLIENT.decrypt(source=message, key_provider=KEY, max_body_length=99)


@pytest.mark.parametrize("suite_id", SIGNED_SUITES, ids=hex)
@pytest.mark.parametrize(
    "footer",
    ["empty signature", "signature over other bytes", "signature with a byte more", "65535 bytes"],
)
def test_a_bad_footer_is_refused_with_signature_verification_error(suite_id: int, footer: str) -> None:
    forge = Forge(suite_id)
    signed = _framed_header(forge) + forge.final_frame(1, b"xy")
    signature = forge.footer(signed)[2:]
    footers = {
        "empty signature": u16(0),
        "signature over other bytes": forge.footer(signed + b"!"),
        "signature with a byte more": u16(len(signature) + 1) + signature + b"\x00",
        "65535 bytes": u16(65535) + b"\x30" * 65535,
    }

    with pytest.raises(SignatureVerificationError):
        _decrypt(signed + footers[footer])


@pytest.mark.parametrize("suite_id", SIGNED_SUITES, ids=hex)
def test_a_signed_suite_without_a_public_key_in_the_context_is_refused(suite_id: int) -> None:
    forge = Forge(suite_id)
    forge.signing_key = None
    message = _framed_header(forge) + forge.final_frame(1, b"xy")

    with pytest.raises(SerializationError, match="No signature verification key found in header for signed algorithm"):
        _decrypt(message + u16(2) + b"\x30\x00")


@pytest.mark.parametrize("suite_id", [0x0014, 0x0078, 0x0478], ids=hex)
def test_an_unsigned_suite_with_a_public_key_in_the_context_is_refused(suite_id: int) -> None:
    forge = Forge(suite_id, signing_key=ec.derive_private_key(7, ec.SECP384R1()))
    header = forge.header(forge.header_body(16))

    with pytest.raises(SerializationError):
        _decrypt(header + forge.final_frame(1, b"xy"))


def test_a_final_frame_split_from_its_length_by_a_stream_source_still_decrypts() -> None:
    # u32 pieces read one byte at a time: the length field arrives in four reads.
    forge = Forge(0x0578)
    message = forge.framed(A + B + b"xyz", 16)
    final = message.rindex(b"\xff\xff\xff\xff")
    assert message[final + 20 : final + 24] == u32(3)

    class OneByte(io.RawIOBase):
        def __init__(self) -> None:
            self._source = io.BytesIO(message)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            data = self._source.read(1)
            buffer[: len(data)] = data
            return len(data)

    plaintext, _ = CLIENT.decrypt(source=OneByte(), key_provider=KEY)

    assert plaintext == A + B + b"xyz"


def _compressed(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.X962, PublicFormat.CompressedPoint)


_P384 = ec.derive_private_key(0x1234567890ABCDEF, ec.SECP384R1())
_P384_PRIME = 2**384 - 2**128 - 2**96 + 2**32 - 1
PUBLIC_KEY_VALUES = {
    "uncompressed point": base64.b64encode(
        _P384.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    ).decode(),
    "P-256 point": base64.b64encode(_compressed(ec.derive_private_key(5, ec.SECP256R1()))).decode(),
    "non-ASCII text": "é" * 68,
    "urlsafe base64": base64.urlsafe_b64encode(_compressed(_P384)).decode(),
    "missing padding": base64.b64encode(_compressed(_P384)).decode().rstrip("="),
    "empty": "",
    "x = field prime": base64.b64encode(b"\x02" + _P384_PRIME.to_bytes(48, "big")).decode(),
    "x = all ones": base64.b64encode(b"\x03" + b"\xff" * 48).decode(),
    "bad prefix byte": base64.b64encode(b"\x05" + _compressed(_P384)[1:]).decode(),
    "DER public key": base64.b64encode(
        _P384.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    ).decode(),
    "one byte too many": base64.b64encode(_compressed(_P384) + b"\x00").decode(),
    "45,000 bytes": "A" * 60_000,
}


class _PublicKeyForge(Forge):
    """A forge whose stored context carries an arbitrary public-key value."""

    public_key_value = ""

    def stored_context(self) -> dict[str, str]:
        return {**self.context, PUBLIC_KEY_NAME: self.public_key_value}


@pytest.mark.parametrize("suite_id", SIGNED_SUITES, ids=hex)
@pytest.mark.parametrize("value", list(PUBLIC_KEY_VALUES))
def test_a_malformed_public_key_in_the_context_is_refused_with_an_sdk_error(suite_id: int, value: str) -> None:
    forge = _PublicKeyForge(suite_id)
    forge.public_key_value = PUBLIC_KEY_VALUES[value]
    message = forge.seal(_framed_header(forge) + forge.final_frame(1, b"xy"))

    with pytest.raises(SerializationError):
        _decrypt(message)
