"""Many threads sharing one caching crypto materials manager and one small local cache.

Entries expire, hit their limits and are evicted while other threads look them up; none of that
may surface as an exception from encrypt or decrypt, and every plaintext must come back intact.
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

THREADS = 8
OPERATIONS_PER_THREAD = 500
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


def _run_mixed_workload(cmm: CachingCryptoMaterialsManager) -> tuple[list[BaseException], int]:
    client = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
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

    threads = [threading.Thread(target=work, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures, sum(completed)


@pytest.mark.parametrize(
    ("max_age", "max_messages_encrypted"),
    [(0.001, 2**32), (0.05, 3)],
    ids=["entries-expire-almost-at-once", "entries-hit-their-message-limit"],
)
def test_shared_caching_manager_survives_concurrent_encrypt_and_decrypt(
    max_age: float, max_messages_encrypted: int
) -> None:
    cmm = CachingCryptoMaterialsManager(
        master_key_provider=_master_key(),
        cache=LocalCryptoMaterialsCache(2),
        max_age=max_age,
        max_messages_encrypted=max_messages_encrypted,
    )
    failures, completed = _run_mixed_workload(cmm)
    assert failures == []
    assert completed == THREADS * OPERATIONS_PER_THREAD
