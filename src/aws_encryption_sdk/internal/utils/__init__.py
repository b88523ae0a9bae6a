"""Helper functions used across the SDK."""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING, Any, Union

from aws_encryption_sdk.exceptions import InvalidDataKeyError, SerializationError, UnknownIdentityError
from aws_encryption_sdk.identifiers import AlgorithmSuite, ContentAADString, ContentType
from aws_encryption_sdk.internal.defaults import MAX_FRAME_SIZE
from aws_encryption_sdk.internal.str_ops import to_bytes
from aws_encryption_sdk.internal.utils import commitment, signature, streams
from aws_encryption_sdk.internal.utils._edk_set import OrderedSet
from aws_encryption_sdk.internal.utils.streams import InsistentReaderBytesIO
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey, RawDataKey

if TYPE_CHECKING:
    from aws_encryption_sdk.key_providers.base import MasterKey

__all__ = [
    "commitment",
    "content_type",
    "exactly_one_arg_is_not_none",
    "get_aad_content_string",
    "message_id",
    "prep_stream_data",
    "prepare_data_keys",
    "signature",
    "source_data_key_length_check",
    "streams",
    "validate_frame_length",
]


def content_type(frame_length: int) -> ContentType:
    """Return the body layout for a frame length (0 means non-framed)."""
    return ContentType.NO_FRAMING if frame_length == 0 else ContentType.FRAMED_DATA


def validate_frame_length(frame_length: int, algorithm: AlgorithmSuite) -> None:
    """Check a frame length for encryption.

    Any length from 1 to 2**31 - 1 is valid, and 0 means a non-framed message. (The original
    library also demanded a multiple of 128; every length allowed here decrypts there.)

    :param frame_length: plaintext bytes per frame
    :param algorithm: the suite of the message
    :raises SerializationError: when the frame length is out of range
    """
    if frame_length < 0:
        raise SerializationError(
            f"Frame size must be a non-negative number of bytes (0 for a non-framed message), not {frame_length}"
        )
    if frame_length > MAX_FRAME_SIZE:
        raise SerializationError(f"Frame size too large: {frame_length} > {MAX_FRAME_SIZE}")


def message_id(size: int) -> bytes:
    """Return a new random message id of ``size`` bytes."""
    return os.urandom(size)


def get_aad_content_string(content_type: ContentType, is_final_frame: bool) -> bytes:
    """Return the body AAD label for a body layout and frame position.

    :raises UnknownIdentityError: when the content type is not known
    """
    if content_type == ContentType.NO_FRAMING:
        return ContentAADString.NON_FRAMED_STRING_ID.value
    if content_type == ContentType.FRAMED_DATA:
        if is_final_frame:
            return ContentAADString.FINAL_FRAME_STRING_ID.value
        return ContentAADString.FRAME_STRING_ID.value
    raise UnknownIdentityError(f"Unhandled content type: {content_type}")


def prepare_data_keys(
    primary_master_key: MasterKey,
    master_keys: list[MasterKey],
    algorithm: AlgorithmSuite,
    encryption_context: dict[str, str],
) -> tuple[DataKey, set[EncryptedDataKey]]:
    """Generate a data key with the primary master key and encrypt it with every other one.

    :returns: the data key and the encrypted data keys, in the order of ``master_keys``
    """
    data_key = primary_master_key.generate_data_key(algorithm, encryption_context)
    encrypted_data_keys: OrderedSet[EncryptedDataKey] = OrderedSet()
    for master_key in master_keys:
        if master_key is primary_master_key:
            encrypted_data_keys.add(
                EncryptedDataKey(key_provider=data_key.key_provider, encrypted_data_key=data_key.encrypted_data_key)
            )
            continue
        encrypted_data_keys.add(master_key.encrypt_data_key(data_key, algorithm, encryption_context))
    return data_key, encrypted_data_keys


def prep_stream_data(data: Any) -> Any:
    """Wrap a message source in a stream whose reads are never short before the end.

    ``str`` is encoded as UTF-8; ``bytes`` and other bytes-like objects are read from memory;
    anything else is used as a stream (only ``read`` is required).
    """
    if isinstance(data, (str, bytes, bytearray, memoryview)):
        return InsistentReaderBytesIO(io.BytesIO(to_bytes(data)))
    return InsistentReaderBytesIO(data)


def source_data_key_length_check(source_data_key: Union[RawDataKey, DataKey], algorithm: AlgorithmSuite) -> None:
    """Check that a data key has the length the suite needs.

    :raises InvalidDataKeyError: when it does not
    """
    if len(source_data_key.data_key) != algorithm.kdf_input_len:
        raise InvalidDataKeyError(
            f"Invalid Source Data Key length {len(source_data_key.data_key)} for algorithm required: "
            f"{algorithm.kdf_input_len}"
        )


def exactly_one_arg_is_not_none(*args: Any) -> bool:
    """Say whether exactly one of the arguments is not None."""
    return sum(arg is not None for arg in args) == 1
