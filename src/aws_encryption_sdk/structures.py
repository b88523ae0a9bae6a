"""Public data structures: message headers, data keys and key identifiers."""

from __future__ import annotations

from typing import Any, Optional, Union

import attrs

from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    ContentType,
    ObjectType,
    SerializationVersion,
)
from aws_encryption_sdk.internal._validators import instance_of, optional_instance_of
from aws_encryption_sdk.internal.str_ops import to_bytes, to_str

__all__ = ["MessageHeader", "MasterKeyInfo", "RawDataKey", "DataKey", "EncryptedDataKey", "to_str", "to_bytes"]


def _str_from(value: Union[str, bytes]) -> str:
    result: str = to_str(value)
    return result


def _bytes_from(value: Union[str, bytes]) -> bytes:
    result: bytes = to_bytes(value)
    return result


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class MessageHeader:
    """The deserialized header of an AWS Encryption SDK message.

    :param version: message format version
    :param algorithm: algorithm suite of the message
    :param message_id: message id (16 bytes in version 1, 32 in version 2)
    :param encryption_context: the encryption context stored in the header
    :param encrypted_data_keys: the encrypted data keys stored in the header
    :param content_type: framed or non-framed body
    :param frame_length: plaintext bytes per frame (0 when non-framed)
    :param type: object type (version 1 only)
    :param content_aad_length: reserved field (version 1 only, always 0)
    :param header_iv_length: IV length field (version 1 only, always 12)
    :param commitment_key: key commitment (version 2 only)
    """

    version: SerializationVersion = attrs.field(validator=instance_of(SerializationVersion))
    algorithm: AlgorithmSuite = attrs.field(validator=instance_of(AlgorithmSuite))
    message_id: bytes = attrs.field(validator=instance_of(bytes))
    encryption_context: dict[Any, Any] = attrs.field(validator=instance_of(dict))
    encrypted_data_keys: set[EncryptedDataKey] = attrs.field(validator=instance_of(set))
    content_type: ContentType = attrs.field(validator=instance_of(ContentType))
    frame_length: int = attrs.field(validator=instance_of(int))
    type: Optional[ObjectType] = attrs.field(default=None, validator=optional_instance_of(ObjectType))
    content_aad_length: Optional[int] = attrs.field(default=None, validator=optional_instance_of(int))
    header_iv_length: Optional[int] = attrs.field(default=None, validator=optional_instance_of(int))
    commitment_key: Optional[bytes] = attrs.field(default=None, validator=optional_instance_of(bytes))


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class MasterKeyInfo:
    """Identifies a master key: its provider id and key info.

    :param provider_id: provider id (``str``; ``bytes`` are decoded as UTF-8)
    :param key_info: key info (``bytes``; ``str`` is encoded as UTF-8)
    """

    provider_id: str = attrs.field(converter=_str_from, validator=instance_of(str))
    key_info: bytes = attrs.field(converter=_bytes_from, validator=instance_of(bytes))


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class RawDataKey:
    """A plaintext data key and the master key it belongs to.

    :param key_provider: the master key that owns this data key
    :param data_key: the plaintext data key (never shown in ``repr``)
    """

    key_provider: MasterKeyInfo = attrs.field(validator=instance_of(MasterKeyInfo))
    data_key: bytes = attrs.field(repr=False, validator=instance_of(bytes, secret=True))


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class DataKey:
    """A data key in both plaintext and encrypted form.

    :param key_provider: the master key that owns this data key
    :param data_key: the plaintext data key (never shown in ``repr``)
    :param encrypted_data_key: the data key encrypted by that master key
    """

    key_provider: MasterKeyInfo = attrs.field(validator=instance_of(MasterKeyInfo))
    data_key: bytes = attrs.field(repr=False, validator=instance_of(bytes, secret=True))
    encrypted_data_key: bytes = attrs.field(validator=instance_of(bytes))


@attrs.define(slots=False, unsafe_hash=True, order=True, on_setattr=attrs.setters.NO_OP)
class EncryptedDataKey:
    """An encrypted data key as stored in a message header.

    :param key_provider: the master key that encrypted the data key
    :param encrypted_data_key: the encrypted data key
    """

    key_provider: MasterKeyInfo = attrs.field(validator=instance_of(MasterKeyInfo))
    encrypted_data_key: bytes = attrs.field(validator=instance_of(bytes))
