"""Serialization of AWS Encryption SDK messages: header, header authentication, body and footer.

Each function takes values and returns the bytes of one message part. When a signer is given, the bytes are
also fed to it, so that the footer signature covers everything written before it.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Optional, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aws_encryption_sdk.exceptions import SerializationError
from aws_encryption_sdk.identifiers import (
    AlgorithmSuite,
    ContentAADString,
    EncryptionType,
    ObjectType,
    SequenceIdentifier,
    SerializationVersion,
    WrappingAlgorithm,
)
from aws_encryption_sdk.internal.defaults import MAX_BYTE_ARRAY_SIZE, MAX_FRAME_COUNT
from aws_encryption_sdk.internal.formatting.encryption_context import (
    assemble_content_aad,
    serialize_encryption_context,
)
from aws_encryption_sdk.internal.str_ops import to_bytes
from aws_encryption_sdk.internal.structures import EncryptedData
from aws_encryption_sdk.structures import EncryptedDataKey, MasterKeyInfo, MessageHeader

if TYPE_CHECKING:
    from aws_encryption_sdk.key_providers.raw import RawMasterKey

__all__ = [
    "serialize_encrypted_data_key",
    "serialize_footer",
    "serialize_frame",
    "serialize_header",
    "serialize_header_auth",
    "serialize_non_framed_close",
    "serialize_non_framed_open",
    "serialize_raw_master_key_prefix",
    "serialize_wrapped_key",
]

_MAX_U32 = 2**32 - 1
_MAX_U64 = 2**64 - 1
_MESSAGE_ID_LENGTHS = {SerializationVersion.V1: 16, SerializationVersion.V2: 32}


class _Signer(Protocol):
    """A message signer: it sees every byte to sign, then produces the signature."""

    def update(self, data: bytes, /) -> None:
        """Take the next bytes to sign."""

    def finalize(self) -> bytes:
        """Return the signature over every byte seen."""


def _feed(signer: Optional[_Signer], data: bytes) -> bytes:
    """Give ``data`` to the signer, if any, and return it."""
    if signer is not None:
        signer.update(data)
    return data


def _prefixed(data: bytes, field_name: str) -> bytes:
    """Return ``data`` preceded by its two-byte length."""
    if len(data) > MAX_BYTE_ARRAY_SIZE:
        raise SerializationError(f"{field_name} is {len(data)} bytes long, above the limit of {MAX_BYTE_ARRAY_SIZE}")
    return struct.pack(">H", len(data)) + data


def _gcm_encrypt(key: bytes, iv: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """Return AES-GCM ciphertext and 16-byte tag."""
    try:
        sealed = AESGCM(key).encrypt(iv, plaintext, aad)
    except ValueError as err:
        raise SerializationError(f"Cannot encrypt with a {len(key)}-byte key and a {len(iv)}-byte IV") from err
    return sealed[:-16], sealed[-16:]


def serialize_encrypted_data_key(encrypted_data_key: EncryptedDataKey) -> bytes:
    """Serialize one encrypted data key as the header stores it.

    :param encrypted_data_key: the encrypted data key
    :returns: provider ID, provider info and ciphertext, each preceded by its length
    :raises SerializationError: when a field is longer than 65535 bytes, or the provider ID is not
        valid text (a lone surrogate)
    """
    provider = encrypted_data_key.key_provider
    try:
        provider_id = provider.provider_id.encode("utf-8")
    except UnicodeError as err:
        raise SerializationError(f"Cannot encode the provider ID {provider.provider_id!r} using utf-8") from err
    return (
        _prefixed(provider_id, "Provider ID")
        + _prefixed(bytes(provider.key_info), "Provider info")
        + _prefixed(bytes(encrypted_data_key.encrypted_data_key), "Encrypted data key")
    )


def _serialize_encrypted_data_keys(header: MessageHeader) -> bytes:
    keys = list(header.encrypted_data_keys)
    if not keys:
        raise SerializationError("A message header needs at least one encrypted data key")
    if len(keys) > MAX_BYTE_ARRAY_SIZE:
        raise SerializationError(f"Too many encrypted data keys: {len(keys)} > {MAX_BYTE_ARRAY_SIZE}")
    return struct.pack(">H", len(keys)) + b"".join(serialize_encrypted_data_key(key) for key in keys)


def _check_header_numbers(header: MessageHeader) -> None:
    expected_id_length = _MESSAGE_ID_LENGTHS[header.version]
    if len(header.message_id) != expected_id_length:
        raise SerializationError(
            f"A version {header.version.value} message ID must be {expected_id_length} bytes, "
            f"not {len(header.message_id)}"
        )
    if not 0 <= header.frame_length <= _MAX_U32:
        raise SerializationError(f"Frame length does not fit in the header: {header.frame_length}")


def _serialize_header_v1(header: MessageHeader, context: bytes, keys: bytes) -> bytes:
    object_type = header.type if header.type is not None else ObjectType.CUSTOMER_AE_DATA
    reserved = header.content_aad_length if header.content_aad_length is not None else 0
    iv_length = header.header_iv_length if header.header_iv_length is not None else header.algorithm.iv_len
    return (
        struct.pack(">BBH", header.version.value, object_type.value, header.algorithm.algorithm_id)
        + header.message_id
        + context
        + keys
        + struct.pack(">BIBI", header.content_type.value, reserved, iv_length, header.frame_length)
    )


def _serialize_header_v2(header: MessageHeader, context: bytes, keys: bytes) -> bytes:
    suite_data_length = header.algorithm.algorithm_suite_data_length()
    commitment_key = header.commitment_key or b""
    if len(commitment_key) != suite_data_length:
        raise SerializationError(
            f"Algorithm suite 0x{header.algorithm.algorithm_id:04x} needs {suite_data_length} bytes of "
            f"suite data (the commitment key), not {len(commitment_key)}"
        )
    return (
        struct.pack(">BH", header.version.value, header.algorithm.algorithm_id)
        + header.message_id
        + context
        + keys
        + struct.pack(">BI", header.content_type.value, header.frame_length)
        + commitment_key
    )


def serialize_header(header: MessageHeader, signer: Optional[_Signer] = None) -> bytes:
    """Serialize a message header body in the layout of its version.

    Encrypted data keys are written in the iteration order of the header's key set.

    :param header: the header
    :param signer: receives the bytes written
    :returns: the header body
    :raises SerializationError: when a field does not fit its place in the header
    """
    _check_header_numbers(header)
    context = _prefixed(serialize_encryption_context(header.encryption_context), "Serialized encryption context")
    keys = _serialize_encrypted_data_keys(header)
    if header.version is SerializationVersion.V1:
        data = _serialize_header_v1(header, context, keys)
    else:
        data = _serialize_header_v2(header, context, keys)
    return _feed(signer, data)


def serialize_header_auth(
    version: SerializationVersion,
    algorithm: AlgorithmSuite,
    header: bytes,
    data_encryption_key: bytes,
    signer: Optional[_Signer] = None,
    required_ec_bytes: Optional[bytes] = None,
) -> bytes:
    """Serialize the header authentication block.

    The tag is AES-GCM over no plaintext with the header body (and any required encryption context bytes) as
    AAD and the all-zero header IV.

    :param version: the message format version
    :param algorithm: the algorithm suite
    :param header: the serialized header body
    :param data_encryption_key: the derived data key
    :param signer: receives the bytes written
    :param required_ec_bytes: serialized encryption context appended to the AAD
    :returns: IV and tag (version 1) or the tag alone (version 2)
    :raises SerializationError: when the key cannot be used
    """
    aad = bytes(header) + (bytes(required_ec_bytes) if required_ec_bytes else b"")
    _, tag = _gcm_encrypt(data_encryption_key, algorithm.header_auth_iv, b"", aad)
    if version is SerializationVersion.V1:
        return _feed(signer, algorithm.header_auth_iv + tag)
    return _feed(signer, tag)


def serialize_non_framed_open(
    algorithm: AlgorithmSuite, iv: bytes, plaintext_length: int, signer: Optional[_Signer] = None
) -> bytes:
    """Serialize the IV and content length that open a non-framed body.

    :param algorithm: the algorithm suite
    :param iv: the body IV
    :param plaintext_length: the plaintext (and ciphertext) length
    :param signer: receives the bytes written
    :returns: the IV followed by the eight-byte length
    :raises SerializationError: when the IV has the wrong length or the length does not fit
    """
    if len(iv) != algorithm.iv_len:
        raise SerializationError(f"Body IV must be {algorithm.iv_len} bytes, not {len(iv)}")
    if not 0 <= plaintext_length <= _MAX_U64:
        raise SerializationError(f"Non-framed content length does not fit in 8 bytes: {plaintext_length}")
    return _feed(signer, bytes(iv) + struct.pack(">Q", plaintext_length))


def serialize_non_framed_close(tag: bytes, signer: Optional[_Signer] = None) -> bytes:
    """Serialize the tag that closes a non-framed body.

    :param tag: the body tag
    :param signer: receives the bytes written
    :returns: the tag
    """
    return _feed(signer, bytes(tag))


def serialize_frame(
    algorithm: AlgorithmSuite,
    plaintext: bytes,
    message_id: bytes,
    data_encryption_key: bytes,
    frame_length: int,
    sequence_number: int,
    is_final_frame: bool,
    signer: Optional[_Signer] = None,
) -> tuple[bytes, bytes]:
    """Encrypt and serialize one frame from the start of ``plaintext``.

    The frame takes up to ``frame_length`` bytes of plaintext; its IV is eight zero bytes and the sequence
    number, and its AAD is built by
    :func:`~aws_encryption_sdk.internal.formatting.encryption_context.assemble_content_aad`.

    :param algorithm: the algorithm suite
    :param plaintext: the plaintext still to encrypt
    :param message_id: the message ID
    :param data_encryption_key: the derived data key
    :param frame_length: the frame length of the message
    :param sequence_number: the sequence number of this frame (from 1)
    :param is_final_frame: whether this is the final frame
    :param signer: receives the bytes written
    :returns: the frame and the plaintext left after it
    :raises SerializationError: when the sequence number is out of range, or a regular frame
        would hold less than the frame length
    """
    if sequence_number < 1:
        raise SerializationError("Frame sequence number must be greater than 0")
    if sequence_number > MAX_FRAME_COUNT or (sequence_number == MAX_FRAME_COUNT and not is_final_frame):
        # 0xFFFFFFFF marks the final frame, so only the final frame may carry that sequence number.
        raise SerializationError("Max frame count exceeded")
    frame_plaintext = plaintext[:frame_length]
    if not is_final_frame and len(frame_plaintext) != frame_length:
        raise SerializationError(
            f"A regular frame must hold exactly {frame_length} bytes of plaintext, not {len(frame_plaintext)}"
        )
    label = ContentAADString.FINAL_FRAME_STRING_ID if is_final_frame else ContentAADString.FRAME_STRING_ID
    iv = b"\x00" * (algorithm.iv_len - 4) + struct.pack(">I", sequence_number)
    aad = assemble_content_aad(message_id, label, sequence_number, len(frame_plaintext))
    ciphertext, tag = _gcm_encrypt(data_encryption_key, iv, bytes(frame_plaintext), aad)
    if is_final_frame:
        opening = struct.pack(">II", SequenceIdentifier.SEQUENCE_NUMBER_END.value, sequence_number)
        frame = opening + iv + struct.pack(">I", len(ciphertext)) + ciphertext + tag
    else:
        frame = struct.pack(">I", sequence_number) + iv + ciphertext + tag
    return _feed(signer, frame), plaintext[frame_length:]


def serialize_footer(signer: Optional[_Signer]) -> bytes:
    """Serialize the message footer: the signature preceded by its length.

    :param signer: the signer that has seen every byte of the message (None: unsigned suite)
    :returns: the footer, or no bytes when there is no signer
    :raises SerializationError: when the signature is longer than 65535 bytes
    """
    if signer is None:
        return b""
    return _prefixed(signer.finalize(), "Signature")


def serialize_raw_master_key_prefix(raw_master_key: RawMasterKey) -> bytes:
    """Return the bytes that start the key info of every key wrapped by a raw master key.

    For RSA that is the key id; for AES the key id, the tag length in bits and the IV length.

    :param raw_master_key: the raw master key
    :returns: the key info prefix
    """
    key_id: bytes = to_bytes(raw_master_key.config.key_id)
    wrapping_algorithm = raw_master_key.config.wrapping_key.wrapping_algorithm
    if wrapping_algorithm.encryption_type is EncryptionType.ASYMMETRIC:
        return key_id
    suite = wrapping_algorithm.algorithm
    if not isinstance(suite, AlgorithmSuite):
        raise SerializationError(f"Wrapping algorithm {wrapping_algorithm.name} has no AES suite")
    return key_id + struct.pack(">II", suite.tag_len * 8, suite.iv_len)


def serialize_wrapped_key(
    key_provider: MasterKeyInfo,
    wrapping_algorithm: WrappingAlgorithm,
    wrapping_key_id: bytes,
    encrypted_wrapped_key: EncryptedData,
) -> EncryptedDataKey:
    """Build the encrypted data key of a raw master key from its wrapped key.

    AES: key info is the key id, the tag length in bits, the IV length and the IV, and the encrypted data key
    is the ciphertext followed by the tag. RSA: key info is the key id and the encrypted data key is the
    ciphertext.

    :param key_provider: the master key's provider ID and key info
    :param wrapping_algorithm: the wrapping algorithm
    :param wrapping_key_id: the key id of the wrapping key
    :param encrypted_wrapped_key: the wrapped data key
    :returns: the encrypted data key
    :raises SerializationError: when an AES wrapped key lacks its IV or tag
    """
    key_id: bytes = to_bytes(wrapping_key_id)
    if wrapping_algorithm.encryption_type is EncryptionType.ASYMMETRIC:
        key_info = key_id
        ciphertext = encrypted_wrapped_key.ciphertext
    else:
        iv, tag = encrypted_wrapped_key.iv, encrypted_wrapped_key.tag
        if iv is None or tag is None:
            raise SerializationError("An AES-wrapped data key needs both an IV and a tag")
        key_info = key_id + struct.pack(">II", len(tag) * 8, len(iv)) + iv
        ciphertext = encrypted_wrapped_key.ciphertext + tag
    return EncryptedDataKey(
        key_provider=MasterKeyInfo(provider_id=key_provider.provider_id, key_info=key_info),
        encrypted_data_key=ciphertext,
    )
