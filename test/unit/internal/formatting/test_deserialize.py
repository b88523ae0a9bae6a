"""Tests for aws_encryption_sdk.internal.formatting.deserialize: the checks of decrypt-rules.md §2."""

from __future__ import annotations

import base64
import io
import struct
import tracemalloc

import pytest
from _formatting_examples import EXAMPLES, PROVIDER_ID, WRAPPING_KEY
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aws_encryption_sdk.exceptions import (
    CustomMaximumValueExceeded,
    MaxEncryptedDataKeysExceeded,
    NotSupportedError,
    SerializationError,
    SignatureVerificationError,
    UnknownIdentityError,
)
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    ContentType,
    ObjectType,
    SerializationVersion,
    WrappingAlgorithm,
)
from aws_encryption_sdk.internal.formatting.deserialize import (
    deserialize_encrypted_data_keys,
    deserialize_footer,
    deserialize_frame,
    deserialize_header,
    deserialize_header_auth,
    deserialize_non_framed_values,
    deserialize_tag,
    deserialize_wrapped_key,
    unpack_values,
    validate_header,
)
from aws_encryption_sdk.internal.formatting.encryption_context import serialize_encryption_context
from aws_encryption_sdk.internal.formatting.serialize import serialize_header
from aws_encryption_sdk.internal.structures import EncryptedData, MessageHeaderAuthentication
from aws_encryption_sdk.internal.utils._edk_set import OrderedSet
from aws_encryption_sdk.structures import EncryptedDataKey, MasterKeyInfo, MessageHeader

V1 = EXAMPLES["A"].message  # v1, 0x0178, framed, frame length 128
V2 = EXAMPLES["B"].message  # v2, 0x0478, framed, frame length 128
NON_FRAMED = EXAMPLES["C"].message  # v1, 0x0014, non-framed

# Offsets of header fields in the examples (message-format.md §12).
V1_TYPE, V1_SUITE, V1_EC_LENGTH, V1_EDK_COUNT = 0x01, 0x02, 0x14, 0x2A
V1_CONTENT_TYPE, V1_RESERVED, V1_IV_LENGTH, V1_FRAME_LENGTH, V1_END = 0x84, 0x85, 0x89, 0x8A, 0x8E
V2_SUITE, V2_EC_LENGTH, V2_EDK_COUNT, V2_CONTENT_TYPE, V2_FRAME_LENGTH, V2_SUITE_DATA, V2_END = (
    0x01,
    0x23,
    0x39,
    0x93,
    0x94,
    0x98,
    0xB8,
)
C_FRAME_LENGTH = 0x66


def patched(message: bytes, offset: int, replacement: bytes) -> bytes:
    return message[:offset] + replacement + message[offset + len(replacement) :]


def parse(data: bytes, **kwargs: object) -> MessageHeader:
    header, _ = deserialize_header(io.BytesIO(data), **kwargs)  # type: ignore[arg-type]
    return header


def edk(index: int) -> EncryptedDataKey:
    return EncryptedDataKey(
        key_provider=MasterKeyInfo(provider_id=f"provider-{index}", key_info=b"key-%d" % index),
        encrypted_data_key=bytes([index]) * 8,
    )


def v1_header(**changes: object) -> MessageHeader:
    fields: dict[str, object] = {
        "version": SerializationVersion.V1,
        "algorithm": AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256,
        "message_id": bytes(16),
        "encryption_context": {},
        "encrypted_data_keys": OrderedSet([edk(1)]),
        "content_type": ContentType.FRAMED_DATA,
        "frame_length": 64,
        "type": ObjectType.CUSTOMER_AE_DATA,
        "content_aad_length": 0,
        "header_iv_length": 12,
    }
    fields.update(changes)
    return MessageHeader(**fields)  # type: ignore[arg-type]


# Steps 1-12 of the header checks -----------------------------------------------------------------


@pytest.mark.parametrize("version", [0, 3, 0x7F, 0xFF])
def test_step_1_unknown_version_is_not_supported(version: int) -> None:
    with pytest.raises(NotSupportedError) as info:
        parse(patched(V1, 0, bytes([version])))
    assert info.value.args[0] == f"Unsupported version {version}"
    assert isinstance(info.value.args[1], ValueError)


