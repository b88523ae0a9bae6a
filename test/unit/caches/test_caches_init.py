"""Unit tests of ``aws_encryption_sdk.caches``: cache-entry identifiers, hints and entries."""

from __future__ import annotations

import hashlib
import threading
import time

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aws_encryption_sdk.caches as caches_package
from aws_encryption_sdk.caches import (
    CryptoMaterialsCacheEntry,
    CryptoMaterialsCacheEntryHints,
    build_decryption_materials_cache_key,
    build_encryption_materials_cache_key,
)
from aws_encryption_sdk.exceptions import NotSupportedError
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from aws_encryption_sdk.internal.utils._edk_set import OrderedSet
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey, MasterKeyInfo
from test.locking import JOIN_TIMEOUT_SECONDS, run_while_holding

PARTITION = b"my-partition"
CONTEXT = {"b": "2", "a": "1"}
EDK_1 = EncryptedDataKey(key_provider=MasterKeyInfo(provider_id="p1", key_info=b"k1"), encrypted_data_key=b"\x01\x02")
EDK_2 = EncryptedDataKey(key_provider=MasterKeyInfo(provider_id="p2", key_info=b"k2"), encrypted_data_key=b"\x03")
SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY


KAT_ENCRYPT_NO_SUITE = bytes.fromhex(
    "618ede5285dba8022933165de75fba29ee95fb0f8fbb01566c8393e726d15ce5"
    "5123a8e0fec00ba696c88b6b7b32b4035bf20a2e98ab85111de4b1508c11d465"
)
KAT_ENCRYPT_SUITE_0478 = bytes.fromhex(
    "47585c74f28781bc41aea67d57c72d3ca45d45747605a9a1bc7fbe034b2a792c"
    "1d5c27afd7aa0cbcc27e882bc8475c3ba5471f6e66d3f0dd67c9f0f858aa7028"
)
KAT_DECRYPT_SUITE_0478 = bytes.fromhex(
    "66fa91b2c4301c544be240c05ed03fb74bb300efbfb119d2474a0aab07405629"
    "445c0d4569e09ba11606a9490605c2f01c8b79ce9e0db2cf8a37b69edbe130a1"
)


def _data_key() -> DataKey:
    return DataKey(
        key_provider=MasterKeyInfo(provider_id="p", key_info=b"k"), data_key=b"\x00" * 32, encrypted_data_key=b"e"
    )


def _decryption_materials() -> DecryptionMaterials:
    return DecryptionMaterials(data_key=_data_key())


def _encryption_materials() -> EncryptionMaterials:
    return EncryptionMaterials(
        algorithm=SUITE, data_encryption_key=_data_key(), encrypted_data_keys={EDK_1}, encryption_context={}
    )


def _decrypt_request(edks: set[EncryptedDataKey], context: dict[str, str]) -> DecryptionMaterialsRequest:
    return DecryptionMaterialsRequest(algorithm=SUITE, encrypted_data_keys=edks, encryption_context=context)


# --- identifiers: known answers -------------------------------------------------------------------


def test_encryption_key_without_suite_matches_known_answer() -> None:
    request = EncryptionMaterialsRequest(encryption_context=CONTEXT, frame_length=4096)
    assert build_encryption_materials_cache_key(PARTITION, request) == KAT_ENCRYPT_NO_SUITE


def test_encryption_key_with_suite_0478_matches_known_answer() -> None:
    request = EncryptionMaterialsRequest(encryption_context=CONTEXT, frame_length=4096, algorithm=SUITE)
    assert build_encryption_materials_cache_key(PARTITION, request) == KAT_ENCRYPT_SUITE_0478


def test_decryption_key_with_suite_0478_matches_known_answer() -> None:
    request = _decrypt_request({EDK_1, EDK_2}, CONTEXT)
    assert build_decryption_materials_cache_key(PARTITION, request) == KAT_DECRYPT_SUITE_0478


def test_identifiers_accept_keyword_arguments() -> None:
    request = EncryptionMaterialsRequest(encryption_context=CONTEXT, frame_length=4096)
    assert build_encryption_materials_cache_key(partition=PARTITION, request=request) == KAT_ENCRYPT_NO_SUITE


# --- identifiers: properties ----------------------------------------------------------------------


def test_decryption_key_does_not_depend_on_edk_order() -> None:
    forward = _decrypt_request(OrderedSet([EDK_1, EDK_2]), CONTEXT)
    backward = _decrypt_request(OrderedSet([EDK_2, EDK_1]), CONTEXT)
    assert build_decryption_materials_cache_key(PARTITION, forward) == KAT_DECRYPT_SUITE_0478
    assert build_decryption_materials_cache_key(PARTITION, backward) == KAT_DECRYPT_SUITE_0478


