"""Serialization of encryption contexts and of the AAD used for message bodies.

The serialized form of an encryption context is what the message header stores as its "AAD"
field, what raw AES master keys use as wrapping AAD, and what the caching materials manager
hashes into its cache keys.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Mapping
from typing import Any

from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.identifiers import ContentAADString
from aws_encryption_sdk.internal.defaults import ENCODING, MAX_BYTE_ARRAY_SIZE

__all__ = [
    "assemble_content_aad",
    "deserialize_encryption_context",
    "read_short",
    "read_string",
    "serialize_encryption_context",
]

_BAD_FORMAT = "Bad format of serialized context."
_MAX_U32 = 2**32 - 1
_MAX_U64 = 2**64 - 1


def _encode_text(item: Any, role: str) -> bytes:
    """Return the UTF-8 bytes of one encryption context key or value.

    :param item: the key or value (``str``, or ``bytes`` holding UTF-8 text)
    :param role: "key" or "value", for the error message
    :returns: the UTF-8 encoding of the text
    :raises TypeError: when the item is neither ``str`` nor ``bytes``
    :raises SerializationError: when the item is not valid UTF-8 text
    """
    if not isinstance(item, (str, bytes)):
        raise TypeError(f"Encryption context {role}s must be str or bytes, not {type(item).__name__}")
    try:
        text = item.decode(ENCODING) if isinstance(item, bytes) else item
        return text.encode(ENCODING)
    except UnicodeError as err:
        raise SerializationError(f"Cannot encode dictionary key or value using {ENCODING}.") from err


def _encoded_pairs(encryption_context: Mapping[Any, Any]) -> list[tuple[bytes, bytes]]:
    """Encode every pair and sort them by the UTF-8 bytes of the key.

    :param encryption_context: the encryption context
    :returns: the encoded pairs in serialization order
    :raises SerializationError: when a key or value is too long or two keys encode alike
    """
    pairs = []
    for key, value in encryption_context.items():
        key_bytes = _encode_text(key, "key")
        value_bytes = _encode_text(value, "value")
        if len(key_bytes) > MAX_BYTE_ARRAY_SIZE:
            raise SerializationError("The encryption context contains a key that is too large.")
        if len(value_bytes) > MAX_BYTE_ARRAY_SIZE:
            raise SerializationError("The encryption context contains a value that is too large.")
        pairs.append((key_bytes, value_bytes))
    pairs.sort(key=lambda pair: pair[0])
    for (previous, _), (current, _) in itertools.pairwise(pairs):
        if previous == current:
            raise SerializationError(
                "The encryption context contains two keys with the same UTF-8 text "
                "(a str key and an equal bytes key); keep only one of them."
            )
    return pairs


def serialize_encryption_context(encryption_context: Mapping[Any, Any]) -> bytes:
    """Serialize an encryption context as the message header stores it.

    An empty context serializes to no bytes at all. Otherwise the result is the pair count
    followed by every pair, sorted by the UTF-8 bytes of its key, each key and value prefixed
    with its two-byte length. Keys and values may be ``str`` or ``bytes`` holding UTF-8 text.

    :param encryption_context: the encryption context
    :returns: the serialized encryption context
    :raises SerializationError: when the context has too many pairs, a key or value is too
        long or not valid UTF-8, or the result would be longer than 65535 bytes
    :raises TypeError: when a key or value is neither ``str`` nor ``bytes``
    """
    if not encryption_context:
        return b""
    if len(encryption_context) > MAX_BYTE_ARRAY_SIZE:
        raise SerializationError("The encryption context contains too many elements.")
    serialized = bytearray(struct.pack(">H", len(encryption_context)))
    for key_bytes, value_bytes in _encoded_pairs(encryption_context):
        serialized += struct.pack(">H", len(key_bytes)) + key_bytes
        serialized += struct.pack(">H", len(value_bytes)) + value_bytes
        if len(serialized) > MAX_BYTE_ARRAY_SIZE:
            raise SerializationError("The serialized context is too large.")
    return bytes(serialized)


def read_short(source: bytes, offset: int) -> tuple[int, int]:
    """Read a big-endian unsigned 16-bit integer.

    :param source: the bytes to read from
    :param offset: where the integer starts
    :returns: the integer and the offset just after it
    :raises SerializationError: when fewer than two bytes remain
    """
    if offset < 0 or offset + 2 > len(source):
        raise SerializationError(_BAD_FORMAT)
    (value,) = struct.unpack_from(">H", source, offset)
    return value, offset + 2


def read_string(source: bytes, offset: int, length: int) -> tuple[str, int]:
    """Read ``length`` bytes of UTF-8 text.

    :param source: the bytes to read from
    :param offset: where the text starts
    :param length: length of the text in bytes
    :returns: the decoded text and the offset just after it
    :raises SerializationError: when fewer than ``length`` bytes remain or they are not UTF-8
    """
    end = offset + length
    if offset < 0 or length < 0 or end > len(source):
        raise SerializationError(_BAD_FORMAT)
    try:
        return bytes(source[offset:end]).decode(ENCODING), end
    except UnicodeDecodeError as err:
        raise SerializationError(_BAD_FORMAT) from err


def deserialize_encryption_context(serialized_encryption_context: bytes) -> dict[str, str]:
    """Parse a serialized encryption context.

    Empty input gives an empty context; so does the non-canonical form with a pair count of
    zero. Pair order is not checked.

    :param serialized_encryption_context: the serialized encryption context
    :returns: the encryption context
    :raises SerializationError: when the input is longer than 65535 bytes, truncated, not
        UTF-8, repeats a key, or has bytes after the last pair
    """
    source = bytes(serialized_encryption_context)
    if len(source) > MAX_BYTE_ARRAY_SIZE:
        raise SerializationError("Serialized context is too long.")
    if not source:
        return {}
    encryption_context: dict[str, str] = {}
    pair_count, offset = read_short(source, 0)
    for _ in range(pair_count):
        key_length, offset = read_short(source, offset)
        key, offset = read_string(source, offset, key_length)
        value_length, offset = read_short(source, offset)
        value, offset = read_string(source, offset, value_length)
        if key in encryption_context:
            raise SerializationError("Duplicate key in serialized context.")
        encryption_context[key] = value
    if offset != len(source):
        raise SerializationError("Formatting error: Extra data in serialized context.")
    return encryption_context


def assemble_content_aad(
    message_id: bytes,
    aad_content_string: ContentAADString | bytes,
    seq_num: int,
    length: int,
) -> bytes:
    """Build the AAD of a frame or of a non-framed body.

    The AAD is the message id, the body label, the sequence number (four bytes) and the
    plaintext length (eight bytes).

    :param message_id: the message id from the header (16 or 32 bytes)
    :param aad_content_string: the label of the body part (frame, final frame or single block)
    :param seq_num: the sequence number of the frame (1 for a non-framed body)
    :param length: the plaintext length of the frame or body
    :returns: the AAD
    :raises SerializationError: when the label is unknown or a number does not fit its field
    """
    if isinstance(aad_content_string, ContentAADString):
        label: bytes = aad_content_string.value
    elif isinstance(aad_content_string, (bytes, bytearray)):
        label = bytes(aad_content_string)
    else:
        raise SerializationError("Unknown aad_content_string")
    if not 0 <= seq_num <= _MAX_U32:
        raise SerializationError(f"Sequence number out of range for the body AAD: {seq_num}")
    if not 0 <= length <= _MAX_U64:
        raise SerializationError(f"Content length out of range for the body AAD: {length}")
    return bytes(message_id) + label + struct.pack(">IQ", seq_num, length)
