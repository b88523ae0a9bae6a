"""Sealing and opening the frames of a message body with one per-message AES-GCM key (private).

This is the hot path of the SDK: one :class:`FrameSealer` or :class:`FrameOpener` is built per
message and reused for every frame, so the key schedule, the AAD prefixes and the IV layout are
computed once. The layouts are those of the message format (frames and the final frame; a
non-framed body uses the same IV rule with sequence number 1): the IV of sequence number ``s`` is
eight zero bytes followed by ``u32(s)``.
"""

from __future__ import annotations

import functools
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
# Body AAD labels, read once (an Enum member's ``value`` is a property, slow on a per-message path).
_FRAME_LABEL = ContentAADString.FRAME_STRING_ID.value
_FINAL_LABEL = ContentAADString.FINAL_FRAME_STRING_ID.value
_SEQ_AND_LENGTH_PLACEHOLDER = bytes(_SEQ_AND_LENGTH.size)


@functools.lru_cache(maxsize=8)
def _sequence_numbers(stride: int) -> struct.Struct:
    """A struct that reads the sequence number of each frame in a run of ``stride``-byte frames."""
    return struct.Struct(f">I{stride - 4}x")


def frame_iv(sequence_number: int) -> bytes:
    """Return the deterministic IV of a frame: eight zero bytes and the sequence number."""
    return _IV.pack(sequence_number)


def check_sequence_number(sequence_number: int) -> None:
    """Refuse a sequence number beyond the last one a message may have.

    :raises SerializationError: when the message would need more than 2**32 - 1 frames
    """
    if sequence_number > MAX_FRAME_COUNT:
        raise SerializationError("Max frame count exceeded")


class _AeadContext:
    """One message's AES-GCM key with reusable IV and AAD buffers (rewritten in place per frame)."""

    def __init__(self, key: bytes, message_id: bytes) -> None:
        self._aead = AESGCM(key)
        self._iv = bytearray(IV_LENGTH)
        self._frame_aad = bytearray(message_id + _FRAME_LABEL + _SEQ_AND_LENGTH_PLACEHOLDER)
        self._final_aad = bytearray(message_id + _FINAL_LABEL + _SEQ_AND_LENGTH_PLACEHOLDER)
        self._frame_seq_at = len(message_id) + len(_FRAME_LABEL)
        self._final_seq_at = len(message_id) + len(_FINAL_LABEL)

    def _frame_iv_and_aad(self, sequence_number: int, length: int, final: bool) -> tuple[bytearray, bytearray]:
        _IV.pack_into(self._iv, 0, sequence_number)
        if final:
            _SEQ_AND_LENGTH.pack_into(self._final_aad, self._final_seq_at, sequence_number, length)
            return self._iv, self._final_aad
        _SEQ_AND_LENGTH.pack_into(self._frame_aad, self._frame_seq_at, sequence_number, length)
        return self._iv, self._frame_aad


