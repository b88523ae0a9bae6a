"""Parsing of AWS Encryption SDK messages: header, header authentication, body and footer.

Every function reads from a binary stream through one private reader that reads exactly the bytes each field
needs, so truncated input always ends in a
:class:`~aws_encryption_sdk.exceptions.SerializationError` naming
the field. Header fields are checked as soon as they are read, in message order.
"""

from __future__ import annotations

import io
import struct
from typing import Optional, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aws_encryption_sdk.exceptions import (
    MaxEncryptedDataKeysExceeded,
    NotSupportedError,
    SerializationError,
    UnknownIdentityError,
)
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    ContentType,
    EncryptionType,
    ObjectType,
    SequenceIdentifier,
    SerializationVersion,
    WrappingAlgorithm,
)
from aws_encryption_sdk.internal.defaults import MAX_FRAME_SIZE
from aws_encryption_sdk.internal.formatting._reader import BufferReader, ReadableSource, Reader, Updatable
from aws_encryption_sdk.internal.formatting.encryption_context import deserialize_encryption_context
from aws_encryption_sdk.internal.str_ops import to_bytes
from aws_encryption_sdk.internal.structures import (
    EncryptedData,
    MessageFooter,
    MessageFrameBody,
    MessageHeaderAuthentication,
)
from aws_encryption_sdk.internal.utils._edk_set import OrderedSet
from aws_encryption_sdk.structures import EncryptedDataKey, MasterKeyInfo, MessageHeader

__all__ = [
    "deserialize_encrypted_data_keys",
    "deserialize_footer",
    "deserialize_frame",
    "deserialize_header",
    "deserialize_header_auth",
    "deserialize_non_framed_values",
    "deserialize_tag",
    "deserialize_wrapped_key",
    "unpack_values",
    "validate_header",
]

#: What ``max_header_size`` is called in the error raised when a header passes it.
_HEADER_LIMIT_NAME = "max_header_size"
#: First byte of base64 text that encodes a message ("AY..." for version 1, "Ag..." for version 2).
_BASE64_VERSION_BYTE = ord("A")


class _Verifier(Protocol):
    """A signature verifier: it sees every signed byte, then checks the signature."""

    def update(self, data: bytes, /) -> None:
        """Take the next signed bytes."""

    def verify(self, signature: bytes, /) -> None:
        """Check the signature over every byte seen (raising on failure)."""


def _deterministic_iv(iv_length: int, sequence_number: int) -> bytes:
    """Return the IV a conforming encryptor uses for this sequence number."""
    return b"\x00" * (iv_length - 4) + struct.pack(">I", sequence_number)


def unpack_values(
    format_string: str, stream: ReadableSource, verifier: Optional[Updatable] = None
) -> tuple[object, ...]:
    """Read and unpack the values described by a :mod:`struct` format string.

    :param format_string: the struct format of the values
    :param stream: the source
    :param verifier: receives the bytes read
    :returns: the unpacked values
    :raises SerializationError: when the format is invalid or the input ends first
    """
    try:
        size = struct.calcsize(format_string)
    except struct.error as err:
        raise SerializationError("Unexpected deserialization error", type(err), err.args) from err
    data = Reader(stream, verifier=verifier).read_exact(size, f"values of format {format_string!r}")
    return struct.unpack(format_string, data)


# Header fields, in message order ----------------------------------------------------------------

# Enum members by wire value: a dict lookup is much cheaper than calling the Enum, which is left to
# raise its ValueError for an unknown value.
_VERSIONS = {member.value: member for member in SerializationVersion}
_OBJECT_TYPES = {member.value: member for member in ObjectType}
_CONTENT_TYPES = {member.value: member for member in ContentType}


def _read_version(reader: Reader) -> SerializationVersion:
    version_id = reader.u8("version")
    try:
        return _VERSIONS.get(version_id) or SerializationVersion(version_id)
    except ValueError as err:
        if version_id == _BASE64_VERSION_BYTE:
            raise NotSupportedError(
                f"Unsupported version {version_id}: the input looks base64-encoded "
                "(it starts with the letter 'A'); base64-decode it before decrypting",
                err,
            ) from err
        raise NotSupportedError(f"Unsupported version {version_id}", err) from err


