"""Hashing on a worker thread (internal/_background_hash.py)."""

from __future__ import annotations

import hashlib
import threading

import pytest

from aws_encryption_sdk.internal._background_hash import BackgroundDigest


class _RecordingDigest:
    """A SHA-384 that also records which thread fed it each buffer."""

    def __init__(self) -> None:
        self.hash = hashlib.sha384()
        self.threads: list[str] = []

    def update(self, data: memoryview) -> None:
        self.threads.append(threading.current_thread().name)
        self.hash.update(data)


def test_buffers_are_hashed_in_order_on_the_worker() -> None:
    parts = [bytes([index]) * (100_000 + index) for index in range(20)]
    digest = _RecordingDigest()
    with BackgroundDigest(digest) as background:
        for part in parts:
            with memoryview(part) as view:
                background.add(view)  # the caller may let go of its view at once
    assert digest.hash.digest() == hashlib.sha384(b"".join(parts)).digest()
    assert set(digest.threads) == {"aws-encryption-sdk-hash"}


def test_without_a_thread_the_buffers_are_hashed_on_the_calling_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't create new thread at interpreter shutdown")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    digest = _RecordingDigest()
    with BackgroundDigest(digest) as background:
        background.add(memoryview(b"abc"))
        background.add(memoryview(b"def"))
    assert digest.hash.digest() == hashlib.sha384(b"abcdef").digest()
    assert digest.threads == [threading.current_thread().name] * 2


class _FailingDigest:
    def __init__(self) -> None:
        self.calls = 0

    def update(self, data: memoryview) -> None:
        self.calls += 1
        raise RuntimeError("disk on fire")


def test_a_failure_of_the_worker_reaches_the_caller_and_stops_hashing() -> None:
    digest = _FailingDigest()
    with pytest.raises(RuntimeError, match="disk on fire"), BackgroundDigest(digest) as background:
        background.add(memoryview(b"first"))
        background.add(memoryview(b"second"))
    assert digest.calls == 1


def test_the_caller_s_own_error_wins_and_the_worker_is_joined() -> None:
    digest = _RecordingDigest()
    with pytest.raises(KeyError), BackgroundDigest(digest) as background:
        background.add(memoryview(b"abc"))
        raise KeyError("caller")
    assert digest.hash.digest() == hashlib.sha384(b"abc").digest()
    assert not [thread for thread in threading.enumerate() if thread.name == "aws-encryption-sdk-hash"]


def test_the_caller_s_own_error_wins_when_the_worker_failed_too() -> None:
    digest = _FailingDigest()
    with pytest.raises(KeyError, match="caller"), BackgroundDigest(digest) as background:
        background.add(memoryview(b"abc"))
        raise KeyError("caller")
    assert digest.calls == 1  # the worker did fail before the block's error left it
