"""Deterministic AES-GCM IVs of the message format.

Every IV in a message is derived from its position: the header authentication tag uses an all-zero
IV, and frame ``n`` (or the single block of a non-framed body, number 1) uses zero bytes followed by
``n`` as a big-endian 32-bit integer. Because sequence numbers never repeat within a message, and
each message has its own derived key (for KDF suites), no (key, IV) pair is ever reused.
"""

from __future__ import annotations

import struct

from aws_encryption_sdk.exceptions import ActionNotAllowedError
from aws_encryption_sdk.identifiers import AlgorithmSuite
from aws_encryption_sdk.internal.defaults import MAX_FRAME_COUNT

__all__ = ["frame_iv", "header_auth_iv", "non_framed_body_iv"]

_SEQUENCE_NUMBER_LENGTH = 4


def frame_iv(algorithm: AlgorithmSuite, sequence_number: int) -> bytes:
    """Return the IV of the frame with this sequence number.

    :param algorithm: the suite of the message (gives the IV length)
    :param sequence_number: the frame's sequence number, from 1 to 2**32 - 1
    :returns: ``iv_len - 4`` zero bytes followed by the big-endian 32-bit sequence number
    :raises ActionNotAllowedError: when the sequence number is out of range
    """
    if not 1 <= sequence_number <= MAX_FRAME_COUNT:
        raise ActionNotAllowedError(
            f"Invalid frame sequence number: {sequence_number}; it must be between 1 and {MAX_FRAME_COUNT}"
        )
    prefix = b"\x00" * (algorithm.iv_len - _SEQUENCE_NUMBER_LENGTH)
    return prefix + struct.pack(">I", sequence_number)


def non_framed_body_iv(algorithm: AlgorithmSuite) -> bytes:
    """Return the IV of a non-framed message body (the IV of sequence number 1).

    :param algorithm: the suite of the message
    :returns: the IV
    """
    return frame_iv(algorithm, 1)


def header_auth_iv(algorithm: AlgorithmSuite) -> bytes:
    """Return the IV of the header authentication tag: all zero bytes.

    :param algorithm: the suite of the message
    :returns: ``iv_len`` zero bytes
    """
    return b"\x00" * algorithm.iv_len