@pytest.mark.parametrize("example", ["A", "B"])
def test_step_1_base64_input_is_reported_as_base64(example: str) -> None:
    encoded = base64.b64encode(EXAMPLES[example].message)
    assert encoded[:2] in (b"AY", b"Ag")
    with pytest.raises(NotSupportedError) as info:
        parse(encoded)
    assert info.value.args[0].startswith("Unsupported version 65: the input looks base64-encoded")


def test_step_2_v1_type_other_than_0x80_is_not_supported() -> None:
    with pytest.raises(NotSupportedError) as info:
        parse(patched(V1, V1_TYPE, b"\x81"))
    assert info.value.args[0] == "Unsupported type 129 discovered in data stream"
    assert isinstance(info.value.args[1], ValueError)


@pytest.mark.parametrize(("message", "offset"), [(V1, V1_SUITE), (V2, V2_SUITE)], ids=["v1", "v2"])
def test_step_3_unknown_suite_is_unknown_identity(message: bytes, offset: int) -> None:
    with pytest.raises(UnknownIdentityError) as info:
        parse(patched(message, offset, b"\x01\x79"))
    assert info.value.args[0] == "Unknown algorithm 377"
    assert isinstance(info.value.args[1], KeyError)


@pytest.mark.parametrize(
    ("message", "offset", "suite"),
    [
        (V1, V1_SUITE, b"\x04\x78"),
        (V1, V1_SUITE, b"\x05\x78"),
        (V2, V2_SUITE, b"\x01\x78"),
        (V2, V2_SUITE, b"\x00\x14"),
    ],
    ids=["v1-0478", "v1-0578", "v2-0178", "v2-0014"],
)
def test_step_3_suite_of_the_other_format_version_is_rejected(message: bytes, offset: int, suite: bytes) -> None:
    with pytest.raises(SerializationError, match="does not match algorithm suite") as info:
        parse(patched(message, offset, suite))
    assert type(info.value) is SerializationError


@pytest.mark.parametrize(("message", "end"), [(V1, 0x14), (V2, 0x23)], ids=["v1", "v2"])
def test_step_4_truncated_message_id_is_a_serialization_error(message: bytes, end: int) -> None:
    with pytest.raises(SerializationError, match="message ID: needed"):
        parse(message[: end - 1])


@pytest.mark.parametrize(
    ("replacement", "pattern"),
    [
        (b"\x00\x02\x00\x01a\x00\x01b\x00\x01a\x00\x01c", "Duplicate key in serialized context"),
        (b"\x00\x01\x00\x01\xff\x00\x01b", "Bad format of serialized context"),
        (b"\x00\x00\x00", "Extra data in serialized context"),
        (b"\x00\x02\x00\x01", "Bad format of serialized context"),
    ],
)
def test_step_5_malformed_encryption_context_is_a_serialization_error(replacement: bytes, pattern: str) -> None:
    header = V1[:V1_EC_LENGTH] + struct.pack(">H", len(replacement)) + replacement + V1[V1_EDK_COUNT:]
    with pytest.raises(SerializationError, match=pattern):
        parse(header)


def test_step_5_truncated_encryption_context_is_a_serialization_error() -> None:
    with pytest.raises(SerializationError, match="encryption context: needed 20 bytes, got 5"):
        parse(V1[: V1_EC_LENGTH + 2 + 5])


def test_step_5_count_zero_context_form_is_accepted() -> None:
    header = V1[:V1_EC_LENGTH] + b"\x00\x02\x00\x00" + V1[V1_EDK_COUNT:]
    assert parse(header).encryption_context == {}


def test_step_6_more_keys_than_max_encrypted_data_keys_is_rejected_before_any_key_is_read() -> None:
    data = serialize_header(v1_header(encrypted_data_keys=OrderedSet([edk(1), edk(2), edk(3)])))
    count_offset = data.index(b"\x00\x03\x00\x0aprovider-1")
    source = io.BytesIO(data[: count_offset + 2])
    with pytest.raises(MaxEncryptedDataKeysExceeded) as info:
        deserialize_header(source, max_encrypted_data_keys=2)
    assert str(info.value) == "Number of encrypted data keys found larger than configured value: 3 > 2"
    assert source.tell() == count_offset + 2


