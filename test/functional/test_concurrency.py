"""One client, one provider and one caching CMM shared by eight threads doing mixed work."""

from __future__ import annotations

import io
import random
import threading
from concurrent.futures import ThreadPoolExecutor

from aws_encryption_sdk import (
    CachingCryptoMaterialsManager,
    EncryptionSDKClient,
    LocalCryptoMaterialsCache,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite

from .raw_keys import aes_master_key, key_set, rsa_master_key

THREADS = 8
TASKS_PER_THREAD = 60


def test_shared_client_provider_and_caching_cmm_under_eight_threads() -> None:
    client = EncryptionSDKClient()
    provider = key_set(aes_master_key(), rsa_master_key())
    cmm = CachingCryptoMaterialsManager(
        master_key_provider=provider, cache=LocalCryptoMaterialsCache(3), max_age=0.01, max_messages_encrypted=4
    )
    errors: list[BaseException] = []
    checked = []
    lock = threading.Lock()

    def work(seed: int) -> None:
        rng = random.Random(seed)
        for task in range(TASKS_PER_THREAD):
            plaintext = rng.randbytes(rng.choice([0, 1, 100, 5000]))
            context = {"thread": str(seed), "bucket": str(task % 3)}
            try:
                kind = task % 3
                if kind == 0:
                    ciphertext, _ = client.encrypt(source=plaintext, materials_manager=cmm, encryption_context=context)
                    result, header = client.decrypt(source=ciphertext, materials_manager=cmm)
                elif kind == 1:
                    ciphertext, _ = client.encrypt(
                        source=plaintext,
                        key_provider=provider,
                        algorithm=AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
                        frame_length=rng.choice([1, 64, 4096]) if plaintext else 4096,
                    )
                    result, header = client.decrypt(source=ciphertext, key_provider=provider)
                else:
                    with client.stream(
                        mode="e", source=io.BytesIO(plaintext), materials_manager=cmm, encryption_context=context
                    ) as encryptor:
                        ciphertext = b"".join(encryptor)
                    with client.stream(mode="d", source=io.BytesIO(ciphertext), materials_manager=cmm) as decryptor:
                        result = b"".join(decryptor)
                        header = decryptor.header
                assert result == plaintext
                if kind != 1:
                    assert header.encryption_context["thread"] == str(seed)
                with lock:
                    checked.append(1)
            except BaseException as error:  # collected and reported by the main thread
                with lock:
                    errors.append(error)

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(work, range(THREADS)))
    assert errors == []
    assert len(checked) == THREADS * TASKS_PER_THREAD
