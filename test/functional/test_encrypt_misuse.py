"""Encrypting from awkward sources and with a caller's materials: the message decrypts, or nothing is written.

A source that says too little about its length, a non-blocking source, or materials whose data key or
signing key disagree with their suite could make a message that decrypts to less than the plaintext,
or not at all. Each case here either round-trips exactly or ends in an SDK error.
"""

from __future__ import annotations

import io
import os
import threading
from typing import Any

import attrs
import pytest

import aws_encryption_sdk
from aws_encryption_sdk.caches.local import LocalCryptoMaterialsCache
from aws_encryption_sdk.exceptions import (
    ActionNotAllowedError,
    AWSEncryptionSDKClientError,
    CustomMaximumValueExceeded,
    InvalidDataKeyError,
    InvalidParameterError,
    SerializationError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from aws_encryption_sdk.internal.crypto.authentication import Signer
from aws_encryption_sdk.internal.crypto.elliptic_curve import generate_ecc_signing_key
from aws_encryption_sdk.internal.defaults import ENCODED_SIGNER_KEY
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)
from aws_encryption_sdk.materials_managers.base import CryptoMaterialsManager
from aws_encryption_sdk.materials_managers.caching import CachingCryptoMaterialsManager
from aws_encryption_sdk.materials_managers.default import DefaultCryptoMaterialsManager
from aws_encryption_sdk.structures import DataKey, MasterKeyInfo
from test.functional.raw_keys import aes_master_key

CLIENT = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
KEY = aes_master_key()
PLAINTEXT = os.urandom(5000)
SIGNED = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
UNSIGNED = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY


def _round_trips_or_refuses(**kwargs: Any) -> str:
    """Encrypt; return "round trip" when the message decrypts to PLAINTEXT, else the SDK error's name."""
    try:
        ciphertext, _ = CLIENT.encrypt(key_provider=KEY, **kwargs)
    except AWSEncryptionSDKClientError as error:
        return type(error).__name__
    assert CLIENT.decrypt(source=ciphertext, key_provider=KEY)[0] == PLAINTEXT
    return "round trip"


# A length that says too little or too much -------------------------------------------------------------------


@pytest.mark.parametrize("frame_length", [0, 4096])
@pytest.mark.parametrize("stated", [0, 10, len(PLAINTEXT) - 1])
def test_a_source_length_below_the_data_never_cuts_the_message_short(frame_length: int, stated: int) -> None:
    for source in (PLAINTEXT, io.BytesIO(PLAINTEXT)):
        outcome = _round_trips_or_refuses(source=source, frame_length=frame_length, source_length=stated)
        # Framed messages read to the end (the length is only an estimate with a key provider).
        assert outcome == ("round trip" if frame_length else "SerializationError")


class _SeekableStream(io.BytesIO):
    """A seekable source read as a stream (a subclass is not read in memory)."""


@pytest.mark.parametrize("make_source", [bytes, _SeekableStream], ids=["in-memory", "seekable-stream"])
def test_a_non_framed_message_refuses_a_source_holding_more_than_its_stated_length(make_source: Any) -> None:
    with pytest.raises(SerializationError, match=r"^The source holds more than the 10 bytes its length promised"):
        CLIENT.encrypt(source=make_source(PLAINTEXT), key_provider=KEY, frame_length=0, source_length=10)
    # With a materials manager, as for framed messages: the stated length was exceeded.
    with pytest.raises(CustomMaximumValueExceeded, match="exceeded stated source length estimate: the source holds"):
        CLIENT.encrypt(
            source=make_source(PLAINTEXT),
            materials_manager=DefaultCryptoMaterialsManager(master_key_provider=KEY),
            frame_length=0,
            source_length=10,
        )


def test_a_non_framed_message_of_a_stated_length_does_not_wait_for_a_source_that_stays_open() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, PLAINTEXT[:100])  # the writer stays open: reading past 100 bytes would block
    outcome: list[bytes] = []
    with os.fdopen(read_end, "rb", buffering=0) as source:
        worker = threading.Thread(
            target=lambda: outcome.append(
                CLIENT.encrypt(source=source, key_provider=KEY, frame_length=0, source_length=100)[0]
            ),
            daemon=True,
        )
        worker.start()
        worker.join(10)
        os.close(write_end)
    assert outcome, "encrypt waited for more data than its stated length"
    assert CLIENT.decrypt(source=outcome[0], key_provider=KEY)[0] == PLAINTEXT[:100]