def test_step_6_as_many_keys_as_max_encrypted_data_keys_is_accepted() -> None:
    keys = OrderedSet([edk(1), edk(2), edk(3)])
    header, _ = deserialize_header(io.BytesIO(serialize_header(v1_header(encrypted_data_keys=keys))), 3)
    assert list(header.encrypted_data_keys) == list(keys)


def test_step_6_zero_encrypted_data_keys_is_rejected() -> None:
    header = V1[:V1_EDK_COUNT] + b"\x00\x00" + V1[V1_CONTENT_TYPE:]
    with pytest.raises(SerializationError, match="no encrypted data keys"):
        parse(header)


@pytest.mark.parametrize("cut", [V1_EDK_COUNT + 1, V1_EDK_COUNT + 3, V1_EDK_COUNT + 20, V1_CONTENT_TYPE - 1])
def test_step_7_truncated_encrypted_data_keys_are_a_serialization_error(cut: int) -> None:
    with pytest.raises(SerializationError, match="encrypted data key"):
        parse(V1[:cut])


def test_step_7_provider_id_that_is_not_utf8_is_a_serialization_error() -> None:
    header = patched(V1, V1_EDK_COUNT + 4, b"\xff")
    with pytest.raises(SerializationError, match="provider ID that is not valid UTF-8"):
        parse(header)


@pytest.mark.parametrize(("message", "offset"), [(V1, V1_CONTENT_TYPE), (V2, V2_CONTENT_TYPE)], ids=["v1", "v2"])
@pytest.mark.parametrize("content_type", [0, 3, 0xFF])
def test_step_8_unknown_content_type_is_unknown_identity(message: bytes, offset: int, content_type: int) -> None:
    with pytest.raises(UnknownIdentityError) as info:
        parse(patched(message, offset, bytes([content_type])))
    assert info.value.args[0] == f"Unknown content type {content_type}"
    assert isinstance(info.value.args[1], ValueError)


@pytest.mark.parametrize("reserved", [b"\x00\x00\x00\x01", b"\x80\x00\x00\x00"])
def test_step_9_nonzero_reserved_field_is_rejected(reserved: bytes) -> None:
    with pytest.raises(
        SerializationError, match=r"^Content AAD length field is currently unused, its value must be always 0$"
    ):
        parse(patched(V1, V1_RESERVED, reserved))


@pytest.mark.parametrize("iv_length", [0, 11, 13, 16])
def test_step_10_iv_length_other_than_12_is_rejected(iv_length: int) -> None:
    expected = rf"^Specified IV length \({iv_length}\) does not match algorithm IV length \(12\)$"
    with pytest.raises(SerializationError, match=expected):
        parse(patched(V1, V1_IV_LENGTH, bytes([iv_length])))


@pytest.mark.parametrize(("message", "offset"), [(V1, V1_FRAME_LENGTH), (V2, V2_FRAME_LENGTH)], ids=["v1", "v2"])
@pytest.mark.parametrize("frame_length", [2**31, 2**32 - 1])
def test_step_11_framed_frame_length_above_2_31_minus_1_is_rejected(
    message: bytes, offset: int, frame_length: int
) -> None:
    expected = rf"^Specified frame length larger than allowed maximum: {frame_length} > 2147483647$"
    with pytest.raises(SerializationError, match=expected):
        parse(patched(message, offset, struct.pack(">I", frame_length)))


@pytest.mark.parametrize(("message", "offset"), [(V1, V1_FRAME_LENGTH), (V2, V2_FRAME_LENGTH)], ids=["v1", "v2"])
def test_step_11_framed_frame_length_of_2_31_minus_1_is_accepted(message: bytes, offset: int) -> None:
    assert parse(patched(message, offset, struct.pack(">I", 2**31 - 1))).frame_length == 2**31 - 1


def test_step_11_non_framed_with_nonzero_frame_length_is_rejected() -> None:
    with pytest.raises(SerializationError, match=r"^Non-zero frame length found for non-framed message$"):
        parse(patched(NON_FRAMED, C_FRAME_LENGTH, b"\x00\x00\x00\x01"))


def test_step_11_v2_non_framed_with_zero_frame_length_is_accepted() -> None:
    data = patched(patched(V2, V2_CONTENT_TYPE, b"\x01"), V2_FRAME_LENGTH, bytes(4))
    header = parse(data)
    assert header.content_type is ContentType.NO_FRAMING
    assert header.frame_length == 0