def _read_object_type(reader: Reader) -> ObjectType:
    type_id = reader.u8("type")
    try:
        return _OBJECT_TYPES.get(type_id) or ObjectType(type_id)
    except ValueError as err:
        raise NotSupportedError(f"Unsupported type {type_id} discovered in data stream", err) from err


def _read_algorithm(reader: Reader, version: SerializationVersion) -> AlgorithmSuite:
    algorithm_id = reader.u16("algorithm suite ID")
    try:
        algorithm = AlgorithmSuite.get_by_id(algorithm_id)
    except KeyError as err:
        raise UnknownIdentityError(f"Unknown algorithm {algorithm_id}", err) from err
    if algorithm.message_format_version != version.value:
        raise SerializationError(
            f"Header version {version.value} does not match algorithm suite 0x{algorithm_id:04x}, "
            f"which uses message format version {algorithm.message_format_version}"
        )
    return algorithm


def _read_encryption_context(reader: Reader) -> dict[str, str]:
    return deserialize_encryption_context(reader.read_prefixed("encryption context"))


def _read_encrypted_data_key(reader: Reader, index: int) -> EncryptedDataKey:
    provider_id = reader.read_prefixed(f"encrypted data key {index} provider ID")
    key_info = reader.read_prefixed(f"encrypted data key {index} provider info")
    ciphertext = reader.read_prefixed(f"encrypted data key {index} ciphertext")
    try:
        provider_text = provider_id.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SerializationError(f"Encrypted data key {index} has a provider ID that is not valid UTF-8") from err
    return EncryptedDataKey(
        key_provider=MasterKeyInfo(provider_id=provider_text, key_info=key_info),
        encrypted_data_key=ciphertext,
    )


def _read_encrypted_data_keys(reader: Reader, max_encrypted_data_keys: Optional[int]) -> set[EncryptedDataKey]:
    count = reader.u16("encrypted data key count")
    if max_encrypted_data_keys and count > max_encrypted_data_keys:
        raise MaxEncryptedDataKeysExceeded(count, max_encrypted_data_keys)
    if count == 0:
        raise SerializationError("The header holds no encrypted data keys; a message needs at least one")
    keys: OrderedSet[EncryptedDataKey] = OrderedSet()
    for index in range(1, count + 1):
        keys.add(_read_encrypted_data_key(reader, index))
    return keys


def _read_content_type(reader: Reader) -> ContentType:
    content_type_id = reader.u8("content type")
    try:
        return _CONTENT_TYPES.get(content_type_id) or ContentType(content_type_id)
    except ValueError as err:
        raise UnknownIdentityError(f"Unknown content type {content_type_id}", err) from err


def _read_reserved_field(reader: Reader) -> int:
    reserved = reader.u32("reserved field")
    if reserved != 0:
        raise SerializationError("Content AAD length field is currently unused, its value must be always 0")
    return reserved


def _read_iv_length(reader: Reader, algorithm: AlgorithmSuite) -> int:
    iv_length = reader.u8("IV length")
    if iv_length != algorithm.iv_len:
        raise SerializationError(
            f"Specified IV length ({iv_length}) does not match algorithm IV length ({algorithm.iv_len})"
        )
    return iv_length


def _read_frame_length(reader: Reader, content_type: ContentType) -> int:
    frame_length = reader.u32("frame length")
    if content_type is ContentType.FRAMED_DATA and frame_length > MAX_FRAME_SIZE:
        raise SerializationError(
            f"Specified frame length larger than allowed maximum: {frame_length} > {MAX_FRAME_SIZE}"
        )
    if content_type is ContentType.NO_FRAMING and frame_length != 0:
        raise SerializationError("Non-zero frame length found for non-framed message")
    return frame_length


def deserialize_encrypted_data_keys(
    stream: ReadableSource, max_encrypted_data_keys: Optional[int] = None
) -> set[EncryptedDataKey]:
    """Read the encrypted data key section of a header.

    :param stream: the source, positioned at the key count
    :param max_encrypted_data_keys: most keys accepted (None: no limit)
    :returns: the keys, iterating in header order
    :raises MaxEncryptedDataKeysExceeded: when the count is above ``max_encrypted_data_keys``;
        checked before any key is read
    :raises SerializationError: when there are no keys, the input ends first or a provider
        ID is not UTF-8
    """
    return _read_encrypted_data_keys(Reader(stream), max_encrypted_data_keys)