def test_a_non_framed_message_refuses_a_source_ending_before_its_stated_length() -> None:
    with pytest.raises(SerializationError, match="ended 5 bytes before the 5005 bytes its length promised"):
        CLIENT.encrypt(source=PLAINTEXT, key_provider=KEY, frame_length=0, source_length=len(PLAINTEXT) + 5)


def test_a_negative_source_length_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="source_length cannot be negative"):
        CLIENT.stream(mode="e", source=PLAINTEXT, key_provider=KEY, source_length=-1)
    with pytest.raises(ValueError, match="plaintext_length cannot be negative"):
        EncryptionMaterialsRequest(encryption_context={}, frame_length=4096, plaintext_length=-1)


def test_a_negative_length_cannot_reset_the_caching_cmm_byte_limit() -> None:
    cmm = CachingCryptoMaterialsManager(
        master_key_provider=KEY, cache=LocalCryptoMaterialsCache(10), max_age=600.0, max_bytes_encrypted=1000
    )
    first, _ = CLIENT.encrypt(source=b"a" * 900, materials_manager=cmm, algorithm=UNSIGNED)
    with pytest.raises(ValueError):
        CLIENT.encrypt(source=b"", materials_manager=cmm, algorithm=UNSIGNED, source_length=-(10**9))
    second, _ = CLIENT.encrypt(source=b"b" * 900, materials_manager=cmm, algorithm=UNSIGNED)
    # 1,800 bytes are over the limit: the second message has a data key of its own.
    edk = CLIENT.decrypt(source=first, materials_manager=cmm)[1].encrypted_data_keys
    assert edk != CLIENT.decrypt(source=second, materials_manager=cmm)[1].encrypted_data_keys


class _LyingBytesIO(io.BytesIO):
    """A seekable source whose ``tell`` or ``seek`` misbehaves in one way."""

    def __init__(self, data: bytes, fault: str) -> None:
        super().__init__(data)
        self.fault = fault

    def tell(self) -> Any:
        position = super().tell()
        return {
            "tell None": None,
            "tell str": str(position),
            "tell negative": -1,
            "tell negative, seek says nothing": -1,
            "tell huge": 2**70,
            "tell short": max(0, position - 7),
            "tell at the end says 3": 3 if position == len(self.getvalue()) else position,
        }.get(self.fault, position)

    def seek(self, offset: int, whence: int = 0) -> Any:
        if self.fault == "seek lands late" and whence == io.SEEK_SET:
            return super().seek(offset + 5, whence)
        if self.fault == "seek lands late, says nothing" and whence == io.SEEK_SET:
            super().seek(offset + 5, whence)
            return None  # as many file-like objects do: only tell() shows where it went
        if self.fault == "tell negative, seek says nothing":
            super().seek(offset, whence)
            return None  # so only tell() speaks, and it says -1
        if self.fault == "seek refuses" and whence == io.SEEK_END:
            raise io.UnsupportedOperation("seek")
        return super().seek(offset, whence)


_FAULTS = [
    "tell None",
    "tell str",
    "tell negative",
    "tell negative, seek says nothing",
    "tell huge",
    "tell short",
    "seek lands late",
    "seek lands late, says nothing",
    "seek refuses",
]


@pytest.mark.parametrize("frame_length", [0, 4096])
@pytest.mark.parametrize("fault", _FAULTS)
def test_a_source_with_a_lying_tell_or_seek_round_trips_or_is_refused(fault: str, frame_length: int) -> None:
    outcome = _round_trips_or_refuses(source=_LyingBytesIO(PLAINTEXT, fault), frame_length=frame_length)
    assert outcome in ("round trip", "SerializationError")
    if fault in (
        "tell None",
        "tell str",
        "tell negative",
        "tell negative, seek says nothing",
        "tell huge",
        "seek refuses",
    ):
        assert outcome == "round trip"  # the length is simply unknown; nothing was moved
    if fault.startswith("seek lands late"):
        assert outcome == "SerializationError"


