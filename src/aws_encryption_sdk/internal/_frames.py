"""Sealing and opening the frames of a message body with one per-message AES-GCM key (private).

This is the hot path of the SDK: one :class:`FrameSealer` or :class:`FrameOpener` is built per
message and reused for every frame, so the key schedule, the AAD prefixes and the IV layout are
computed once. The layouts are those of the message format (frames, final frame and the
non-framed body); the IV of sequence number ``s`` is eight zero bytes followed by ``u32(s)``.
"""

from __future__ import annotations

import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aws_encryption_sdk.exceptions import BodyAuthenticationError, SerializationError
from aws_encryption_sdk.identifiers import ContentAADString
from aws_encryption_sdk.internal._types import BytesLike
from aws_encryption_sdk.internal.defaults import MAX_FRAME_COUNT

FINAL_FRAME_MARKER = b"\xff\xff\xff\xff"
IV_LENGTH = 12
TAG_LENGTH = 16
#: Bytes of a regular frame around its content: sequence number, IV, tag.
REGULAR_FRAME_OVERHEAD = 4 + IV_LENGTH + TAG_LENGTH
#: Bytes of the final frame around its content: marker, sequence number, IV, length, tag.
FINAL_FRAME_OVERHEAD = 4 + 4 + IV_LENGTH + 4 + TAG_LENGTH

_U32 = struct.Struct(">I")
_SEQ_AND_LENGTH = struct.Struct(">IQ")
_FRAME_PREFIX = struct.Struct(">I8xI")  # sequence number, then the IV: 8 zero bytes + sequence number
_FINAL_PREFIX = struct.Struct(">4sI8xII")  # marker, sequence number, IV, content length
_IV = struct.Struct(">8xI")


def frame_iv(sequence_number: int) -> bytes:
    """Return the deterministic IV of a frame: eight zero bytes and the sequence number."""
    return _IV.pack(sequence_number)


def check_sequence_number(sequence_number: int) -> None:
    """Refuse a sequence number beyond the last one a message may have.

    :raises SerializationError: when the message would need more than 2**32 - 1 frames
    """
    if sequence_number > MAX_FRAME_COUNT:
        raise SerializationError("Max frame count exceeded")


class FrameSealer:
    """Encrypts the frames (or the single block) of one message.

    :param key: the derived data encryption key of the message
    :param message_id: the message id from the header
    """

    def __init__(self, key: bytes, message_id: bytes) -> None:
        self._aead = AESGCM(key)
        self._frame_aad = message_id + ContentAADString.FRAME_STRING_ID.value
        self._final_aad = message_id + ContentAADString.FINAL_FRAME_STRING_ID.value
        self._single_aad = message_id + ContentAADString.NON_FRAMED_STRING_ID.value

    def seal_regular(self, sequence_number: int, plaintext: BytesLike, out: bytearray) -> None:
        """Append a regular frame holding ``plaintext`` to ``out``."""
        check_sequence_number(sequence_number)
        start = len(out)
        out += _FRAME_PREFIX.pack(sequence_number, sequence_number)
        aad = self._frame_aad + _SEQ_AND_LENGTH.pack(sequence_number, len(plaintext))
        out += bytes(len(plaintext) + TAG_LENGTH)
        with memoryview(out) as view:
            self._aead.encrypt_into(view[start + 4 : start + 16], plaintext, aad, view[start + 16 :])

    def seal_final(self, sequence_number: int, plaintext: BytesLike, out: bytearray) -> None:
        """Append the final frame holding ``plaintext`` to ``out``."""
        check_sequence_number(sequence_number)
        start = len(out)
        out += _FINAL_PREFIX.pack(FINAL_FRAME_MARKER, sequence_number, sequence_number, len(plaintext))
        aad = self._final_aad + _SEQ_AND_LENGTH.pack(sequence_number, len(plaintext))
        out += bytes(len(plaintext) + TAG_LENGTH)
        with memoryview(out) as view:
            self._aead.encrypt_into(view[start + 8 : start + 20], plaintext, aad, view[start + 24 :])

    def seal_single_block(self, plaintext: BytesLike) -> bytes:
        """Return ``ciphertext || tag`` of a non-framed body."""
        aad = self._single_aad + _SEQ_AND_LENGTH.pack(1, len(plaintext))
        return self._aead.encrypt(frame_iv(1), plaintext, aad)


class FrameOpener:
    """Decrypts and authenticates the frames (or the single block) of one message.

    Plaintext is returned only after its tag verified.

    :param key: the derived data encryption key of the message
    :param message_id: the message id from the header
    """

    def __init__(self, key: bytes, message_id: bytes) -> None:
        self._aead = AESGCM(key)
        self._frame_aad = message_id + ContentAADString.FRAME_STRING_ID.value
        self._final_aad = message_id + ContentAADString.FINAL_FRAME_STRING_ID.value
        self._single_aad = message_id + ContentAADString.NON_FRAMED_STRING_ID.value

    def open_frame(
        self, sequence_number: int, final: bool, iv: BytesLike, content_and_tag: BytesLike, out: bytearray
    ) -> None:
        """Authenticate one frame and append its plaintext to ``out``.

        :param sequence_number: the frame's sequence number
        :param final: whether this is the final frame
        :param iv: the IV stored in the frame
        :param content_and_tag: the encrypted content followed by the 16-byte tag
        :param out: buffer that receives the plaintext
        :raises SerializationError: when the stored IV is not the one the sequence number implies
        :raises BodyAuthenticationError: when the frame fails authentication
        """
        if iv != frame_iv(sequence_number):
            raise SerializationError(
                f"Frame {sequence_number} carries IV {bytes(iv).hex()}, not the IV its sequence number implies"
            )
        length = len(content_and_tag) - TAG_LENGTH
        aad = (self._final_aad if final else self._frame_aad) + _SEQ_AND_LENGTH.pack(sequence_number, length)
        start = len(out)
        out += bytes(length)
        try:
            with memoryview(out) as view:
                self._aead.decrypt_into(iv, content_and_tag, aad, view[start:])
        except InvalidTag:
            del out[start:]
            raise BodyAuthenticationError(
                f"Frame {sequence_number} failed authentication: the message was altered or truncated, "
                "or the wrong key was used"
            ) from None

    def open_single_block(self, iv: BytesLike, content_and_tag: BytesLike) -> bytes:
        """Authenticate a non-framed body and return its plaintext.

        :raises SerializationError: when the stored IV is not the deterministic one
        :raises BodyAuthenticationError: when the body fails authentication
        """
        if iv != frame_iv(1):
            raise SerializationError(f"The message body carries IV {bytes(iv).hex()}, not the deterministic IV")
        aad = self._single_aad + _SEQ_AND_LENGTH.pack(1, len(content_and_tag) - TAG_LENGTH)
        try:
            return self._aead.decrypt(iv, content_and_tag, aad)
        except InvalidTag:
            raise BodyAuthenticationError(
                "The message body failed authentication: the message was altered or truncated, "
                "or the wrong key was used"
            ) from None


def parse_u32(data: BytesLike) -> int:
    """Return the big-endian u32 at the start of ``data``."""
    value: int = _U32.unpack_from(data)[0]
    return value