def test_decryption_key_depends_on_the_set_of_edks() -> None:
    both = build_decryption_materials_cache_key(PARTITION, _decrypt_request({EDK_1, EDK_2}, CONTEXT))
    one = build_decryption_materials_cache_key(PARTITION, _decrypt_request({EDK_1}, CONTEXT))
    assert both != one


def test_decryption_key_with_empty_context_hashes_the_empty_string() -> None:
    request = _decrypt_request({EDK_1}, {})
    edk_digest = hashlib.sha512(bytes.fromhex("0002703100026b3100020102")).digest()
    expected = hashlib.sha512(
        hashlib.sha512(PARTITION).digest() + b"\x04\x78" + edk_digest + b"\x00" * 64 + hashlib.sha512(b"").digest()
    ).digest()
    assert build_decryption_materials_cache_key(PARTITION, request) == expected


def test_encryption_key_ignores_frame_length_and_commitment_policy() -> None:
    first = EncryptionMaterialsRequest(
        encryption_context=CONTEXT, frame_length=4096, commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    )
    second = EncryptionMaterialsRequest(
        encryption_context=dict(CONTEXT),
        frame_length=128,
        commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
    )
    assert build_encryption_materials_cache_key(PARTITION, first) == build_encryption_materials_cache_key(
        PARTITION, second
    )


def test_encryption_key_differs_between_no_suite_and_the_default_suite() -> None:
    no_suite = EncryptionMaterialsRequest(
        encryption_context=CONTEXT, frame_length=4096, commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    )
    default_suite = EncryptionMaterialsRequest(
        encryption_context=CONTEXT,
        frame_length=4096,
        commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT,
        algorithm=AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
    )
    assert build_encryption_materials_cache_key(PARTITION, no_suite) != build_encryption_materials_cache_key(
        PARTITION, default_suite
    )


def test_str_partition_gives_the_same_key_as_its_utf8_bytes() -> None:
    request = EncryptionMaterialsRequest(encryption_context=CONTEXT, frame_length=4096)
    assert build_encryption_materials_cache_key("my-partition", request) == KAT_ENCRYPT_NO_SUITE  # type: ignore[arg-type]


_text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(
    partition_a=st.binary(max_size=16),
    partition_b=st.binary(max_size=16),
    context_a=st.dictionaries(_text, _text, max_size=3),
    context_b=st.dictionaries(_text, _text, max_size=3),
)
def test_encryption_keys_are_equal_exactly_when_partition_and_context_are(
    partition_a: bytes, partition_b: bytes, context_a: dict[str, str], context_b: dict[str, str]
) -> None:
    key_a = build_encryption_materials_cache_key(
        partition_a, EncryptionMaterialsRequest(encryption_context=context_a, frame_length=0)
    )
    key_b = build_encryption_materials_cache_key(
        partition_b, EncryptionMaterialsRequest(encryption_context=context_b, frame_length=0)
    )
    assert len(key_a) == 64
    assert (key_a == key_b) == (partition_a == partition_b and context_a == context_b)


# --- hints ----------------------------------------------------------------------------------------


def test_hints_default_to_no_lifetime() -> None:
    assert CryptoMaterialsCacheEntryHints().lifetime is None
    assert CryptoMaterialsCacheEntryHints(2.5).lifetime == 2.5


def test_hints_reject_an_int_lifetime() -> None:
    with pytest.raises(TypeError):
        CryptoMaterialsCacheEntryHints(lifetime=5)


def test_hints_compare_by_value_and_hash_by_identity() -> None:
    first = CryptoMaterialsCacheEntryHints(1.0)
    second = CryptoMaterialsCacheEntryHints(1.0)
    assert first == second
    assert hash(first) == object.__hash__(first)


# --- entries --------------------------------------------------------------------------------------


def test_entry_starts_valid_unused_and_now() -> None:
    before = time.time()
    entry = CryptoMaterialsCacheEntry(b"key", _decryption_materials())
    after = time.time()
    assert before <= entry.creation_time <= after
    assert entry.bytes_encrypted == 0
    assert entry.messages_encrypted == 0
    assert entry.valid is True
    assert entry.hints == CryptoMaterialsCacheEntryHints()
    assert isinstance(entry.lock, type(threading.Lock()))


def test_entry_fields_are_cache_key_value_hints_in_order() -> None:
    assert [field.name for field in attrs.fields(CryptoMaterialsCacheEntry)] == ["cache_key", "value", "hints"]
    hints = CryptoMaterialsCacheEntryHints(3.0)
    entry = CryptoMaterialsCacheEntry(b"key", _encryption_materials(), hints)
    assert entry.hints is hints


