"""Many threads sharing one caching crypto materials manager and one small local cache.

Encrypt and decrypt through the manager go through the cache's lock, so they wait while another
thread holds it. Under load, entries expire, hit their limits and are evicted while other threads
look them up; none of that may surface as an exception from encrypt or decrypt, and every
plaintext must come back intact.
"""

from __future__ import annotations

import random
import threading

import pytest

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.caches.local import LocalCryptoMaterialsCache
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey
from aws_encryption_sdk.materials_managers.caching import CachingCryptoMaterialsManager
from test.locking import run_while_holding

THREADS = 8
OPERATIONS_PER_THREAD = 250
#: Upper bound on waiting for a stress-test thread; only there to turn a deadlock into a failure.
STRESS_JOIN_TIMEOUT_SECONDS = 60.0
CONTEXTS = [{"tenant": name} for name in ("a", "b", "c", "d")]


def _master_key() -> RawMasterKey:
    return RawMasterKey(
        key_id=b"stress-key",
        provider_id="stress-provider",
        wrapping_key=WrappingKey(
            wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            wrapping_key=bytes(range(32, 64)),
            wrapping_key_type=EncryptionKeyType.SYMMETRIC,
        ),
    )


def _client() -> EncryptionSDKClient:
    return EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)


def _caching_manager(cache: LocalCryptoMaterialsCache) -> CachingCryptoMaterialsManager:
    return CachingCryptoMaterialsManager(master_key_provider=_master_key(), cache=cache, max_age=60.0)


def _encrypt(cmm: CachingCryptoMaterialsManager, plaintext: bytes) -> bytes:
    ciphertext, _header = _client().encrypt(
        source=plaintext,
        materials_manager=cmm,
        encryption_context=CONTEXTS[0],
        algorithm=AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
    )
    return ciphertext


def _decrypt(cmm: CachingCryptoMaterialsManager, ciphertext: bytes) -> bytes:
    plaintext, _header = _client().decrypt(source=ciphertext, materials_manager=cmm)
    return plaintext


def test_encrypt_through_a_shared_caching_manager_waits_for_the_cache_lock() -> None:
    """Encrypt with a caching manager blocks while another thread holds its cache's lock, then succeeds."""
    cache = LocalCryptoMaterialsCache(2)
    cmm = _caching_manager(cache)
    _encrypt(cmm, b"warm-up")  # the materials are cached now; the next encrypt is a cache hit
    ciphertext = run_while_holding(cache._cache_lock, lambda: _encrypt(cmm, b"held"), "encrypt")
    assert _decrypt(cmm, ciphertext) == b"held"


def test_decrypt_through_a_shared_caching_manager_waits_for_the_cache_lock() -> None:
    """Decrypt with a caching manager blocks while another thread holds its cache's lock, then succeeds."""
    cache = LocalCryptoMaterialsCache(2)
    cmm = _caching_manager(cache)
    ciphertext = _encrypt(cmm, b"held")
    _decrypt(cmm, ciphertext)  # the decryption materials are cached now; the next decrypt is a cache hit
    assert run_while_holding(cache._cache_lock, lambda: _decrypt(cmm, ciphertext), "decrypt") == b"held"


def _run_mixed_workload(cmm: CachingCryptoMaterialsManager) -> tuple[list[BaseException], int]:
    client = _client()
    failures: list[BaseException] = []
    completed = [0] * THREADS
    start = threading.Barrier(THREADS)

    def work(index: int) -> None:
        chooser = random.Random(index)
        written: list[tuple[bytes, bytes]] = []
        start.wait()
        try:
            for operation in range(OPERATIONS_PER_THREAD):
                if written and chooser.random() < 0.5:
                    plaintext, ciphertext = chooser.choice(written)
                    decrypted, _header = client.decrypt(source=ciphertext, materials_manager=cmm)
                    if decrypted != plaintext:
                        raise AssertionError(f"thread {index} operation {operation}: wrong plaintext")
                else:
                    plaintext = f"thread {index} message {operation}".encode() * chooser.randrange(1, 4)
                    ciphertext, _header = client.encrypt(
                        source=plaintext,
                        materials_manager=cmm,
                        encryption_context=chooser.choice(CONTEXTS),
                        algorithm=AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
                    )
                    written.append((plaintext, ciphertext))
                    if len(written) > 20:
                        written.pop(0)
                completed[index] += 1
        except BaseException as error:  # collected and reported by the test
            failures.append(error)

    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=STRESS_JOIN_TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    return failures, sum(completed)


@pytest.mark.usefixtures("frequent_thread_switches")
@pytest.mark.parametrize(
    ("max_age", "max_messages_encrypted"),
    [(0.001, 2**32), (0.05, 3)],
    ids=["entries-expire-almost-at-once", "entries-hit-their-message-limit"],
)
def test_shared_caching_manager_survives_concurrent_encrypt_and_decrypt(
    max_age: float, max_messages_encrypted: int
) -> None:
    """A smoke test: threads mixing encrypt and decrypt on one small shared cache all succeed."""
    cmm = CachingCryptoMaterialsManager(
        master_key_provider=_master_key(),
        cache=LocalCryptoMaterialsCache(2),
        max_age=max_age,
        max_messages_encrypted=max_messages_encrypted,
    )
    failures, completed = _run_mixed_workload(cmm)
    assert failures == []
    assert completed == THREADS * OPERATIONS_PER_THREAD
