"""Looking at a message without decrypting it, and learning which key decrypted one (private module).

Both names are re-exported by :mod:`aws_encryption_sdk`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Optional

import attrs

from aws_encryption_sdk.identifiers import AlgorithmSuite, ContentType
from aws_encryption_sdk.internal._message_source import MessageSource
from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header
from aws_encryption_sdk.structures import MasterKeyInfo, MessageHeader

__all__ = ["DecryptionResult", "UnauthenticatedHeader", "read_unauthenticated_header"]


@attrs.frozen
class UnauthenticatedHeader:
    """What a message's header *claims*, read without any key.

    Nothing here is authenticated: anyone can write a header that says anything. Use it to route a
    message (to the right key, the right policy) or to report on it, never to trust it. Decrypt
    the message to learn what is true.

    .. versionadded:: 4.1.0
    """

    #: Message format version (1 or 2).
    version: int
    #: The algorithm suite the header names.
    algorithm: AlgorithmSuite
    #: The message id.
    message_id: bytes
    #: The encryption context stored in the header (read-only view).
    encryption_context: Mapping[str, str]
    #: Provider id and key info of each encrypted data key, in header order.
    encrypted_data_keys: tuple[MasterKeyInfo, ...]
    #: Framed or non-framed body.
    content_type: ContentType
    #: Plaintext bytes per frame (0 when non-framed).
    frame_length: int


def read_unauthenticated_header(
    source: Any, max_encrypted_data_keys: Optional[int] = None, max_header_size: Optional[int] = None
) -> UnauthenticatedHeader:
    """Parse a message header without keys and without authenticating it.

    Reads only the header body from a stream source. The parse is as strict and bounded as
    decryption's; the result is *not* authenticated (see :class:`UnauthenticatedHeader`).

    .. versionadded:: 4.1.0

    :param source: the message: bytes-like, or any object with ``read``
    :param max_encrypted_data_keys: refuse headers with more encrypted data keys
    :param max_header_size: refuse header bodies longer than this many bytes
    :returns: what the header says
    :raises SerializationError: when the header is malformed or exceeds a limit
    :raises NotSupportedError: for an unknown format version or object type
    :raises UnknownIdentityError: for an unknown algorithm suite or content type
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
    reader = MessageSource(source)
    try:
        header, _ = deserialize_header(
            reader, max_encrypted_data_keys=max_encrypted_data_keys, max_header_size=max_header_size
        )
    finally:
        reader.release()
    return UnauthenticatedHeader(
        version=header.version.value,
        algorithm=header.algorithm,
        message_id=header.message_id,
        encryption_context=MappingProxyType(dict(header.encryption_context)),
        encrypted_data_keys=tuple(edk.key_provider for edk in header.encrypted_data_keys),
        content_type=header.content_type,
        frame_length=header.frame_length,
    )


@attrs.frozen
class DecryptionResult:
    """The outcome of :meth:`aws_encryption_sdk.EncryptionSDKClient.decrypt_with_details`.

    .. versionadded:: 4.1.0
    """

    #: The decrypted plaintext.
    plaintext: bytes
    #: The authenticated message header.
    header: MessageHeader
    #: The master key (provider id and key info) whose encrypted data key was decrypted.
    decrypted_by: MasterKeyInfo
