"""The private frame sealer and opener (internal/_frames.py)."""

from __future__ import annotations

import pytest

from aws_encryption_sdk.exceptions import BodyAuthenticationError, SerializationError
from aws_encryption_sdk.internal._frames import FrameOpener, FrameSealer

KEY = bytes(range(32))
MESSAGE_ID = bytes(32)


def test_sealed_frames_open_back_in_runs() -> None:
    sealed = FrameSealer(KEY, MESSAGE_ID).seal_frames(1, b"abcdefgh" * 3, 8, False)
    plaintext, used = FrameOpener(KEY, MESSAGE_ID).open_regular_frames(memoryview(sealed), 1, 8, 10)
    assert (bytes(plaintext), used) == (b"abcdefgh" * 3, len(sealed))


def test_last_regular_frame_may_not_reach_the_final_frame_marker() -> None:
    sealer = FrameSealer(KEY, MESSAGE_ID)
    assert len(sealer.seal_frames(0xFFFFFFFE, b"12345678", 8, False)) == 8 + 32
    with pytest.raises(SerializationError, match="Max frame count exceeded"):
        sealer.seal_frames(0xFFFFFFFF, b"12345678", 8, False)
    assert sealer.seal_frames(0xFFFFFFFF, b"", 8, True).startswith(b"\xff" * 8)
    with pytest.raises(SerializationError, match="Max frame count exceeded"):
        sealer.seal_frames(0xFFFFFFFF, b"12345678", 8, True)


def test_opening_stops_at_the_final_frame_and_rejects_tampering() -> None:
    sealed = FrameSealer(KEY, MESSAGE_ID).seal_frames(1, b"abcdefgh" + b"xy", 8, True)
    opener = FrameOpener(KEY, MESSAGE_ID)
    plaintext, used = opener.open_regular_frames(memoryview(sealed), 1, 8, 10)
    assert (bytes(plaintext), used) == (b"abcdefgh", 40)
    tampered = bytearray(sealed)
    tampered[20] ^= 1
    with pytest.raises(BodyAuthenticationError, match="Frame 1 failed authentication"):
        opener.open_regular_frames(memoryview(tampered), 1, 8, 10)
    with pytest.raises(SerializationError, match="frames out of order"):
        opener.open_regular_frames(memoryview(sealed), 2, 8, 10)
    wrong_iv = bytearray(sealed)
    wrong_iv[10] ^= 1
    with pytest.raises(SerializationError, match="not the IV its sequence number implies"):
        opener.open_regular_frames(memoryview(wrong_iv), 1, 8, 10)


def test_counting_regular_frames_stops_where_opening_would() -> None:
    sealed = FrameSealer(KEY, MESSAGE_ID).seal_frames(1, b"abcdefgh" * 3 + b"xy", 8, True)
    opener = FrameOpener(KEY, MESSAGE_ID)
    assert opener.count_regular_frames(memoryview(sealed), 1, 8) == 3
    assert opener.count_regular_frames(memoryview(sealed)[:100], 1, 8) == 2  # only whole frames count
    assert opener.count_regular_frames(memoryview(sealed), 2, 8) == 0  # out of order from the first frame
    reordered = bytearray(sealed)
    reordered[40:44] = (7).to_bytes(4, "big")
    assert opener.count_regular_frames(memoryview(reordered), 1, 8) == 1
    assert opener.count_regular_frames(memoryview(b""), 1, 8) == 0