@pytest.mark.parametrize("cut", [V2_SUITE_DATA, V2_SUITE_DATA + 1, V2_END - 1])
def test_step_12_truncated_suite_data_is_a_serialization_error(cut: int) -> None:
    with pytest.raises(SerializationError, match="algorithm suite data"):
        parse(V2[:cut])


def test_checks_stop_at_the_first_failure_in_field_order() -> None:
    data = patched(patched(V1, V1_TYPE, b"\x81"), V1_SUITE, b"\x01\x79")
    with pytest.raises(NotSupportedError):
        parse(data[:V1_EC_LENGTH])
    with pytest.raises(UnknownIdentityError):
        parse(patched(V1, V1_CONTENT_TYPE, b"\x07")[: V1_CONTENT_TYPE + 1])


def test_every_truncation_of_a_header_is_a_serialization_error() -> None:
    for example in EXAMPLES.values():
        for cut in range(example.header_body_length):
            with pytest.raises(SerializationError, match="Unexpected deserialization error"):
                parse(example.message[:cut])


# Header parsing results --------------------------------------------------------------------------


def test_header_parse_reads_exactly_the_header_body() -> None:
    source = io.BytesIO(V1)
    _, raw = deserialize_header(source)
    assert source.tell() == V1_END
    assert raw == V1[:V1_END]


def test_header_keeps_encrypted_data_keys_in_header_order() -> None:
    keys = [edk(index) for index in (5, 1, 4, 2, 3)]
    header = parse(serialize_header(v1_header(encrypted_data_keys=OrderedSet(keys))))
    assert isinstance(header.encrypted_data_keys, OrderedSet)
    assert list(header.encrypted_data_keys) == keys


def test_header_of_bytes_input_needs_a_file_like_object() -> None:
    with pytest.raises(AttributeError):
        deserialize_header(bytes(V1))  # type: ignore[arg-type]


def test_deserialize_encrypted_data_keys_reads_the_key_section() -> None:
    source = io.BytesIO(V1[V1_EDK_COUNT:])
    keys = deserialize_encrypted_data_keys(source)
    assert source.tell() == V1_CONTENT_TYPE - V1_EDK_COUNT
    (key,) = keys
    assert key.key_provider == MasterKeyInfo(PROVIDER_ID, EXAMPLES["A"].edk_key_info)
    with pytest.raises(MaxEncryptedDataKeysExceeded):
        deserialize_encrypted_data_keys(io.BytesIO(b"\x00\x02"), max_encrypted_data_keys=1)


# max_header_size --------------------------------------------------------------------------------


def test_max_header_size_accepts_a_header_of_exactly_that_size() -> None:
    assert parse(V1, max_header_size=V1_END).frame_length == 128


def test_max_header_size_rejects_a_larger_header() -> None:
    with pytest.raises(CustomMaximumValueExceeded, match="max_header_size of 141"):
        parse(V1, max_header_size=V1_END - 1)


def test_max_header_size_is_checked_before_a_declared_length_is_read() -> None:
    data = V1[:V1_EC_LENGTH] + b"\xff\xff"
    source = io.BytesIO(data + b"\x00" * 10)
    with pytest.raises(CustomMaximumValueExceeded, match=r"encryption context \(65535 bytes\)"):
        deserialize_header(source, max_header_size=1000)
    assert source.tell() == len(data)


# Untrusted lengths followed by end of input --------------------------------------------------------


def _peak_of_failing_parse(action: object) -> int:
    tracemalloc.start()
    try:
        with pytest.raises(SerializationError, match="Unexpected deserialization error"):
            action()  # type: ignore[operator]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def test_header_declaring_a_65535_byte_context_then_ending_fails_cleanly() -> None:
    data = V1[:V1_EC_LENGTH] + b"\xff\xff" + b"\x00\x01"
    assert _peak_of_failing_parse(lambda: parse(data)) < 16 * 1024 * 1024


@pytest.mark.parametrize("field", [0, 1, 2])
def test_header_declaring_65535_byte_key_fields_then_ending_fails_cleanly(field: int) -> None:
    prefix = V1[: V1_EDK_COUNT + 2] + b"\x00\x01a" * field
    data = prefix + b"\xff\xff" + b"abc"
    assert _peak_of_failing_parse(lambda: parse(data)) < 16 * 1024 * 1024


