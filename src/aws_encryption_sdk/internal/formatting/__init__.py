"""Serialization and parsing of AWS Encryption SDK messages, and their exact sizes.

The length helpers compute how many bytes each part of a message takes, from the header alone
and the plaintext length, without encrypting anything.
"""

from __future__ import annotations

from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.identifiers import ContentType, SerializationVersion
from aws_encryption_sdk.internal.formatting import deserialize, encryption_context, serialize
from aws_encryption_sdk.internal.formatting.serialize import serialize_header
from aws_encryption_sdk.structures import MessageHeader

__all__ = [
    "body_length",
    "ciphertext_length",
    "deserialize",
    "encryption_context",
    "footer_length",
    "header_length",
    "serialize",
    "serialize_header",
]

_SEQUENCE_NUMBER = 4
_CONTENT_LENGTH_FINAL = 4
_CONTENT_LENGTH_NON_FRAMED = 8
_SIGNATURE_LENGTH_FIELD = 2


def header_length(header: MessageHeader) -> int:
    """Return the length of the header body and its authentication block.

    :param header: the message header
    :returns: the length in bytes
    :raises SerializationError: when the header cannot be serialized
    """
    algorithm = header.algorithm
    auth_length = algorithm.auth_len
    if header.version is SerializationVersion.V1:
        auth_length += algorithm.iv_len
    return len(serialize_header(header)) + auth_length


def _regular_frame_length(header: MessageHeader) -> int:
    return _SEQUENCE_NUMBER + header.algorithm.iv_len + header.frame_length + header.algorithm.auth_len


def _final_frame_length(header: MessageHeader, content_length: int) -> int:
    algorithm = header.algorithm
    return 2 * _SEQUENCE_NUMBER + algorithm.iv_len + _CONTENT_LENGTH_FINAL + content_length + algorithm.auth_len


def body_length(header: MessageHeader, plaintext_length: int) -> int:
    """Return the length of the message body for a plaintext length.

    A framed body always ends with a final frame, empty when the plaintext is a multiple of
    the frame length.

    :param header: the message header
    :param plaintext_length: the plaintext length in bytes
    :returns: the length in bytes
    :raises SerializationError: when a framed header has a frame length of 0
    """
    algorithm = header.algorithm
    if header.content_type is ContentType.NO_FRAMING:
        return algorithm.iv_len + _CONTENT_LENGTH_NON_FRAMED + plaintext_length + algorithm.auth_len
    if header.frame_length <= 0:
        raise SerializationError(f"A framed message needs a positive frame length, not {header.frame_length}")
    regular_frames, final_content = divmod(plaintext_length, header.frame_length)
    return regular_frames * _regular_frame_length(header) + _final_frame_length(header, final_content)


def footer_length(header: MessageHeader) -> int:
    """Return the length of the footer: 0 for unsigned suites.

    :param header: the message header
    :returns: the length in bytes
    """
    if header.algorithm.signing_algorithm_info is None:
        return 0
    return _SIGNATURE_LENGTH_FIELD + header.algorithm.signature_len


def ciphertext_length(header: MessageHeader, plaintext_length: int) -> int:
    """Return the length of the whole message for a plaintext length.

    :param header: the message header
    :param plaintext_length: the plaintext length in bytes
    :returns: the length in bytes
    :raises SerializationError: when the header cannot be serialized
    """
    return header_length(header) + body_length(header, plaintext_length) + footer_length(header)