@pytest.mark.parametrize("frame_length", [0, 4096])
def test_a_source_whose_tell_at_its_end_is_before_its_start_round_trips(frame_length: int) -> None:
    source = _LyingBytesIO(PLAINTEXT, "tell at the end says 3")
    source.seek(100)  # the end (3, it claims) is before the start (100): the length is simply unknown
    ciphertext, _ = CLIENT.encrypt(source=source, key_provider=KEY, frame_length=frame_length)
    assert CLIENT.decrypt(source=ciphertext, key_provider=KEY)[0] == PLAINTEXT[100:]


@pytest.mark.parametrize("fault", ["seek lands late", "seek lands late, says nothing"])
def test_a_source_that_cannot_return_after_measuring_its_length_is_refused_with_the_position(fault: str) -> None:
    with pytest.raises(SerializationError, match="could not return to position 0 after its length was measured"):
        CLIENT.encrypt(source=_LyingBytesIO(PLAINTEXT, fault), key_provider=KEY)


class _SeekOnlyTwice(io.BytesIO):
    """A source whose ``seek`` fails from the third call on: after seeking to its end it cannot come back."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.seeks = 0

    def seek(self, offset: int, whence: int = 0) -> int:
        self.seeks += 1
        if self.seeks > 2:
            raise OSError("seek is gone")
        return super().seek(offset, whence)


@pytest.mark.parametrize("measure", ["stream_length", "ciphertext_length"])
def test_a_stream_whose_source_was_left_displaced_by_a_measurement_cannot_be_read_on(measure: str) -> None:
    encryptor = CLIENT.stream(mode="e", source=_SeekOnlyTwice(PLAINTEXT), key_provider=KEY)
    assert isinstance(encryptor, aws_encryption_sdk.StreamEncryptor)
    with pytest.raises(SerializationError, match="could not return to position 0"):
        if measure == "stream_length":
            encryptor.stream_length  # noqa: B018 - the property does the measuring
        else:
            encryptor.ciphertext_length()
    with pytest.raises(SerializationError, match="This stream failed earlier"):
        encryptor.read()


# A non-blocking source ---------------------------------------------------------------------------------------


class _NotReadyYet:
    """Serves the data in two halves with a None between them, as a non-blocking source may."""

    def __init__(self, data: bytes) -> None:
        self.parts: list[bytes | None] = [data[:100], None, data[100:]]

    def read(self, size: int = -1) -> bytes | None:
        return self.parts.pop(0) if self.parts else b""


@pytest.mark.parametrize("frame_length", [0, 64, 4096])
def test_a_none_from_a_non_blocking_source_is_refused_not_taken_as_the_end(frame_length: int) -> None:
    with pytest.raises(SerializationError, match=r"read\(\) returned None, which a non-blocking source does"):
        CLIENT.encrypt(source=_NotReadyYet(PLAINTEXT), key_provider=KEY, frame_length=frame_length)


@pytest.mark.parametrize("frame_length", [0, 4096])
def test_a_bytesio_source_closed_while_encrypting_still_gives_the_whole_message(frame_length: int) -> None:
    source = io.BytesIO(PLAINTEXT)
    with CLIENT.stream(mode="e", source=source, key_provider=KEY, frame_length=frame_length) as encryptor:
        first = encryptor.read(100)
        source.close()  # the SDK already holds the bytes it encrypts
        ciphertext = first + encryptor.read()
    assert CLIENT.decrypt(source=ciphertext, key_provider=KEY)[0] == PLAINTEXT


@pytest.mark.parametrize("frame_length", [0, 64, 1 << 20])
@pytest.mark.parametrize("algorithm", [SIGNED, UNSIGNED], ids=["signed", "unsigned"])
def test_a_bytesio_source_closed_while_decrypting_still_gives_the_whole_plaintext(
    algorithm: AlgorithmSuite, frame_length: int
) -> None:
    message = CLIENT.encrypt(source=PLAINTEXT, key_provider=KEY, frame_length=frame_length, algorithm=algorithm)[0]
    source = io.BytesIO(message)
    with CLIENT.stream(mode="d", source=source, key_provider=KEY) as decryptor:
        first = decryptor.read(10)
        source.close()  # the SDK already holds the bytes it decrypts
        assert first + decryptor.read() == PLAINTEXT


@pytest.mark.parametrize("direction", ["encrypt", "decrypt"])
def test_a_closed_bytesio_source_is_an_sdk_error(direction: str) -> None:
    source = io.BytesIO(PLAINTEXT)
    source.close()
    with pytest.raises(SerializationError, match=r"the io\.BytesIO source is closed"):
        getattr(CLIENT, direction)(source=source, key_provider=KEY)


# Non-framed streaming ----------------------------------------------------------------------------------------


def test_non_framed_streaming_encrypts_as_it_is_read() -> None:
    plaintext = os.urandom(5 << 20)
    with CLIENT.stream(mode="e", source=io.BytesIO(plaintext), key_provider=KEY, frame_length=0) as encryptor:
        first = encryptor.read(4096)
        assert len(encryptor.output_buffer) < 2 << 20  # about one batch, not the whole body
        rest = b"".join(iter(lambda: encryptor.read(100_000), b""))
    assert CLIENT.decrypt(source=first + rest, key_provider=KEY)[0] == plaintext


def test_non_framed_header_access_buffers_the_body_opening_as_the_original() -> None:
    encryptor = CLIENT.stream(mode="e", source=b"abc", key_provider=KEY, frame_length=0)
    assert isinstance(encryptor, aws_encryption_sdk.StreamEncryptor)
    header = encryptor.header
    opening = encryptor.output_buffer[-20:]  # IV (the frame IV of sequence number 1) and the u64 length
    assert opening == bytes(11) + b"\x01" + (3).to_bytes(8, "big")
    assert encryptor.encryptor is not None and header.frame_length == 0


# Materials from a caller's crypto materials manager ----------------------------------------------------------


@attrs.define
class _AlteringCMM(CryptoMaterialsManager):
    """Asks the default CMM, then alters its encryption materials."""

    alter: Any

    def get_encryption_materials(self, request: EncryptionMaterialsRequest) -> EncryptionMaterials:
        materials = DefaultCryptoMaterialsManager(master_key_provider=KEY).get_encryption_materials(request)
        return self.alter(materials)  # type: ignore[no-any-return]

    def decrypt_materials(self, request: Any) -> Any:
        return DefaultCryptoMaterialsManager(master_key_provider=KEY).decrypt_materials(request)


def _with_data_key_of_length(length: int) -> Any:
    def alter(materials: EncryptionMaterials) -> EncryptionMaterials:
        plaintext = os.urandom(length)
        encrypted = KEY.encrypt_data_key(
            DataKey(key_provider=KEY.key_provider, data_key=plaintext, encrypted_data_key=b""),
            materials.algorithm,
            materials.encryption_context,
        )
        data_key = DataKey(
            key_provider=encrypted.key_provider, data_key=plaintext, encrypted_data_key=encrypted.encrypted_data_key
        )
        return attrs.evolve(materials, data_encryption_key=data_key, encrypted_data_keys={encrypted})

    return alter


@pytest.mark.parametrize("frame_length", [0, 4096])
@pytest.mark.parametrize(
    ("algorithm", "length"),
    [(UNSIGNED, 16), (UNSIGNED, 64), (AlgorithmSuite.AES_128_GCM_IV12_TAG16, 32)],
    ids=["0x0478-16", "0x0478-64", "0x0014-32"],
)
def test_a_data_key_of_the_wrong_length_for_the_suite_is_refused(
    algorithm: AlgorithmSuite, length: int, frame_length: int
) -> None:
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
    if algorithm.is_committing():
        client = CLIENT
    with pytest.raises(InvalidDataKeyError, match=f"Invalid Source Data Key length {length}"):
        client.encrypt(
            source=PLAINTEXT,
            materials_manager=_AlteringCMM(_with_data_key_of_length(length)),
            algorithm=algorithm,
            frame_length=frame_length,
        )


def _other_signing_key(materials: EncryptionMaterials) -> EncryptionMaterials:
    other = Signer(materials.algorithm, key=generate_ecc_signing_key(materials.algorithm))
    return attrs.evolve(materials, signing_key=other.key_bytes())


def _without_public_key(materials: EncryptionMaterials) -> EncryptionMaterials:
    context = {k: v for k, v in materials.encryption_context.items() if k != ENCODED_SIGNER_KEY}
    return attrs.evolve(materials, encryption_context=context)


def _with_public_key(materials: EncryptionMaterials) -> EncryptionMaterials:
    return attrs.evolve(materials, encryption_context={**materials.encryption_context, ENCODED_SIGNER_KEY: "AAAA"})


def _with_public_key_in_bytes(materials: EncryptionMaterials) -> EncryptionMaterials:
    context = {**materials.encryption_context, ENCODED_SIGNER_KEY.encode(): "AAAA"}
    return attrs.evolve(materials, encryption_context=context)


def _public_key_in_bytes(materials: EncryptionMaterials) -> EncryptionMaterials:
    context = dict(materials.encryption_context)
    context[ENCODED_SIGNER_KEY.encode()] = context.pop(ENCODED_SIGNER_KEY).encode()
    return attrs.evolve(materials, encryption_context=context)


def _with_signing_key(materials: EncryptionMaterials) -> EncryptionMaterials:
    signer = Signer(SIGNED, key=generate_ecc_signing_key(SIGNED))
    return attrs.evolve(materials, signing_key=signer.key_bytes())


@pytest.mark.parametrize(
    ("algorithm", "alter", "reason"),
    [
        (SIGNED, lambda m: attrs.evolve(m, signing_key=None), "no signing key for signing algorithm suite"),
        (SIGNED, _other_signing_key, "is not the public key of the signing key"),
        (SIGNED, _without_public_key, "is not the public key of the signing key"),
        (UNSIGNED, _with_public_key, "which does not sign"),
        (UNSIGNED, _with_public_key_in_bytes, "which does not sign"),
        (UNSIGNED, _with_signing_key, "which does not sign"),
    ],
    ids=[
        "no-signing-key",
        "other-signing-key",
        "no-public-key",
        "public-key-unsigned",
        "bytes-public-key-unsigned",
        "signing-key-unsigned",
    ],
)
def test_signing_materials_that_disagree_with_the_suite_are_refused(
    algorithm: AlgorithmSuite, alter: Any, reason: str
) -> None:
    with pytest.raises(ActionNotAllowedError, match=reason):
        CLIENT.encrypt(source=PLAINTEXT, materials_manager=_AlteringCMM(alter), algorithm=algorithm)


@pytest.mark.parametrize("alter", [lambda m: m, _public_key_in_bytes], ids=["unchanged", "key-and-value-in-bytes"])
def test_signing_materials_that_agree_with_the_suite_still_encrypt(alter: Any) -> None:
    ciphertext, _ = CLIENT.encrypt(source=PLAINTEXT, materials_manager=_AlteringCMM(alter), algorithm=SIGNED)
    assert CLIENT.decrypt(source=ciphertext, key_provider=KEY)[0] == PLAINTEXT


# Key material and odd context keys in errors -----------------------------------------------------------------


def test_a_data_key_of_the_wrong_type_is_not_shown_in_the_error() -> None:
    with pytest.raises(TypeError) as raised:
        DataKey(
            key_provider=MasterKeyInfo(provider_id="p", key_info=b"k"),
            data_key=bytearray(b"TOPSECRETKEY"),  # type: ignore[arg-type]
            encrypted_data_key=b"",
        )
    assert "TOPSECRET" not in str(raised.value) and "bytearray" in str(raised.value)
    with pytest.raises(TypeError) as raised:
        EncryptionMaterials(
            algorithm=SIGNED,
            data_encryption_key=DataKey(key_provider=KEY.key_provider, data_key=bytes(32), encrypted_data_key=b""),
            encrypted_data_keys=set(),
            encryption_context={},
            signing_key=bytearray(b"PRIVATEKEY"),  # type: ignore[arg-type]
        )
    assert "PRIVATEKEY" not in str(raised.value)
    for make in (
        lambda: EncryptionMaterials(
            algorithm=SIGNED,
            data_encryption_key=b"RAWKEYBYTES",  # type: ignore[arg-type]
            encrypted_data_keys=set(),
            encryption_context={},
        ),
        lambda: DecryptionMaterials(data_key=b"RAWKEYBYTES"),  # type: ignore[arg-type]
    ):
        with pytest.raises(TypeError) as raised:
            make()
        assert "RAWKEYBYTES" not in str(raised.value)


def test_a_context_key_in_bytes_that_is_not_utf8_is_a_serialization_error() -> None:
    with pytest.raises(SerializationError):
        CLIENT.encrypt(source=PLAINTEXT, key_provider=KEY, encryption_context={b"\xff": "v"})
    with pytest.raises(InvalidParameterError, match=r"'aws-crypto-\\\\xff' is reserved"):
        CLIENT.encrypt(source=PLAINTEXT, key_provider=KEY, encryption_context={b"aws-crypto-\xff": "v"})