def deserialize_header(
    stream: ReadableSource,
    max_encrypted_data_keys: Optional[int] = None,
    *,
    max_header_size: Optional[int] = None,
) -> tuple[MessageHeader, bytes]:
    """Read and check a message header body.

    Each field is checked as soon as it is read. The header authentication is not read or checked here (see
    :func:`deserialize_header_auth` and :func:`validate_header`).

    :param stream: the source, positioned at the start of the message
    :param max_encrypted_data_keys: most encrypted data keys accepted (None: no limit)
    :param max_header_size: most bytes the header body may take (None: no limit)
    :returns: the header and the raw bytes of the header body
    :raises NotSupportedError: when the version or type is unknown (with a hint when the input
        looks base64-encoded)
    :raises UnknownIdentityError: when the algorithm suite or content type is unknown
    :raises MaxEncryptedDataKeysExceeded: when the header holds too many encrypted data keys
    :raises CustomMaximumValueExceeded: when the header body would exceed ``max_header_size``
    :raises SerializationError: when a field is invalid or the input ends first

    .. versionadded:: 4.1.0
       The ``max_header_size`` parameter.
    """
    if type(stream) is io.BytesIO:
        return _deserialize_header_in_memory(stream, max_encrypted_data_keys, max_header_size)
    reader = Reader(stream, capture=True, limit=max_header_size, limit_name=_HEADER_LIMIT_NAME)
    return _read_header(reader, max_encrypted_data_keys)


def _deserialize_header_in_memory(
    stream: io.BytesIO, max_encrypted_data_keys: Optional[int], max_header_size: Optional[int]
) -> tuple[MessageHeader, bytes]:
    """Read a header from a ``BytesIO`` by slicing its bytes, then move the stream past what was read.

    ``getvalue()`` shares the ``BytesIO``'s own ``bytes`` (CPython copies them only while a ``getbuffer()``
    view of the ``BytesIO`` is held).
    """
    reader = BufferReader(stream.getvalue(), stream.tell(), limit=max_header_size, limit_name=_HEADER_LIMIT_NAME)
    try:
        return _read_header(reader, max_encrypted_data_keys)
    finally:
        stream.seek(reader.position)


def _read_header(reader: Reader, max_encrypted_data_keys: Optional[int]) -> tuple[MessageHeader, bytes]:
    """Read and check a header body, field by field; return it and its raw bytes."""
    version = _read_version(reader)
    object_type = _read_object_type(reader) if version is SerializationVersion.V1 else None
    algorithm = _read_algorithm(reader, version)
    message_id = reader.read_exact(algorithm.message_id_length(), "message ID")
    encryption_context = _read_encryption_context(reader)
    encrypted_data_keys = _read_encrypted_data_keys(reader, max_encrypted_data_keys)
    content_type = _read_content_type(reader)
    if version is SerializationVersion.V1:
        content_aad_length: Optional[int] = _read_reserved_field(reader)
        header_iv_length: Optional[int] = _read_iv_length(reader, algorithm)
    else:
        content_aad_length = header_iv_length = None
    frame_length = _read_frame_length(reader, content_type)
    commitment_key = None
    if version is SerializationVersion.V2:
        commitment_key = reader.read_exact(algorithm.algorithm_suite_data_length(), "algorithm suite data")
    header = MessageHeader(
        version=version,
        algorithm=algorithm,
        message_id=message_id,
        encryption_context=encryption_context,
        encrypted_data_keys=encrypted_data_keys,
        content_type=content_type,
        frame_length=frame_length,
        type=object_type,
        content_aad_length=content_aad_length,
        header_iv_length=header_iv_length,
        commitment_key=commitment_key,
    )
    return header, reader.captured