def test_entry_rejects_wrong_types() -> None:
    with pytest.raises(TypeError):
        CryptoMaterialsCacheEntry("key", _decryption_materials())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CryptoMaterialsCacheEntry(b"key", object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CryptoMaterialsCacheEntry(b"key", _decryption_materials(), hints=1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name", ["cache_key", "value", "hints", "valid", "messages_encrypted", "bytes_encrypted", "creation_time", "new"]
)
def test_entry_refuses_every_attribute_assignment(name: str) -> None:
    entry = CryptoMaterialsCacheEntry(b"key", _decryption_materials())
    with pytest.raises(NotSupportedError, match=r"^Attributes may not be set on CryptoMaterialsCacheEntry objects$"):
        setattr(entry, name, 1)


def test_entry_hashes_by_identity() -> None:
    entry = CryptoMaterialsCacheEntry(b"key", _decryption_materials())
    assert hash(entry) == object.__hash__(entry)


def test_entry_age_grows_with_time() -> None:
    entry = CryptoMaterialsCacheEntry(b"key", _decryption_materials())
    first = entry.age
    time.sleep(0.01)
    assert entry.age > first >= 0


def test_entry_without_lifetime_is_never_too_old() -> None:
    entry = CryptoMaterialsCacheEntry(b"key", _decryption_materials())
    time.sleep(0.01)
    assert entry.is_too_old() is False


def test_entry_is_too_old_once_older_than_its_lifetime() -> None:
    entry = CryptoMaterialsCacheEntry(b"key", _decryption_materials(), CryptoMaterialsCacheEntryHints(0.02))
    assert entry.is_too_old() is False
    time.sleep(0.05)
    assert entry.is_too_old() is True


def test_entry_invalidate_marks_it_invalid() -> None:
    entry = CryptoMaterialsCacheEntry(b"key", _decryption_materials())
    entry.invalidate()
    assert entry.valid is False


def test_entry_usage_update_adds_one_message_and_the_bytes() -> None:
    entry = CryptoMaterialsCacheEntry(b"key", _encryption_materials())
    entry._update_with_message_bytes_encrypted(10)
    entry._update_with_message_bytes_encrypted(5)
    assert (entry.messages_encrypted, entry.bytes_encrypted) == (2, 15)


def test_entry_usage_update_waits_for_the_entry_lock() -> None:
    """A usage update does not touch the counters while another thread holds ``entry.lock``."""
    entry = CryptoMaterialsCacheEntry(b"key", _encryption_materials())
    usage_while_held: list[tuple[int, int]] = []

    run_while_holding(
        entry.lock,
        lambda: entry._update_with_message_bytes_encrypted(3),
        "the usage update",
        lambda: usage_while_held.append((entry.messages_encrypted, entry.bytes_encrypted)),
    )
    assert usage_while_held == [(0, 0)]
    assert (entry.messages_encrypted, entry.bytes_encrypted) == (1, 3)


@pytest.mark.usefixtures("frequent_thread_switches")
def test_readers_holding_the_entry_lock_never_see_half_an_update() -> None:
    """Under the entry lock both usage counters move together, and concurrent updates are not lost."""
    entry = CryptoMaterialsCacheEntry(b"key", _encryption_materials())
    writers_done = threading.Event()
    torn_views: list[tuple[int, int]] = []
    updates_per_writer = 5000

    def write() -> None:
        for _ in range(updates_per_writer):
            entry._update_with_message_bytes_encrypted(3)

    def read() -> None:
        while not writers_done.is_set():
            with entry.lock:
                usage = (entry.messages_encrypted, entry.bytes_encrypted)
            if usage[1] != 3 * usage[0]:
                torn_views.append(usage)
                return

    reader = threading.Thread(target=read, daemon=True)
    writers = [threading.Thread(target=write, daemon=True) for _ in range(4)]
    reader.start()
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=JOIN_TIMEOUT_SECONDS)
    writers_done.set()
    reader.join(timeout=JOIN_TIMEOUT_SECONDS)
    assert torn_views == []
    assert (entry.messages_encrypted, entry.bytes_encrypted) == (4 * updates_per_writer, 12 * updates_per_writer)


def test_package_exposes_the_cache_submodules() -> None:
    assert caches_package.base.CryptoMaterialsCache.__name__ == "CryptoMaterialsCache"
    assert caches_package.local.LocalCryptoMaterialsCache.__name__ == "LocalCryptoMaterialsCache"
    assert caches_package.null.NullCryptoMaterialsCache.__name__ == "NullCryptoMaterialsCache"