def test_frame_of_2_31_minus_1_bytes_then_end_of_input_fails_cleanly() -> None:
    header = v1_header(frame_length=2**31 - 1)
    frame_start = struct.pack(">I", 1) + struct.pack(">I", 0) * 2 + struct.pack(">I", 1) + b"content"
    assert _peak_of_failing_parse(lambda: deserialize_frame(io.BytesIO(frame_start), header)) < 16 * 1024 * 1024


def test_header_with_2_31_minus_1_frame_length_then_end_of_input_fails_cleanly() -> None:
    data = patched(V1, V1_FRAME_LENGTH, struct.pack(">I", 2**31 - 1))
    source = io.BytesIO(data)
    header, _ = deserialize_header(source)
    deserialize_header_auth(header.version, source, header.algorithm)
    assert _peak_of_failing_parse(lambda: deserialize_frame(source, header)) < 16 * 1024 * 1024


def test_non_framed_body_declaring_huge_length_reports_the_length_without_reading() -> None:
    header = parse(NON_FRAMED)
    source = io.BytesIO(bytes(11) + b"\x01" + b"\xff" * 8)
    assert deserialize_non_framed_values(source, header) == (bytes(11) + b"\x01", 2**64 - 1)


# Header authentication -----------------------------------------------------------------------------


class Collector:
    def __init__(self) -> None:
        self.seen = bytearray()

    def update(self, data: bytes, /) -> None:
        self.seen += data


def test_v1_header_auth_reads_iv_and_tag_and_feeds_the_verifier() -> None:
    collector = Collector()
    auth_bytes = V1[V1_END : V1_END + 28]
    auth = deserialize_header_auth(
        SerializationVersion.V1, io.BytesIO(auth_bytes), AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, collector
    )
    assert auth == MessageHeaderAuthentication(iv=bytes(12), tag=EXAMPLES["A"].header_auth_tag)
    assert bytes(collector.seen) == auth_bytes