class FrameSealer(_AeadContext):
    """Encrypts the frames of one message.

    :param key: the derived data encryption key of the message
    :param message_id: the message id from the header
    """

    def seal_frames(
        self, first_sequence_number: int, plaintext: BytesLike, frame_length: int, final: bool
    ) -> bytearray:
        """Encrypt ``plaintext`` as consecutive frames and return their bytes.

        :param first_sequence_number: sequence number of the first frame
        :param plaintext: whole frames of plaintext, plus, when ``final``, a shorter remainder
        :param frame_length: the message's frame length
        :param final: whether the remainder (possibly empty) is the final frame
        :raises SerializationError: when the message would need more than 2**32 - 1 frames
        """
        out = bytearray(sealed_length(len(plaintext), frame_length, final))
        with memoryview(out) as target:
            self.seal_frames_into(first_sequence_number, plaintext, frame_length, final, target)
        return out

    def seal_frames_into(
        self, first_sequence_number: int, plaintext: BytesLike, frame_length: int, final: bool, target: memoryview
    ) -> int:
        """Encrypt ``plaintext`` as consecutive frames into the start of ``target``.

        :param target: a writable buffer of at least :func:`sealed_length` bytes
        :returns: the number of bytes written
        :raises SerializationError: when the message would need more than 2**32 - 1 frames
        """
        full_frames, remainder = divmod(len(plaintext), frame_length)
        if not final and remainder:
            raise ValueError("only the final frame may be shorter than the frame length")
        # The last regular frame is at most 0xFFFFFFFE (0xFFFFFFFF marks the final frame), and the
        # final frame at most 0xFFFFFFFF: both bounds are this one check.
        check_sequence_number(first_sequence_number + full_frames)
        stride = frame_length + REGULAR_FRAME_OVERHEAD
        encrypt_into = self._aead.encrypt_into
        pack_prefix = _FRAME_PREFIX.pack_into
        pack_u32 = _U32.pack_into
        _, aad = self._frame_iv_and_aad(first_sequence_number, frame_length, False)
        aad_sequence_at = self._frame_seq_at
        with memoryview(plaintext) as source:
            for index in range(full_frames):
                sequence_number = first_sequence_number + index
                offset = index * stride
                start = index * frame_length
                pack_prefix(target, offset, sequence_number, sequence_number)  # sequence number, then the IV
                pack_u32(aad, aad_sequence_at, sequence_number)
                encrypt_into(
                    target[offset + 4 : offset + 16],
                    source[start : start + frame_length],
                    aad,
                    target[offset + 16 : offset + stride],
                )
            written = full_frames * stride
            if final:
                sequence_number = first_sequence_number + full_frames
                _FINAL_PREFIX.pack_into(
                    target, written, FINAL_FRAME_MARKER, sequence_number, sequence_number, remainder
                )
                iv, aad = self._frame_iv_and_aad(sequence_number, remainder, True)
                end = written + FINAL_FRAME_OVERHEAD + remainder
                encrypt_into(iv, source[full_frames * frame_length :], aad, target[written + 24 : end])
                written = end
        return written


