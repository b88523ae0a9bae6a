"""Hostile inputs for the one-shot paths that hash a large signed message on a worker thread.

One-shot ``encrypt``/``decrypt`` of an in-memory signed message larger than
``MIN_BACKGROUND_BYTES`` hand the run of regular frames (decrypt) or each sealed chunk (encrypt)
to a thread named ``aws-encryption-sdk-hash`` while the calling thread does the AES-GCM work.
These tests check that this path refuses everything a sequential reader refuses, accepts exactly
what it accepts, signs and verifies the same bytes in the same order, and never leaves a hash
thread behind. Every valid case also checks that the background path really was taken, so a
test cannot pass by falling back to inline hashing.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Optional

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from aws_encryption_sdk import EncryptionSDKClient, streaming_client
from aws_encryption_sdk.exceptions import (
    BodyAuthenticationError,
    SerializationError,
    SignatureVerificationError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from aws_encryption_sdk.internal._background_hash import MIN_BACKGROUND_BYTES, BackgroundDigest
from aws_encryption_sdk.internal._frames import sealed_length
from aws_encryption_sdk.internal.crypto import _message_digest
from test.functional.raw_keys import aes_master_key

from ._forge import FINAL_LABEL, FINAL_MARKER, FRAME_LABEL, Forge, deterministic_iv, u16, u32, u64
from ._support import Hang, describe, is_sdk_error, read_in_chunks, time_limit

HASH_THREAD = "aws-encryption-sdk-hash"
KEY = aes_master_key()
#: Decrypts every suite; encrypts the committing ones.
CLIENT = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
#: Encrypts the non-committing suites.
LEGACY_CLIENT = EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
SIGNED_SUITES = [
    AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,  # 0x0578
    AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,  # 0x0378
    AlgorithmSuite.AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,  # 0x0346
    AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256,  # 0x0214
]
FRAME_LENGTHS = [4096, 1000, 65536, 1 << 20]
#: Above the threshold, and neither a whole number of frames nor of hashing chunks.
PLAINTEXT = os.urandom(MIN_BACKGROUND_BYTES + MIN_BACKGROUND_BYTES // 2 + 77)


# --- helpers ---------------------------------------------------------------------------------


def _encrypting_client(suite: AlgorithmSuite) -> EncryptionSDKClient:
    return CLIENT if suite.is_committing() else LEGACY_CLIENT


def _hash_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == HASH_THREAD]


@pytest.fixture(autouse=True)
def _no_hash_thread_outlives_a_call() -> Iterator[None]:
    """Every one-shot call joins its hash thread before it returns or raises."""
    assert _hash_threads() == [], "a hash thread was running before the test"
    yield
    assert _hash_threads() == [], "a hash thread outlived the call that started it"


@dataclass
class BackgroundUse:
    """How often the background hasher was started and fed during a test."""

    started: int = 0
    buffers: int = 0
    hashed_bytes: int = 0


@pytest.fixture
def background(monkeypatch: pytest.MonkeyPatch) -> BackgroundUse:
    """Count the uses of :class:`BackgroundDigest` by the streaming client."""
    use = BackgroundUse()

    class Counting(BackgroundDigest):
        def __enter__(self) -> BackgroundDigest:
            use.started += 1
            return super().__enter__()

        def add(self, data: memoryview) -> None:
            use.buffers += 1
            use.hashed_bytes += len(data)
            super().add(data)

    monkeypatch.setattr(streaming_client, "BackgroundDigest", Counting)
    return use


def _one_shot(data: Any) -> bytes:
    plaintext, _ = CLIENT.decrypt(source=data, key_provider=KEY)
    return plaintext


def _streamed(data: bytes, chunk: int = 1 << 16) -> bytes:
    """Decrypt through the streaming API, ``chunk`` bytes at a time (hashes on the calling thread)."""
    with CLIENT.stream(mode="d", source=io.BytesIO(data), key_provider=KEY) as decryptor:
        released, error = read_in_chunks(decryptor.read, chunk)
        if error is not None:
            raise error
    return released


def _streamed_encrypt(plaintext: bytes, suite: AlgorithmSuite, frame_length: int) -> bytes:
    client = _encrypting_client(suite)
    with client.stream(
        mode="e", source=io.BytesIO(plaintext), key_provider=KEY, algorithm=suite, frame_length=frame_length
    ) as encryptor:
        released, error = read_in_chunks(encryptor.read, 1 << 16)
        assert error is None
    return released


def _outcome(decrypt: Callable[[bytes], bytes], data: bytes) -> Optional[str]:
    """None when an SDK exception refused ``data``, else a description of what happened."""
    try:
        plaintext = decrypt(data)
    except Exception as error:  # classifying every outcome is the point
        return None if is_sdk_error(error) else describe(error)
    return f"accepted, returned {len(plaintext)} bytes"


def _refusals(messages: dict[str, bytes]) -> list[str]:
    """Every message both paths failed to refuse with an SDK exception (empty when all were refused)."""
    failures = []
    for name, message in messages.items():
        for path, decrypt in (("one-shot", _one_shot), ("streamed", _streamed)):
            outcome = _outcome(decrypt, message)
            if outcome is not None:
                failures.append(f"{name} ({path}): {outcome}")
    return failures


@dataclass(frozen=True)
class Layout:
    """Offsets of the parts of a framed signed message written by the SDK."""

    message: bytes
    frame_length: int
    regular_frames: int
    body_start: int
    final_start: int
    footer_start: int

    @property
    def stride(self) -> int:
        return self.frame_length + 32

    def frame(self, index: int) -> int:
        """Offset of regular frame ``index`` (0-based)."""
        return self.body_start + index * self.stride


def _layout(message: bytes, plaintext_length: int, frame_length: int, suite: AlgorithmSuite) -> Layout:
    footer_start = len(message) - 2 - suite.signature_len
    assert struct.unpack_from(">H", message, footer_start)[0] == suite.signature_len
    body_start = footer_start - sealed_length(plaintext_length, frame_length, True)
    regular_frames = plaintext_length // frame_length
    final_start = body_start + regular_frames * (frame_length + 32)
    assert message[body_start : body_start + 4] == u32(1)
    assert message[final_start : final_start + 8] == FINAL_MARKER + u32(regular_frames + 1)
    return Layout(message, frame_length, regular_frames, body_start, final_start, footer_start)


@pytest.fixture(scope="module")
def layouts() -> dict[int, Layout]:
    """One one-shot (threaded) 0x0578 message of ``PLAINTEXT`` per frame length."""
    suite = SIGNED_SUITES[0]
    found = {}
    for frame_length in FRAME_LENGTHS:
        message, _ = CLIENT.encrypt(source=PLAINTEXT, key_provider=KEY, algorithm=suite, frame_length=frame_length)
        found[frame_length] = _layout(message, len(PLAINTEXT), frame_length, suite)
    return found


class Writer:
    """Writes authenticated, properly signed messages of any structure (suite 0x0578 or 0x0378).

    Uses the independent writer in ``_forge.py`` for the header, keys and signature, with one
    AES-GCM context for all frames (large bodies).
    """

    def __init__(self, frame_length: int, suite_id: int = 0x0578) -> None:
        self.forge = Forge(suite_id)
        self.frame_length = frame_length
        self.header = self.forge.header(self.forge.header_body(frame_length))
        self._aead = AESGCM(self.forge.message_key())

    def regular(self, sequence_number: int, plaintext: bytes, iv: Optional[bytes] = None) -> bytes:
        iv = deterministic_iv(sequence_number) if iv is None else iv
        aad = self.forge.message_id + FRAME_LABEL + u32(sequence_number) + u64(len(plaintext))
        return u32(sequence_number) + iv + self._aead.encrypt(iv, plaintext, aad)

    def final(self, sequence_number: int, plaintext: bytes, iv: Optional[bytes] = None) -> bytes:
        iv = deterministic_iv(sequence_number) if iv is None else iv
        aad = self.forge.message_id + FINAL_LABEL + u32(sequence_number) + u64(len(plaintext))
        return FINAL_MARKER + u32(sequence_number) + iv + u32(len(plaintext)) + self._aead.encrypt(iv, plaintext, aad)

    def signature(self, signed: bytes) -> bytes:
        """The footer of a signature over ``signed``."""
        return self.forge.footer(signed)

    def signed(self, body: bytes) -> bytes:
        """Header, ``body`` and a correct footer."""
        return self.header + body + self.signature(self.header + body)


#: 300 frames of 4096 bytes: the run passes the threshold after frame 254.
WRITER_FRAMES = 300


@pytest.fixture(scope="module", params=[0x0578, 0x0378], ids=hex)
def writer(request: pytest.FixtureRequest) -> Writer:
    return Writer(4096, request.param)


@pytest.fixture(scope="module")
def frame_plaintexts() -> list[bytes]:
    return [os.urandom(4096) for _ in range(WRITER_FRAMES)]


# --- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("frame_length", FRAME_LENGTHS)
@pytest.mark.parametrize("suite", SIGNED_SUITES, ids=lambda suite: f"{suite.algorithm_id:#06x}")
def test_threaded_and_streamed_paths_read_each_other(
    suite: AlgorithmSuite, frame_length: int, background: BackgroundUse
) -> None:
    client = _encrypting_client(suite)
    threaded, _ = client.encrypt(source=PLAINTEXT, key_provider=KEY, algorithm=suite, frame_length=frame_length)
    assert (background.started, background.hashed_bytes) == (1, sealed_length(len(PLAINTEXT), frame_length, True))

    assert _streamed(threaded, chunk=12_345) == PLAINTEXT
    assert background.started == 1  # the chunked stream hashed inline

    streamed = _streamed_encrypt(PLAINTEXT, suite, frame_length)
    assert background.started == 1
    assert _one_shot(streamed) == PLAINTEXT
    assert _one_shot(threaded) == PLAINTEXT
    assert background.started == 3
    # Both writers produce the same layout; only the message ID, keys and signature differ.
    assert len(streamed) == len(threaded)


def test_the_decrypt_threshold_is_the_length_of_the_regular_run(background: BackgroundUse) -> None:
    # One regular frame whose 32 bytes of overhead put the run just below, at, and above 1 MiB.
    for frame_length, threaded in (
        (MIN_BACKGROUND_BYTES - 33, False),
        (MIN_BACKGROUND_BYTES - 32, True),
        (MIN_BACKGROUND_BYTES - 31, True),
    ):
        writer = Writer(frame_length)
        content = os.urandom(frame_length)
        body = writer.regular(1, content) + writer.final(2, b"end")
        message = writer.signed(body)
        before = background.started

        assert _one_shot(message) == content + b"end"
        assert background.started - before == int(threaded), frame_length
        assert _streamed(message) == content + b"end"

        tampered = bytearray(message)
        tampered[len(writer.header) + 100] ^= 0x04
        with pytest.raises(BodyAuthenticationError):
            _one_shot(bytes(tampered))
        with pytest.raises(SignatureVerificationError):
            _one_shot(writer.header + body + writer.signature(writer.header + body + b"!"))


def test_the_encrypt_threshold_is_the_length_of_the_body(background: BackgroundUse) -> None:
    suite = SIGNED_SUITES[0]
    frame_length = 4096
    # The largest plaintext whose body is below 1 MiB, and the one after it.
    below = max(n for n in range(250 * 4096, 260 * 4096) if sealed_length(n, frame_length, True) < MIN_BACKGROUND_BYTES)
    for length, threaded in ((below, False), (below + 1, True)):
        plaintext = os.urandom(length)
        before = background.started
        message, _ = CLIENT.encrypt(source=plaintext, key_provider=KEY, algorithm=suite, frame_length=frame_length)
        assert background.started - before == int(threaded), length
        assert _streamed(message, chunk=4096) == plaintext


@pytest.mark.parametrize(
    ("frame_length", "length"),
    [(4096, (16 << 20) + 1), (4096, 16 << 20), (1000, 8_388_001), (9 << 20, 19 << 20)],
    ids=["4096-three-chunks", "4096-two-whole-chunks", "1000-chunk-plus-one", "9MiB-frames"],
)
def test_a_body_sealed_in_several_hashed_chunks_streams_back(
    frame_length: int, length: int, background: BackgroundUse
) -> None:
    plaintext = os.urandom(length)
    message, _ = CLIENT.encrypt(source=plaintext, key_provider=KEY, frame_length=frame_length)

    assert background.started == 1
    assert background.buffers >= 2  # more than one chunk went to the worker
    assert background.hashed_bytes == sealed_length(length, frame_length, True)
    assert _streamed(message, chunk=1 << 20) == plaintext


# --- mutations of SDK-written messages -------------------------------------------------------------


def _flip_offsets(layout: Layout) -> dict[str, int]:
    middle = layout.frame(layout.regular_frames // 2)
    last = layout.frame(layout.regular_frames - 1)
    final = layout.final_start
    footer = layout.footer_start
    return {
        "header version": 0,
        "header frame length": layout.body_start - 1 - 16 - 32 - 1,
        "header auth tag": layout.body_start - 1,
        "first frame seq": layout.body_start + 3,
        "first frame iv": layout.body_start + 15,
        "first frame content": layout.body_start + 16,
        "first frame tag": layout.frame(1) - 1,
        "second frame seq": layout.frame(1) + 3,
        "middle frame seq": middle,
        "middle frame iv": middle + 8,
        "middle frame content": middle + 20 + layout.frame_length // 2,
        "middle frame tag": middle + layout.stride - 16,
        "last regular seq": last + 3,
        "last regular iv": last + 4,
        "last regular content": last + layout.stride - 17,
        "last regular tag": final - 1,
        "final marker": final,
        "final marker last byte": final + 3,
        "final seq": final + 7,
        "final iv": final + 19,
        "final length high": final + 20,
        "final length low": final + 23,
        "final content": final + 24,
        "final tag": footer - 1,
        "footer length high": footer,
        "footer length low": footer + 1,
        "signature der tag": footer + 2,
        "signature middle": footer + 40,
        "signature last": len(layout.message) - 1,
    }


@pytest.mark.parametrize("frame_length", FRAME_LENGTHS)
def test_every_flipped_byte_is_refused_by_both_paths(layouts: dict[int, Layout], frame_length: int) -> None:
    layout = layouts[frame_length]
    assert layout.regular_frames * layout.stride >= MIN_BACKGROUND_BYTES  # the threaded decrypt path
    messages = {}
    for name, offset in _flip_offsets(layout).items():
        for bit in (0x01, 0x80):
            changed = bytearray(layout.message)
            changed[offset] ^= bit
            messages[f"{name} @{offset} ^{bit:#x}"] = bytes(changed)

    assert _refusals(messages) == []


@pytest.mark.parametrize("frame_length", FRAME_LENGTHS)
def test_every_truncation_is_refused_by_both_paths(layouts: dict[int, Layout], frame_length: int) -> None:
    layout = layouts[frame_length]
    middle = layout.frame(layout.regular_frames // 2)
    final = layout.final_start
    footer = layout.footer_start
    cuts = {
        "at body start": layout.body_start,
        "inside first frame": layout.body_start + 17,
        "at second frame": layout.frame(1),
        "at second frame + 1": layout.frame(1) + 1,
        "at middle frame": middle,
        "inside middle frame": middle + 7,
        "one byte short of final frame": final - 1,
        "at final frame": final,
        "inside final marker": final + 2,
        "after final seq": final + 8,
        "inside final length": final + 22,
        "after final length": final + 24,
        "one byte short of footer": footer - 1,
        "at footer": footer,
        "inside footer length": footer + 1,
        "after footer length": footer + 2,
        "inside signature": footer + 30,
        "one byte short of end": len(layout.message) - 1,
    }
    assert _refusals({name: layout.message[:cut] for name, cut in cuts.items()}) == []


def test_bytes_after_the_message_are_refused_in_one_shot_and_left_unread_by_a_stream(
    layouts: dict[int, Layout], background: BackgroundUse
) -> None:
    message = layouts[4096].message
    for extra in (b"\x00", FINAL_MARKER, message[:100], message):
        with pytest.raises(SerializationError):
            _one_shot(message + extra)
        source = io.BytesIO(message + extra)
        with CLIENT.stream(mode="d", source=source, key_provider=KEY) as decryptor:
            assert decryptor.read() == PLAINTEXT
        assert source.read() == extra
    assert background.started == 8


# --- authenticated, signed messages with a hostile structure ---------------------------------------


def _frames(writer: Writer, plaintexts: list[bytes], numbers: list[int]) -> bytes:
    return b"".join(writer.regular(number, plaintexts[number - 1]) for number in numbers)


def test_forged_conforming_large_messages_decrypt_on_both_paths(
    writer: Writer, frame_plaintexts: list[bytes], background: BackgroundUse
) -> None:
    numbers = list(range(1, WRITER_FRAMES + 1))
    body = _frames(writer, frame_plaintexts, numbers) + writer.final(WRITER_FRAMES + 1, b"tail")
    message = writer.signed(body)
    expected = b"".join(frame_plaintexts) + b"tail"

    assert _one_shot(message) == expected
    assert background.started == 1
    assert _streamed(message, chunk=777) == expected
    # The last regular frame written as a full-length final frame is a valid message too.
    full_final = writer.signed(
        _frames(writer, frame_plaintexts, numbers[:-1]) + writer.final(300, frame_plaintexts[-1])
    )
    assert _one_shot(full_final) == _streamed(full_final) == b"".join(frame_plaintexts)
    # A body that is only a final frame (no regular run at all).
    only_final = Writer(2 << 20, writer.forge.suite_id)
    content = os.urandom(MIN_BACKGROUND_BYTES + 5)
    single = only_final.signed(only_final.final(1, content))
    assert _one_shot(single) == _streamed(single) == content


def test_signatures_over_anything_but_the_sequential_bytes_are_refused(
    writer: Writer, frame_plaintexts: list[bytes], background: BackgroundUse
) -> None:
    frames = [writer.regular(number, frame_plaintexts[number - 1]) for number in range(1, WRITER_FRAMES + 1)]
    run = b"".join(frames)
    final = writer.final(WRITER_FRAMES + 1, b"tail")
    message = writer.header + run + final
    wrong = {
        "run hashed twice": writer.header + run + run + final,
        "first frame left out": writer.header + run[len(frames[0]) :] + final,
        "last regular frame left out": writer.header + run[: -len(frames[-1])] + final,
        "final frame left out": writer.header + run,
        "header left out": run + final,
        "body hashed before header": run + final + writer.header,
        "two frames swapped": writer.header + frames[1] + frames[0] + b"".join(frames[2:]) + final,
        "run and final swapped": writer.header + final + run,
        "message plus a byte": message + b"\x00",
        "message plus its footer length": message + u16(103),
    }
    accepted = []
    for name, signed in wrong.items():
        forged = message + writer.signature(signed)
        for path, decrypt in (("one-shot", _one_shot), ("streamed", _streamed)):
            try:
                decrypt(forged)
            except SignatureVerificationError:
                continue
            accepted.append(f"{name} ({path})")
    assert accepted == []
    assert background.started == len(wrong)
    assert _one_shot(message + writer.signature(message)) == b"".join(frame_plaintexts) + b"tail"


def _structural_attacks(writer: Writer, plaintexts: list[bytes]) -> dict[str, bytes]:
    numbers = list(range(1, WRITER_FRAMES + 1))
    final = writer.final(WRITER_FRAMES + 1, b"tail")
    bodies: dict[str, bytes] = {}
    for at in (255, 256, 280, 299):  # after the run passed the threshold
        before, after = numbers[:at], numbers[at:]
        bodies[f"frame {at} repeated"] = _frames(writer, plaintexts, [*before, at, *after]) + final
        bodies[f"frame {at + 1} dropped"] = _frames(writer, plaintexts, before + after[1:]) + final
        bodies[f"frames {at} and {at + 1} swapped"] = (
            _frames(writer, plaintexts, [*before[:-1], at + 1, at, *after[1:]]) + final
        )
        bodies[f"frame {at + 1} numbered 0xFFFFFFFF"] = (
            _frames(writer, plaintexts, before)
            + writer.regular(0xFFFFFFFF, plaintexts[at])
            + _frames(writer, plaintexts, after[1:])
            + final
        )
        bodies[f"final frame {at + 1} followed by frames"] = (
            _frames(writer, plaintexts, before)
            + writer.final(at + 1, plaintexts[at])
            + _frames(writer, plaintexts, after)
        )
        bodies[f"frame {at + 1} with another iv"] = (
            _frames(writer, plaintexts, before)
            + writer.regular(at + 1, plaintexts[at], iv=b"\x01" * 12)
            + _frames(writer, plaintexts, after[1:])
            + final
        )
        bodies[f"frame {at + 1} cut short"] = (
            _frames(writer, plaintexts, before) + writer.regular(at + 1, plaintexts[at])[:100]
        )
    run = _frames(writer, plaintexts, numbers)
    bodies["regular frame 0xFFFFFFFF after the run"] = run + writer.regular(0xFFFFFFFF, plaintexts[0]) + final
    bodies["final frame longer than the frame length"] = run + writer.final(WRITER_FRAMES + 1, bytes(4097))
    bodies["final frame repeats the last number"] = run + writer.final(WRITER_FRAMES, b"tail")
    bodies["final frame skips a number"] = run + writer.final(WRITER_FRAMES + 2, b"tail")
    bodies["final frame with another iv"] = run + writer.final(WRITER_FRAMES + 1, b"tail", iv=bytes(12))
    bodies["a frame after the final frame"] = run + final + writer.regular(WRITER_FRAMES + 2, plaintexts[0])
    bodies["no final frame"] = run
    bodies["first frame numbered 0"] = writer.regular(0, plaintexts[0]) + run[4128:] + final
    attacks = {name: writer.signed(body) for name, body in bodies.items()}
    unsigned = writer.header + run + final
    signature = writer.signature(unsigned)
    attacks["no footer"] = unsigned
    attacks["empty footer"] = unsigned + u16(0)
    attacks["footer length one too long"] = unsigned + u16(len(signature) - 1) + signature[2:]
    attacks["footer length one too short"] = unsigned + u16(len(signature) - 3) + signature[2:]
    attacks["footer length covers an extra byte"] = unsigned + u16(len(signature) - 1) + signature[2:] + b"\x00"
    attacks["footer length only"] = unsigned + signature[:2]
    return attacks


def test_authenticated_messages_with_a_hostile_structure_are_refused_by_both_paths(
    writer: Writer, frame_plaintexts: list[bytes]
) -> None:
    assert _refusals(_structural_attacks(writer, frame_plaintexts)) == []


# --- sources, partial reads, concatenations --------------------------------------------------------


def test_bytes_like_and_offset_sources(layouts: dict[int, Layout], background: BackgroundUse) -> None:
    message = layouts[4096].message
    padded = b"\xaa" * 41 + message + b"\xbb" * 3
    assert _one_shot(bytearray(message)) == PLAINTEXT
    assert _one_shot(memoryview(message)) == PLAINTEXT
    assert _one_shot(memoryview(padded)[41:-3]) == PLAINTEXT
    source = io.BytesIO(padded[:-3])
    source.seek(41)
    assert _one_shot(source) == PLAINTEXT
    assert source.tell() == len(padded) - 3
    assert background.started == 4

    for plaintext_source in (bytearray(PLAINTEXT), memoryview(b"-" + PLAINTEXT)[1:]):
        written, _ = CLIENT.encrypt(source=plaintext_source, key_provider=KEY, frame_length=4096)
        assert _streamed(written) == PLAINTEXT
    offset = io.BytesIO(b"skip me" + PLAINTEXT)
    offset.seek(7)
    written, _ = CLIENT.encrypt(source=offset, key_provider=KEY, frame_length=4096)
    assert _streamed(written) == PLAINTEXT
    assert offset.tell() == 7 + len(PLAINTEXT)
    assert background.started == 7


@pytest.mark.parametrize("first", [1, 4096, 4097, 1 << 20, len(PLAINTEXT) - 1])
def test_a_partial_read_then_read_all_gives_the_same_bytes(
    layouts: dict[int, Layout], first: int, background: BackgroundUse
) -> None:
    with CLIENT.stream(mode="d", source=io.BytesIO(layouts[4096].message), key_provider=KEY) as decryptor:
        head = decryptor.read(first)
        tail = decryptor.read()
    assert head + tail == PLAINTEXT

    with CLIENT.stream(mode="e", source=io.BytesIO(PLAINTEXT), key_provider=KEY, frame_length=4096) as encryptor:
        written = encryptor.read(first + 500) + encryptor.read()
    assert _streamed(written) == PLAINTEXT
    assert _one_shot(written) == PLAINTEXT
    # Large remainders go through the threaded paths; a 1-byte remainder is hashed inline.
    assert background.started >= 1


def test_concatenated_messages_stream_one_at_a_time(layouts: dict[int, Layout], background: BackgroundUse) -> None:
    first = layouts[4096].message
    second = layouts[65536].message
    source = io.BytesIO(first + second)
    with CLIENT.stream(mode="d", source=source, key_provider=KEY) as decryptor:
        assert decryptor.read() == PLAINTEXT  # read-all: the threaded path, with more bytes behind
    assert source.tell() == len(first)
    with CLIENT.stream(mode="d", source=source, key_provider=KEY) as decryptor:
        released, error = read_in_chunks(decryptor.read, 100_000)
    assert (released, error) == (PLAINTEXT, None)
    assert source.tell() == len(first) + len(second)
    assert background.started == 1

    # A tampered second message does not affect the first, and is refused on its own.
    tampered = bytearray(first + second)
    tampered[len(first) + layouts[65536].body_start + 50] ^= 0x10
    source = io.BytesIO(bytes(tampered))
    with CLIENT.stream(mode="d", source=source, key_provider=KEY) as decryptor:
        assert decryptor.read() == PLAINTEXT
    with pytest.raises(BodyAuthenticationError):
        CLIENT.stream(mode="d", source=source, key_provider=KEY).read()
    with pytest.raises(SerializationError):
        _one_shot(first + second)


# --- threads ---------------------------------------------------------------------------------------


def test_eight_threads_share_one_client_and_key(layouts: dict[int, Layout]) -> None:
    shared = layouts[1000].message
    errors: list[str] = []
    done: list[int] = []
    barrier = threading.Barrier(8)

    def work(seed: int) -> None:
        try:
            barrier.wait(timeout=10)
            plaintext = os.urandom(MIN_BACKGROUND_BYTES + 1000 * seed + 1)
            suite = SIGNED_SUITES[seed % len(SIGNED_SUITES)]
            frame_length = FRAME_LENGTHS[(seed // 2) % len(FRAME_LENGTHS)]
            for _ in range(2):
                message, _ = _encrypting_client(suite).encrypt(
                    source=plaintext, key_provider=KEY, algorithm=suite, frame_length=frame_length
                )
                if _one_shot(message) != plaintext or _streamed(message) != plaintext:
                    errors.append(f"thread {seed}: round trip changed the plaintext")
                if _one_shot(shared) != PLAINTEXT:
                    errors.append(f"thread {seed}: shared message changed")
                tampered = bytearray(message)
                tampered[len(message) // 2] ^= 1
                outcome = _outcome(_one_shot, bytes(tampered))
                if outcome is not None:
                    errors.append(f"thread {seed}: tampered message {outcome}")
            done.append(seed)
        except Exception as error:  # reported below with the thread's number
            errors.append(f"thread {seed}: {describe(error)}")

    workers = [threading.Thread(target=work, args=(seed,), name=f"worker-{seed}") for seed in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers)
    assert errors == []
    assert sorted(done) == list(range(8))
    assert _hash_threads() == []


def test_no_hash_thread_is_left_after_refusals(layouts: dict[int, Layout], background: BackgroundUse) -> None:
    layout = layouts[4096]
    for offset in (layout.frame(5) + 20, layout.frame(layout.regular_frames - 1) + 20, layout.final_start + 30):
        changed = bytearray(layout.message)
        changed[offset] ^= 0x02
        with pytest.raises(BodyAuthenticationError):
            _one_shot(bytes(changed))
        assert _hash_threads() == []  # joined before the exception left decrypt
    changed = bytearray(layout.message)
    changed[-5] ^= 0x02
    with pytest.raises(SignatureVerificationError):
        _one_shot(bytes(changed))
    assert _hash_threads() == []
    assert background.started == 4


# --- interrupts and thread failures ------------------------------------------------------------


def test_an_interrupt_while_waiting_for_the_hash_thread_propagates_unchanged(
    layouts: dict[int, Layout], monkeypatch: pytest.MonkeyPatch
) -> None:
    # hashlib holds the buffer it hashes (and lets go of the GIL) for as long as a large update
    # takes; a slow update on the worker reproduces that long hash without a huge message.
    original = _message_digest.MessageDigest.update
    hashing = threading.Event()

    def slow_update(self: _message_digest.MessageDigest, data: Any) -> None:
        if threading.current_thread().name != HASH_THREAD:
            original(self, data)
            return
        held = pickle.PickleBuffer(data)  # holds an export of ``data``, as hashlib does while it hashes
        hashing.set()
        time.sleep(1.5)
        original(self, data)
        held.release()

    monkeypatch.setattr(_message_digest.MessageDigest, "update", slow_update)
    try:
        with pytest.raises(Hang), time_limit(0.5):
            _one_shot(layouts[4096].message)
        assert hashing.is_set()
    finally:
        # An interrupted join marks the worker stopped while it still runs (CPython bpo-45274's
        # handling), so wait for it to leave threading.enumerate() instead of joining it.
        deadline = time.monotonic() + 5
        while _hash_threads() and time.monotonic() < deadline:
            time.sleep(0.01)


def test_a_hash_thread_that_cannot_start_does_not_break_one_shot_calls(
    layouts: dict[int, Layout], monkeypatch: pytest.MonkeyPatch
) -> None:
    original_start = threading.Thread.start

    def refuse_hash_threads(self: threading.Thread) -> None:
        if self.name == HASH_THREAD:
            raise RuntimeError("can't create new thread at interpreter shutdown")
        original_start(self)

    monkeypatch.setattr(threading.Thread, "start", refuse_hash_threads)
    assert _one_shot(layouts[4096].message) == PLAINTEXT  # hashed on the calling thread instead
    message, _ = CLIENT.encrypt(source=PLAINTEXT, key_provider=KEY, frame_length=4096)
    assert _streamed(message) == PLAINTEXT