def deserialize_header_auth(
    version: SerializationVersion,
    stream: ReadableSource,
    algorithm: AlgorithmSuite,
    verifier: Optional[Updatable] = None,
) -> MessageHeaderAuthentication:
    """Read the header authentication block.

    Version 1 stores an IV and a tag; the IV must be all zero, as every conforming encryptor writes it.
    Version 2 stores only the tag; the returned IV is then the all-zero header IV.

    :param version: the message format version of the header
    :param stream: the source, positioned after the header body
    :param algorithm: the algorithm suite of the message
    :param verifier: receives the bytes read
    :returns: the header IV and tag
    :raises SerializationError: when the version is unknown, the version 1 IV is not all zero
        or the input ends first
    """
    reader = Reader(stream, verifier=verifier)
    if version is SerializationVersion.V1:
        iv = reader.read_exact(algorithm.iv_len, "header authentication IV")
        if iv != algorithm.header_auth_iv:
            raise SerializationError("Header authentication IV is not all zero; the header was altered")
        tag = reader.read_exact(algorithm.auth_len, "header authentication tag")
        return MessageHeaderAuthentication(iv=iv, tag=tag)
    if version is SerializationVersion.V2:
        tag = reader.read_exact(algorithm.auth_len, "header authentication tag")
        return MessageHeaderAuthentication(iv=algorithm.header_auth_iv, tag=tag)
    raise SerializationError(f"Unrecognized message format version: {version}")


def deserialize_non_framed_values(
    stream: ReadableSource, header: MessageHeader, verifier: Optional[Updatable] = None
) -> tuple[bytes, int]:
    """Read the IV and content length that open a non-framed body.

    :param stream: the source, positioned after the header authentication
    :param header: the message header
    :param verifier: receives the bytes read
    :returns: the body IV and the content length
    :raises SerializationError: when the IV is not the deterministic body IV or the input
        ends first
    """
    reader = Reader(stream, verifier=verifier)
    iv = reader.read_exact(header.algorithm.iv_len, "non-framed body IV")
    if iv != _deterministic_iv(header.algorithm.iv_len, 1):
        raise SerializationError("Non-framed body IV does not match the IV for sequence number 1; the body was altered")
    content_length = reader.u64("non-framed body content length")
    return iv, content_length


def deserialize_tag(stream: ReadableSource, header: MessageHeader, verifier: Optional[Updatable] = None) -> bytes:
    """Read the authentication tag that closes a non-framed body.

    :param stream: the source, positioned after the body content
    :param header: the message header
    :param verifier: receives the bytes read
    :returns: the tag
    :raises SerializationError: when the input ends first
    """
    return Reader(stream, verifier=verifier).read_exact(header.algorithm.auth_len, "non-framed body tag")


def deserialize_frame(
    stream: ReadableSource, header: MessageHeader, verifier: Optional[Updatable] = None
) -> tuple[MessageFrameBody, bool]:
    """Read one frame of a framed body.

    A frame that starts with ``FF FF FF FF`` is the final frame and carries its own content length; any other
    frame holds exactly the header's frame length. The order of sequence numbers is the caller's to check.

    :param stream: the source, positioned at the start of a frame
    :param header: the message header
    :param verifier: receives the bytes read
    :returns: the frame and whether it is the final frame
    :raises SerializationError: when the final frame is longer than the frame length, the IV
        is not the deterministic IV of the sequence number, or the input ends first
    """
    reader = Reader(stream, verifier=verifier)
    sequence_number = reader.u32("frame sequence number")
    final_frame = sequence_number == SequenceIdentifier.SEQUENCE_NUMBER_END.value
    if final_frame:
        sequence_number = reader.u32("final frame sequence number")
    iv = reader.read_exact(header.algorithm.iv_len, f"frame {sequence_number} IV")
    if iv != _deterministic_iv(header.algorithm.iv_len, sequence_number):
        raise SerializationError(
            f"Frame {sequence_number} IV does not match the IV for its sequence number; the message was altered"
        )
    if final_frame:
        content_length = reader.u32("final frame content length")
        if content_length > header.frame_length:
            raise SerializationError(f"Invalid final frame length: {content_length} > {header.frame_length}")
    else:
        content_length = header.frame_length
    ciphertext = reader.read_exact(content_length, f"frame {sequence_number} content")
    tag = reader.read_exact(header.algorithm.auth_len, f"frame {sequence_number} tag")
    frame = MessageFrameBody(
        iv=iv, ciphertext=ciphertext, tag=tag, sequence_number=sequence_number, final_frame=final_frame
    )
    return frame, final_frame