class FrameOpener(_AeadContext):
    """Decrypts and authenticates the frames of one message.

    Plaintext is written only after its tag verified.

    :param key: the derived data encryption key of the message
    :param message_id: the message id from the header
    """

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
        length = len(content_and_tag) - TAG_LENGTH
        expected_iv, aad = self._frame_iv_and_aad(sequence_number, length, final)
        if iv != expected_iv:
            raise _iv_mismatch(sequence_number, iv)
        start = len(out)
        out += bytes(length)
        try:
            with memoryview(out) as view:
                self._aead.decrypt_into(expected_iv, content_and_tag, aad, view[start:])
        except InvalidTag:
            del out[start:]
            raise _frame_failed(sequence_number) from None

    def open_regular_frames(
        self, data: memoryview, next_sequence_number: int, frame_length: int, max_frames: int
    ) -> tuple[bytearray, int]:
        """Authenticate the run of regular frames at the start of ``data`` (at most ``max_frames``).

        Stops at the final-frame marker, at ``max_frames``, or where ``data`` holds no whole frame.

        :returns: the plaintext of the frames and how many bytes of ``data`` they took
        :raises SerializationError: on a frame out of order or an IV that is not deterministic
        :raises BodyAuthenticationError: when a frame fails authentication (nothing is returned)
        """
        count = min(max_frames, len(data) // (frame_length + REGULAR_FRAME_OVERHEAD))
        out = bytearray(count * frame_length)
        with memoryview(out) as target:
            done, used = self.open_regular_frames_into(data, next_sequence_number, frame_length, count, target)
        del out[done * frame_length :]
        return out, used

    def count_regular_frames(self, data: memoryview, next_sequence_number: int, frame_length: int) -> int:
        """Count the whole frames at the start of ``data`` that carry the expected sequence numbers.

        This is where :meth:`open_regular_frames_into` would stop at the latest (it also checks each
        IV and tag); the count says how much of ``data`` is certainly regular frames before any of
        them is opened.
        """
        stride = frame_length + REGULAR_FRAME_OVERHEAD
        whole = len(data) // stride
        with data[: whole * stride] as frames:
            for index, (sequence_number,) in enumerate(_sequence_numbers(stride).iter_unpack(frames)):
                if sequence_number != next_sequence_number + index:
                    return index
        return whole

    def open_regular_frames_into(
        self, data: memoryview, next_sequence_number: int, frame_length: int, max_frames: int, target: memoryview
    ) -> tuple[int, int]:
        """Authenticate the run of regular frames at the start of ``data``, writing their plaintext to ``target``.

        Stops at the final-frame marker, at ``max_frames``, where ``data`` holds no whole frame, or
        where ``target`` has no room for another frame. A frame's plaintext is written only once its
        tag verified.

        :returns: how many frames were opened and how many bytes of ``data`` they took
        :raises SerializationError: on a frame out of order or an IV that is not deterministic
        :raises BodyAuthenticationError: when a frame fails authentication
        """
        stride = frame_length + REGULAR_FRAME_OVERHEAD
        count = min(max_frames, len(data) // stride)
        if frame_length:
            count = min(count, len(target) // frame_length)
        decrypt_into = self._aead.decrypt_into
        pack_prefix = _FRAME_PREFIX.pack_into
        pack_u32 = _U32.pack_into
        _, aad = self._frame_iv_and_aad(next_sequence_number, frame_length, False)
        aad_sequence_at = self._frame_seq_at
        expected = bytearray(16)  # sequence number and deterministic IV of the next frame
        done = 0
        with memoryview(expected) as expected_view:
            iv = expected_view[4:]
            for index in range(count):
                offset = index * stride
                sequence_number = next_sequence_number + index
                pack_prefix(expected, 0, sequence_number, sequence_number)
                if data[offset : offset + 16] != expected:
                    if data[offset : offset + 4] == FINAL_FRAME_MARKER:
                        break
                    _raise_frame_prefix_error(data[offset : offset + 16], sequence_number)
                pack_u32(aad, aad_sequence_at, sequence_number)
                try:
                    decrypt_into(
                        iv,
                        data[offset + 16 : offset + stride],
                        aad,
                        target[index * frame_length : (index + 1) * frame_length],
                    )
                except InvalidTag:
                    raise _frame_failed(sequence_number) from None
                done += 1
            iv.release()
        return done, done * stride


def _raise_frame_prefix_error(prefix: BytesLike, sequence_number: int) -> None:
    """Say why a regular frame's sequence number and IV are not the expected ones."""
    if _U32.unpack_from(prefix)[0] != sequence_number:
        raise SerializationError("Malformed message: frames out of order")
    raise _iv_mismatch(sequence_number, bytes(prefix)[4:16])


def _iv_mismatch(sequence_number: int, iv: BytesLike) -> SerializationError:
    return SerializationError(
        f"Frame {sequence_number} carries IV {bytes(iv).hex()}, not the IV its sequence number implies"
    )


def _frame_failed(sequence_number: int) -> BodyAuthenticationError:
    return BodyAuthenticationError(
        f"Frame {sequence_number} failed authentication: the message was altered or truncated, "
        "or the wrong key was used"
    )


def sealed_length(plaintext_length: int, frame_length: int, final: bool) -> int:
    """Bytes that ``plaintext_length`` bytes of plaintext take as frames (with the final frame when ``final``)."""
    full_frames, remainder = divmod(plaintext_length, frame_length)
    return full_frames * (frame_length + REGULAR_FRAME_OVERHEAD) + (FINAL_FRAME_OVERHEAD + remainder if final else 0)


def parse_u32(data: BytesLike) -> int:
    """Return the big-endian u32 at the start of ``data``."""
    value: int = _U32.unpack_from(data)[0]
    return value