def test_v2_header_auth_reads_only_the_tag_and_uses_a_zero_iv() -> None:
    source = io.BytesIO(V2[V2_END:])
    auth = deserialize_header_auth(SerializationVersion.V2, source, AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
    assert auth == MessageHeaderAuthentication(iv=bytes(12), tag=EXAMPLES["B"].header_auth_tag)
    assert source.tell() == 16


def test_v1_header_auth_with_nonzero_iv_is_rejected() -> None:
    auth_bytes = b"\x00" * 11 + b"\x01" + bytes(16)
    with pytest.raises(SerializationError, match="not all zero"):
        deserialize_header_auth(
            SerializationVersion.V1, io.BytesIO(auth_bytes), AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256
        )


@pytest.mark.parametrize("version", [SerializationVersion.V1, SerializationVersion.V2])
def test_truncated_header_auth_is_a_serialization_error(version: SerializationVersion) -> None:
    with pytest.raises(SerializationError, match="header authentication"):
        deserialize_header_auth(version, io.BytesIO(bytes(15)), AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)


def test_validate_header_rejects_a_wrong_key() -> None:
    example = EXAMPLES["A"]
    header = parse(example.message)
    auth = MessageHeaderAuthentication(iv=bytes(12), tag=example.header_auth_tag)
    with pytest.raises(SerializationError, match=r"^Header authorization failed$"):
        validate_header(header, auth, example.header_body, bytes(32))


def test_validate_header_rejects_an_unusable_key_with_serialization_error() -> None:
    example = EXAMPLES["A"]
    header = parse(example.message)
    auth = MessageHeaderAuthentication(iv=bytes(12), tag=example.header_auth_tag)
    with pytest.raises(SerializationError, match="Header authorization failed: cannot use a 5-byte data key"):
        validate_header(header, auth, example.header_body, bytes(5))


# Bodies and footer ---------------------------------------------------------------------------------


def test_frame_with_iv_not_matching_its_sequence_number_is_rejected() -> None:
    header = parse(V1)
    frame = struct.pack(">I", 1) + bytes(11) + b"\x02" + bytes(128 + 16)
    with pytest.raises(SerializationError, match="Frame 1 IV does not match"):
        deserialize_frame(io.BytesIO(frame), header)


def test_final_frame_with_iv_not_matching_its_sequence_number_is_rejected() -> None:
    header = parse(V1)
    frame = b"\xff" * 4 + struct.pack(">I", 3) + bytes(12) + struct.pack(">I", 0) + bytes(16)
    with pytest.raises(SerializationError, match="Frame 3 IV does not match"):
        deserialize_frame(io.BytesIO(frame), header)


def test_final_frame_longer_than_frame_length_is_rejected() -> None:
    header = parse(V1)
    frame = b"\xff" * 4 + struct.pack(">I", 1) + bytes(11) + b"\x01" + struct.pack(">I", 129) + bytes(129 + 16)
    with pytest.raises(SerializationError, match=r"^Invalid final frame length: 129 > 128$"):
        deserialize_frame(io.BytesIO(frame), header)


def test_final_frame_of_exactly_frame_length_is_accepted() -> None:
    header = parse(V1)
    frame = b"\xff" * 4 + struct.pack(">I", 1) + bytes(11) + b"\x01" + struct.pack(">I", 128) + bytes(128 + 16)
    body, final = deserialize_frame(io.BytesIO(frame), header)
    assert final is True
    assert body.final_frame is True
    assert len(body.ciphertext) == 128


def test_frame_bytes_are_fed_to_the_verifier() -> None:
    collector = Collector()
    frames = V1[V1_END + 28 :]
    source = io.BytesIO(frames)
    header = parse(V1)
    deserialize_frame(source, header, collector)
    deserialize_frame(source, header, collector)
    assert bytes(collector.seen) == frames


@pytest.mark.parametrize("cut", [0, 3, 4, 7, 8, 19, 20, 23, 24, 25, 40])
def test_truncated_final_frame_is_a_serialization_error(cut: int) -> None:
    header = parse(V2)
    final = V2[V2_END + 16 :]
    with pytest.raises(SerializationError, match="Unexpected deserialization error"):
        deserialize_frame(io.BytesIO(final[:cut]), header)


def test_non_framed_values_with_wrong_iv_are_rejected() -> None:
    header = parse(NON_FRAMED)
    with pytest.raises(SerializationError, match="Non-framed body IV does not match"):
        deserialize_non_framed_values(io.BytesIO(bytes(12) + bytes(8)), header)


def test_tag_reads_exactly_the_tag_length() -> None:
    header = parse(NON_FRAMED)
    source = io.BytesIO(b"t" * 16 + b"rest")
    assert deserialize_tag(source, header) == b"t" * 16
    assert source.tell() == 16
    with pytest.raises(SerializationError, match="non-framed body tag"):
        deserialize_tag(io.BytesIO(b"t" * 15), header)


class RecordingVerifier:
    def __init__(self, valid: bool) -> None:
        self.valid = valid
        self.seen = bytearray()
        self.verified: list[bytes] = []

    def update(self, data: bytes, /) -> None:
        self.seen += data

    def verify(self, signature: bytes, /) -> None:
        self.verified.append(signature)
        if not self.valid:
            raise SignatureVerificationError("signature did not verify")


def test_footer_is_read_and_verified_without_feeding_the_verifier() -> None:
    footer_bytes = EXAMPLES["F"].message[-73:]
    verifier = RecordingVerifier(valid=True)
    footer = deserialize_footer(io.BytesIO(footer_bytes), verifier)
    assert footer.signature == footer_bytes[2:]
    assert verifier.verified == [footer_bytes[2:]]
    assert verifier.seen == b""


def test_footer_verification_failure_propagates_from_the_verifier() -> None:
    with pytest.raises(SignatureVerificationError):
        deserialize_footer(io.BytesIO(EXAMPLES["E"].message[-105:]), RecordingVerifier(valid=False))


@pytest.mark.parametrize("cut", [0, 1, 2, 50, 72])
def test_missing_or_short_footer_is_no_signature_found(cut: int) -> None:
    with pytest.raises(SerializationError, match=r"^No signature found in message$"):
        deserialize_footer(io.BytesIO(EXAMPLES["F"].message[-73:][:cut]))


def test_footer_without_verifier_returns_the_signature() -> None:
    assert deserialize_footer(io.BytesIO(b"\x00\x03sig")).signature == b"sig"


# unpack_values -----------------------------------------------------------------------------------


def test_unpack_values_reads_the_format_and_feeds_the_verifier() -> None:
    collector = Collector()
    assert unpack_values(">HI", io.BytesIO(b"\x00\x01\x00\x00\x00\x02rest"), collector) == (1, 2)
    assert bytes(collector.seen) == b"\x00\x01\x00\x00\x00\x02"


def test_unpack_values_turns_short_input_and_bad_formats_into_serialization_errors() -> None:
    with pytest.raises(SerializationError, match="Unexpected deserialization error"):
        unpack_values(">I", io.BytesIO(b"\x00"))
    with pytest.raises(SerializationError, match="Unexpected deserialization error"):
        unpack_values(">Z", io.BytesIO(b"\x00"))


# deserialize_wrapped_key ---------------------------------------------------------------------------

AES_256 = WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING


def _raw_aes_edk(key_info: bytes, ciphertext: bytes) -> EncryptedDataKey:
    return EncryptedDataKey(
        key_provider=MasterKeyInfo(provider_id=PROVIDER_ID, key_info=key_info), encrypted_data_key=ciphertext
    )


def test_wrapped_key_of_example_a_splits_and_unwraps_to_the_data_key() -> None:
    example = EXAMPLES["A"]
    wrapped = deserialize_wrapped_key(AES_256, b"key1", _raw_aes_edk(example.edk_key_info, example.edk_ciphertext))
    assert wrapped.iv == b"\x77" * 12
    assert wrapped.ciphertext == example.edk_ciphertext[:32]
    assert wrapped.tag == example.edk_ciphertext[32:]
    assert wrapped.iv is not None
    assert wrapped.tag is not None
    aad = serialize_encryption_context(example.encryption_context)
    assert AESGCM(WRAPPING_KEY).decrypt(wrapped.iv, wrapped.ciphertext + wrapped.tag, aad) == b"\x42" * 32


def test_wrapped_key_accepts_a_str_key_id() -> None:
    example = EXAMPLES["A"]
    edk_ = _raw_aes_edk(example.edk_key_info, example.edk_ciphertext)
    by_str = deserialize_wrapped_key(AES_256, "key1", edk_)  # type: ignore[arg-type]
    assert by_str == deserialize_wrapped_key(AES_256, b"key1", edk_)


def test_wrapped_key_for_rsa_is_the_whole_ciphertext() -> None:
    wrapped = deserialize_wrapped_key(
        WrappingAlgorithm.RSA_OAEP_SHA256_MGF1, b"rsa-key", _raw_aes_edk(b"rsa-key", b"c" * 256)
    )
    assert wrapped == EncryptedData(iv=None, ciphertext=b"c" * 256, tag=None)


def test_wrapped_key_for_rsa_with_other_key_id_is_a_mismatch() -> None:
    with pytest.raises(SerializationError, match="Master Key mismatch for wrapped data key"):
        deserialize_wrapped_key(WrappingAlgorithm.RSA_PKCS1, b"rsa-key", _raw_aes_edk(b"rsa-key2", b"c"))


@pytest.mark.parametrize(
    ("key_info", "ciphertext", "pattern"),
    [
        (b"other" + bytes.fromhex("000000800000000c") + bytes(12), bytes(48), "Master Key mismatch"),
        (b"key1" + bytes.fromhex("00000080"), bytes(48), "Malformed key info: key info missing data"),
        (b"key1" + bytes.fromhex("0000008000000010") + bytes(16), bytes(48), "Wrapping AlgorithmSuite mismatch"),
        (b"key1" + bytes.fromhex("000000800000000c") + bytes(11), bytes(48), "Malformed key info: incomplete iv"),
        (b"key1" + bytes.fromhex("000000800000000c") + bytes(13), bytes(48), "Malformed key info: incomplete iv"),
        (b"key1" + bytes.fromhex("000000000000000c") + bytes(12), bytes(48), "Malformed key info: tag length"),
        (b"key1" + bytes.fromhex("000000800000000c") + bytes(12), bytes(16), "incomplete ciphertext or tag"),
        (b"key1" + bytes.fromhex("000000800000000c") + bytes(12), bytes(3), "incomplete ciphertext or tag"),
    ],
)
def test_malformed_raw_aes_key_info_is_a_serialization_error(key_info: bytes, ciphertext: bytes, pattern: str) -> None:
    with pytest.raises(SerializationError, match=pattern):
        deserialize_wrapped_key(AES_256, b"key1", _raw_aes_edk(key_info, ciphertext))