def deserialize_footer(stream: ReadableSource, verifier: Optional[_Verifier] = None) -> MessageFooter:
    """Read the message footer and, given a verifier, check the signature.

    The footer bytes are not fed to the verifier: the signature covers what precedes them.

    :param stream: the source, positioned after the body
    :param verifier: the signature verifier that has seen every preceding byte
    :returns: the footer
    :raises SerializationError: when the footer is missing or truncated, or the source fails
    :raises SignatureVerificationError: from the verifier, when the signature does not verify
    """
    reader = Reader(stream)
    try:
        signature = reader.read_prefixed("signature")
    except SerializationError as err:
        if isinstance(err.__cause__, (OSError, ValueError)):
            raise  # the source failed (as the SDK's own sources report it): not a missing signature
        raise SerializationError("No signature found in message") from err
    if verifier is not None:
        verifier.verify(signature)
    return MessageFooter(signature=signature)


def _split_symmetric_key_info(
    wrapping_algorithm: WrappingAlgorithm, wrapping_key_id: bytes, key_info: bytes
) -> tuple[int, bytes]:
    """Return the tag length (bytes) and IV stored in a raw AES key info."""
    if not key_info.startswith(wrapping_key_id):
        raise SerializationError("Master Key mismatch for wrapped data key")
    lengths = key_info[len(wrapping_key_id) : len(wrapping_key_id) + 8]
    if len(lengths) != 8:
        raise SerializationError("Malformed key info: key info missing data")
    tag_bits, iv_length = struct.unpack(">II", lengths)
    algorithm = wrapping_algorithm.algorithm
    if not isinstance(algorithm, AlgorithmSuite) or iv_length != algorithm.iv_len:
        raise SerializationError("Wrapping AlgorithmSuite mismatch for wrapped data key")
    iv = key_info[len(wrapping_key_id) + 8 :]
    if len(iv) != iv_length:
        raise SerializationError(f"Malformed key info: incomplete iv ({len(iv)} of {iv_length} bytes)")
    if tag_bits % 8 != 0 or tag_bits == 0:
        raise SerializationError(f"Malformed key info: tag length of {tag_bits} bits is not a whole number of bytes")
    return tag_bits // 8, iv


def deserialize_wrapped_key(
    wrapping_algorithm: WrappingAlgorithm, wrapping_key_id: bytes, wrapped_encrypted_key: EncryptedDataKey
) -> EncryptedData:
    """Split an encrypted data key written by a raw master key into its parts.

    A raw AES key info is the key id, the tag length in bits, the IV length and the IV; the encrypted data key
    is the ciphertext followed by the tag. A raw RSA encrypted data key is the ciphertext alone.

    :param wrapping_algorithm: the wrapping algorithm of the raw master key
    :param wrapping_key_id: the key id of the raw master key
    :param wrapped_encrypted_key: the encrypted data key from the header
    :returns: the IV, ciphertext and tag (IV and tag None for RSA)
    :raises SerializationError: when the key info belongs to another key or is malformed
    """
    wrapping_key_id = to_bytes(wrapping_key_id)
    key_info = wrapped_encrypted_key.key_provider.key_info
    ciphertext = wrapped_encrypted_key.encrypted_data_key
    if wrapping_algorithm.encryption_type is EncryptionType.ASYMMETRIC:
        if key_info != wrapping_key_id:
            raise SerializationError("Master Key mismatch for wrapped data key")
        return EncryptedData(iv=None, ciphertext=ciphertext, tag=None)
    tag_length, iv = _split_symmetric_key_info(wrapping_algorithm, wrapping_key_id, key_info)
    if len(ciphertext) <= tag_length:
        raise SerializationError("Malformed key info: incomplete ciphertext or tag")
    return EncryptedData(iv=iv, ciphertext=ciphertext[:-tag_length], tag=ciphertext[-tag_length:])


def validate_header(
    header: MessageHeader, header_auth: MessageHeaderAuthentication, raw_header: bytes, data_key: bytes
) -> None:
    """Check the header authentication tag.

    :param header: the parsed header
    :param header_auth: the header IV and tag
    :param raw_header: the raw bytes of the header body
    :param data_key: the derived data key of the message
    :raises SerializationError: when the tag does not authenticate the header
    """
    try:
        AESGCM(data_key).decrypt(header_auth.iv, header_auth.tag, bytes(raw_header))
    except InvalidTag as err:
        raise SerializationError("Header authorization failed") from err
    except ValueError as err:
        raise SerializationError(
            f"Header authorization failed: cannot use a {len(data_key)}-byte data key with a "
            f"{len(header_auth.iv)}-byte IV for suite 0x{header.algorithm.algorithm_id:04x}"
        ) from err
