"""Unit tests for ``aws_encryption_sdk.key_providers.raw`` (raw AES and RSA master keys)."""

from __future__ import annotations

import logging
import struct
from functools import cache

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from aws_encryption_sdk.exceptions import (
    DataKeyUnwrapError,
    DecryptKeyError,
    IncorrectMasterKeyError,
    SerializationError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite, EncryptionKeyType, EncryptionType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.internal.utils._edk_set import OrderedSet
from aws_encryption_sdk.key_providers.base import MasterKeyProviderConfig
from aws_encryption_sdk.key_providers.raw import RawMasterKey, RawMasterKeyConfig, RawMasterKeyProvider
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey, MasterKeyInfo

SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
CONTEXT = {"purpose": "test", "tenant": "t-1"}
AES_ALGORITHMS = [
    WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING,
    WrappingAlgorithm.AES_192_GCM_IV12_TAG16_NO_PADDING,
    WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
]
RSA_ALGORITHMS = [
    WrappingAlgorithm.RSA_PKCS1,
    WrappingAlgorithm.RSA_OAEP_SHA1_MGF1,
    WrappingAlgorithm.RSA_OAEP_SHA256_MGF1,
    WrappingAlgorithm.RSA_OAEP_SHA384_MGF1,
    WrappingAlgorithm.RSA_OAEP_SHA512_MGF1,
]
AES_KEY_BYTES = {16: b"\x10" * 16, 24: b"\x18" * 24, 32: b"\x20" * 32}


@cache
def _rsa_private_key(label: str) -> rsa.RSAPrivateKey:
    del label  # one key per label, generated once
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _rsa_private_pem(label: str = "main") -> bytes:
    return _rsa_private_key(label).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _rsa_public_pem(label: str = "main") -> bytes:
    return (
        _rsa_private_key(label)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def _aes_wrapping_key(
    algorithm: WrappingAlgorithm = WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING, fill: int | None = None
) -> WrappingKey:
    length = algorithm.algorithm.data_key_len
    key = AES_KEY_BYTES[length] if fill is None else bytes([fill]) * length
    return WrappingKey(algorithm, key, EncryptionKeyType.SYMMETRIC)


def _rsa_wrapping_key(
    algorithm: WrappingAlgorithm = WrappingAlgorithm.RSA_OAEP_SHA256_MGF1,
    key_type: EncryptionKeyType = EncryptionKeyType.PRIVATE,
    label: str = "main",
) -> WrappingKey:
    pem = _rsa_private_pem(label) if key_type is EncryptionKeyType.PRIVATE else _rsa_public_pem(label)
    return WrappingKey(algorithm, pem, key_type)


def _aes_key(key_id: bytes = b"aes-1", provider_id: str = "raw-aes", **kwargs: object) -> RawMasterKey:
    return RawMasterKey(key_id=key_id, provider_id=provider_id, wrapping_key=_aes_wrapping_key(**kwargs))  # type: ignore[arg-type]


def _rsa_key(key_id: bytes = b"rsa-1", provider_id: str = "raw-rsa", **kwargs: object) -> RawMasterKey:
    return RawMasterKey(key_id=key_id, provider_id=provider_id, wrapping_key=_rsa_wrapping_key(**kwargs))  # type: ignore[arg-type]


def _as_edk(data_key: DataKey) -> EncryptedDataKey:
    return EncryptedDataKey(key_provider=data_key.key_provider, encrypted_data_key=data_key.encrypted_data_key)


# --- RawMasterKeyConfig -----------------------------------------------------------------------


def test_config_converts_key_id_to_bytes_and_provider_id_to_str() -> None:
    wrapping_key = _aes_wrapping_key()
    config = RawMasterKeyConfig(key_id="k1", provider_id=b"p1", wrapping_key=wrapping_key)
    assert (config.key_id, config.provider_id, config.wrapping_key) == (b"k1", "p1", wrapping_key)


def test_config_accepts_positional_arguments_in_field_order() -> None:
    wrapping_key = _aes_wrapping_key()
    assert RawMasterKeyConfig(b"k1", "p1", wrapping_key) == RawMasterKeyConfig(
        key_id=b"k1", provider_id="p1", wrapping_key=wrapping_key
    )


@pytest.mark.parametrize(
    "overrides",
    [{"wrapping_key": b"\x00" * 32}, {"provider_id": 1}, {"key_id": None}],
    ids=["raw-bytes-wrapping-key", "int-provider-id", "none-key-id"],
)
def test_config_rejects_wrong_types(overrides: dict[str, object]) -> None:
    values: dict[str, object] = {"key_id": b"k1", "provider_id": "p1", "wrapping_key": _aes_wrapping_key()}
    values.update(overrides)
    with pytest.raises(TypeError):
        RawMasterKeyConfig(**values)  # type: ignore[arg-type]


def test_config_hash_and_eq_are_field_based() -> None:
    wrapping_key = _aes_wrapping_key()
    first = RawMasterKeyConfig(key_id=b"k1", provider_id="p1", wrapping_key=wrapping_key)
    second = RawMasterKeyConfig(key_id="k1", provider_id=b"p1", wrapping_key=wrapping_key)
    assert first == second
    assert hash(first) == hash(second)
    assert first != RawMasterKeyConfig(key_id=b"k1", provider_id="p1", wrapping_key=_aes_wrapping_key())


# --- RawMasterKey construction ----------------------------------------------------------------


def test_raw_master_key_takes_provider_id_from_config() -> None:
    master_key = _aes_key(provider_id="my-provider")
    assert master_key.provider_id == "my-provider"
    assert RawMasterKey.provider_id is None
    assert master_key.key_provider == MasterKeyInfo("my-provider", b"aes-1")


def test_raw_master_key_accepts_a_config_object() -> None:
    config = RawMasterKeyConfig(key_id=b"k1", provider_id="p1", wrapping_key=_aes_wrapping_key())
    master_key = RawMasterKey(config=config)
    assert master_key.config is config
    assert master_key.key_id == b"k1"


def test_raw_master_key_rejects_positional_arguments() -> None:
    config = RawMasterKeyConfig(key_id=b"k1", provider_id="p1", wrapping_key=_aes_wrapping_key())
    with pytest.raises(TypeError):
        RawMasterKey(config)  # type: ignore[call-arg]


@pytest.mark.parametrize("algorithm", AES_ALGORITHMS, ids=lambda algorithm: algorithm.name)
def test_aes_key_info_prefix_is_key_id_tag_bits_and_iv_length(algorithm: WrappingAlgorithm) -> None:
    master_key = _aes_key(key_id=b"name", algorithm=algorithm)
    assert master_key._key_info_prefix == b"name" + struct.pack(">II", 128, 12)


def test_rsa_key_info_prefix_is_the_key_id() -> None:
    assert _rsa_key(key_id=b"name")._key_info_prefix == b"name"


def test_raw_master_key_repr_shows_config_fields_sorted() -> None:
    text = repr(_aes_key(key_id=b"k1", provider_id="p1"))
    assert text.startswith("RawMasterKey(key_id=b'k1', provider_id=p1, wrapping_key=<")
    assert "WrappingKey object at" in text


# --- ownership --------------------------------------------------------------------------------


def _key_info_edk(provider_id: str, key_info: bytes) -> EncryptedDataKey:
    return EncryptedDataKey(key_provider=MasterKeyInfo(provider_id, key_info), encrypted_data_key=b"x" * 48)


def test_aes_key_owns_edks_with_its_prefix_followed_by_a_12_byte_iv() -> None:
    master_key = _aes_key(key_id=b"k1", provider_id="p")
    prefix = master_key._key_info_prefix
    assert master_key.owns_data_key(_key_info_edk("p", prefix + b"\x07" * 12))


@pytest.mark.parametrize(
    "provider_id, key_info_suffix",
    [("other", b"\x07" * 12), ("p", b"\x07" * 11), ("p", b"\x07" * 13), ("p", b"")],
    ids=["other-provider", "short-iv", "long-iv", "no-iv"],
)
def test_aes_key_does_not_own_edks_with_other_provider_or_iv_length(provider_id: str, key_info_suffix: bytes) -> None:
    master_key = _aes_key(key_id=b"k1", provider_id="p")
    assert not master_key.owns_data_key(_key_info_edk(provider_id, master_key._key_info_prefix + key_info_suffix))


def test_aes_key_does_not_own_edks_of_another_key_name_or_tag_length() -> None:
    master_key = _aes_key(key_id=b"k1", provider_id="p")
    assert not master_key.owns_data_key(_key_info_edk("p", b"k2" + struct.pack(">II", 128, 12) + b"\x07" * 12))
    assert not master_key.owns_data_key(_key_info_edk("p", b"k1" + struct.pack(">II", 96, 12) + b"\x07" * 12))


def test_rsa_key_owns_only_edks_with_exactly_its_key_id() -> None:
    master_key = _rsa_key(key_id=b"k1", provider_id="p")
    assert master_key.owns_data_key(_key_info_edk("p", b"k1"))
    assert not master_key.owns_data_key(_key_info_edk("p", b"k1" + b"\x00"))
    assert not master_key.owns_data_key(_key_info_edk("q", b"k1"))


# --- wrapping layout and round trips ----------------------------------------------------------


def test_generated_aes_edk_layout() -> None:
    master_key = _aes_key(key_id=b"k1", provider_id="p")
    data_key = master_key.generate_data_key(SUITE, CONTEXT)
    key_info = data_key.key_provider.key_info
    assert data_key.key_provider.provider_id == "p"
    assert key_info.startswith(b"k1\x00\x00\x00\x80\x00\x00\x00\x0c")
    assert len(key_info) == 2 + 8 + 12
    assert len(data_key.encrypted_data_key) == SUITE.kdf_input_len + 16
    assert data_key.encrypted_data_key[: SUITE.kdf_input_len] != data_key.data_key


def test_each_aes_wrap_uses_a_fresh_iv() -> None:
    master_key = _aes_key()
    first = master_key.generate_data_key(SUITE, CONTEXT)
    second = master_key.encrypt_data_key(first, SUITE, CONTEXT)
    assert first.key_provider.key_info[-12:] != second.key_provider.key_info[-12:]


def test_generated_rsa_edk_layout() -> None:
    master_key = _rsa_key(key_id=b"r1", provider_id="p")
    data_key = master_key.generate_data_key(SUITE, CONTEXT)
    assert data_key.key_provider == MasterKeyInfo("p", b"r1")
    assert len(data_key.encrypted_data_key) == 256


def _round_trip_suites() -> list[AlgorithmSuite]:
    lengths_seen: dict[int, AlgorithmSuite] = {}
    for suite in AlgorithmSuite:
        lengths_seen.setdefault(suite.kdf_input_len, suite)
    return list(lengths_seen.values())


@pytest.mark.parametrize("suite", _round_trip_suites(), ids=lambda suite: f"0x{suite.algorithm_id:04x}")
@pytest.mark.parametrize("algorithm", AES_ALGORITHMS + RSA_ALGORITHMS, ids=lambda algorithm: algorithm.name)
def test_generate_then_decrypt_round_trips_for_every_wrapping_algorithm(
    algorithm: WrappingAlgorithm, suite: AlgorithmSuite
) -> None:
    if algorithm.encryption_type is EncryptionType.SYMMETRIC:
        master_key = _aes_key(algorithm=algorithm)
    else:
        master_key = _rsa_key(algorithm=algorithm)
    data_key = master_key.generate_data_key(suite, CONTEXT)
    assert len(data_key.data_key) == suite.kdf_input_len
    decrypted = master_key.decrypt_data_key(_as_edk(data_key), suite, CONTEXT)
    assert decrypted.data_key == data_key.data_key
    assert decrypted.key_provider == data_key.key_provider
    assert decrypted.encrypted_data_key == data_key.encrypted_data_key


@pytest.mark.parametrize("algorithm", RSA_ALGORITHMS, ids=lambda algorithm: algorithm.name)
def test_rsa_public_key_encrypts_for_the_private_key(algorithm: WrappingAlgorithm) -> None:
    encrypting = _rsa_key(algorithm=algorithm, key_type=EncryptionKeyType.PUBLIC)
    decrypting = _rsa_key(algorithm=algorithm, key_type=EncryptionKeyType.PRIVATE)
    data_key = encrypting.generate_data_key(SUITE, CONTEXT)
    assert decrypting.decrypt_data_key(_as_edk(data_key), SUITE, CONTEXT).data_key == data_key.data_key


@settings(max_examples=50, deadline=None)
@given(
    plaintext=st.binary(min_size=32, max_size=32),
    context=st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=4),
)
def test_aes_encrypt_then_decrypt_round_trips_any_data_key_and_context(
    plaintext: bytes, context: dict[str, str]
) -> None:
    master_key = _aes_key()
    raw = DataKey(key_provider=master_key.key_provider, data_key=plaintext, encrypted_data_key=b"")
    edk = master_key.encrypt_data_key(raw, SUITE, context)
    assert master_key.decrypt_data_key(edk, SUITE, context).data_key == plaintext


class PinnedRawMasterKey(RawMasterKey):
    pinned = b"\x42" * 32

    def _random_data_key(self, length: int) -> bytes:
        return self.pinned[:length]


def test_random_data_key_seam_sets_the_generated_plaintext_key() -> None:
    master_key = PinnedRawMasterKey(key_id=b"k1", provider_id="p", wrapping_key=_aes_wrapping_key())
    data_key = master_key.generate_data_key(SUITE, CONTEXT)
    assert data_key.data_key == b"\x42" * 32
    assert master_key.decrypt_data_key(_as_edk(data_key), SUITE, CONTEXT).data_key == b"\x42" * 32


def test_default_random_data_key_has_requested_length_and_varies() -> None:
    master_key = _aes_key()
    assert len(master_key._random_data_key(24)) == 24
    assert master_key._random_data_key(32) != master_key._random_data_key(32)


# --- unwrap failures --------------------------------------------------------------------------


def test_aes_key_with_wrong_material_raises_data_key_unwrap_error() -> None:
    data_key = _aes_key(fill=1).generate_data_key(SUITE, CONTEXT)
    with pytest.raises(DataKeyUnwrapError) as excinfo:
        _aes_key(fill=2).decrypt_data_key(_as_edk(data_key), SUITE, CONTEXT)
    assert isinstance(excinfo.value, DecryptKeyError)
    assert isinstance(excinfo.value, InvalidTag)


def test_aes_key_with_wrong_context_raises_data_key_unwrap_error() -> None:
    master_key = _aes_key()
    data_key = master_key.generate_data_key(SUITE, CONTEXT)
    with pytest.raises(DataKeyUnwrapError):
        master_key.decrypt_data_key(_as_edk(data_key), SUITE, {"purpose": "other"})


def test_aes_edk_with_truncated_ciphertext_is_a_skippable_decrypt_key_error() -> None:
    master_key = _aes_key()
    data_key = master_key.generate_data_key(SUITE, CONTEXT)
    truncated = EncryptedDataKey(
        key_provider=data_key.key_provider, encrypted_data_key=data_key.encrypted_data_key[:16]
    )
    with pytest.raises(DecryptKeyError, match="incomplete ciphertext or tag") as raised:
        master_key.decrypt_data_key(truncated, SUITE, CONTEXT)
    assert isinstance(raised.value.__cause__, SerializationError)


def test_rsa_public_key_cannot_decrypt() -> None:
    public_only = _rsa_key(key_type=EncryptionKeyType.PUBLIC)
    data_key = public_only.generate_data_key(SUITE, CONTEXT)
    with pytest.raises(IncorrectMasterKeyError, match=r"^Public key cannot decrypt$"):
        public_only.decrypt_data_key(_as_edk(data_key), SUITE, CONTEXT)


def test_rsa_key_with_wrong_private_key_raises_incorrect_master_key_error() -> None:
    data_key = _rsa_key(label="main").generate_data_key(SUITE, CONTEXT)
    with pytest.raises(IncorrectMasterKeyError):
        _rsa_key(label="other").decrypt_data_key(_as_edk(data_key), SUITE, CONTEXT)


def test_wrong_aes_key_moves_on_to_the_next_edk() -> None:
    good = _aes_key(key_id=b"good", fill=7)
    wrong_material = _aes_key(key_id=b"shared", fill=8)
    encrypting_shared = _aes_key(key_id=b"shared", fill=9)
    data_key = encrypting_shared.generate_data_key(SUITE, CONTEXT)
    edks = OrderedSet([_as_edk(data_key), good.encrypt_data_key(data_key, SUITE, CONTEXT)])

    decrypting = StaticProvider()
    decrypting.add_master_key_providers_from_list([wrong_material, good])
    assert decrypting.decrypt_data_key_from_list(edks, SUITE, CONTEXT).data_key == data_key.data_key


def test_all_edks_failing_raises_decrypt_key_error_naming_each_attempt() -> None:
    aes = _aes_key(key_id=b"aes-1", provider_id="raw-aes", fill=1)
    rsa_key = _rsa_key(key_id=b"rsa-1", provider_id="raw-rsa", label="main")
    data_key = aes.generate_data_key(SUITE, CONTEXT)
    edks = OrderedSet([_as_edk(data_key), rsa_key.encrypt_data_key(data_key, SUITE, CONTEXT)])

    decrypting = StaticProvider()
    decrypting.add_master_key_providers_from_list(
        [
            _aes_key(key_id=b"aes-1", provider_id="raw-aes", fill=2),
            _rsa_key(key_id=b"rsa-1", provider_id="raw-rsa", label="other"),
        ]
    )
    with pytest.raises(DecryptKeyError) as excinfo:
        decrypting.decrypt_data_key_from_list(edks, SUITE, CONTEXT)
    message = str(excinfo.value)
    assert message.startswith("Unable to decrypt any data key: tried 2 encrypted data keys: (raw-aes, 0x6165732d31")
    assert "): DataKeyUnwrapError: Unable to unwrap the data key" in message
    assert "; (raw-rsa, rsa-1): IncorrectMasterKeyError: _wrapping_key cannot decrypt provided ciphertext" in message
    assert data_key.data_key.hex() not in message
    assert repr(data_key.data_key) not in message


def test_raw_keys_never_log_the_data_key(caplog: pytest.LogCaptureFixture) -> None:
    master_key = _aes_key()
    with caplog.at_level(logging.DEBUG):
        data_key = master_key.generate_data_key(SUITE, CONTEXT)
        master_key.decrypt_data_key(_as_edk(data_key), SUITE, CONTEXT)
    assert data_key.data_key.hex() not in caplog.text
    assert repr(data_key.data_key) not in caplog.text


# --- RawMasterKeyProvider ---------------------------------------------------------------------


class StaticProvider(RawMasterKeyProvider):
    """User-style provider: static AES keys derived from the key id, ``__init__`` without super."""

    provider_id = "raw-aes"

    def __init__(self, **kwargs: object) -> None:
        self.requested: list[bytes] = []

    def _get_raw_key(self, key_id: bytes) -> WrappingKey:
        self.requested.append(key_id)
        return WrappingKey(
            WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
            (key_id * 32)[:32],
            EncryptionKeyType.SYMMETRIC,
        )


def test_raw_provider_class_attributes() -> None:
    assert RawMasterKeyProvider.vend_masterkey_on_decrypt is False
    assert RawMasterKeyProvider._config_class is MasterKeyProviderConfig
    assert RawMasterKeyProvider._master_key_class is RawMasterKey


def test_raw_provider_is_abstract() -> None:
    with pytest.raises(TypeError):
        RawMasterKeyProvider()  # type: ignore[abstract]


def test_raw_provider_builds_raw_master_keys_from_get_raw_key() -> None:
    provider = StaticProvider()
    provider.add_master_key("k1")
    master_key = provider.master_key(b"k1")
    assert isinstance(master_key, RawMasterKey)
    assert master_key.config.provider_id == "raw-aes"
    assert master_key.key_provider == MasterKeyInfo("raw-aes", b"k1")
    assert provider.requested == [b"k1"]


def test_raw_provider_rejects_unknown_config_keywords() -> None:
    with pytest.raises(TypeError):
        StaticProvider(foo=1)


def test_raw_provider_repr_is_empty_config() -> None:
    assert repr(StaticProvider()) == "StaticProvider()"


def test_raw_provider_round_trip_with_two_keys_uses_first_as_primary() -> None:
    provider = StaticProvider()
    provider.add_master_keys_from_list([b"k1", b"k2"])
    primary, keys = provider.master_keys_for_encryption(CONTEXT, None)
    assert primary is provider.master_key(b"k1")
    data_key = primary.generate_data_key(SUITE, CONTEXT)
    second = keys[1].encrypt_data_key(data_key, SUITE, CONTEXT)
    only_second = StaticProvider()
    only_second.add_master_key(b"k2")
    assert only_second.decrypt_data_key_from_list([_as_edk(data_key), second], SUITE, CONTEXT).data_key == (
        data_key.data_key
    )


def test_raw_provider_only_decrypts_with_keys_added_beforehand() -> None:
    encrypting = StaticProvider()
    data_key = encrypting.master_key(b"k1").generate_data_key(SUITE, CONTEXT)
    fresh = StaticProvider()
    with pytest.raises(DecryptKeyError):
        fresh.decrypt_data_key_from_list([_as_edk(data_key)], SUITE, CONTEXT)
    assert fresh.requested == []


def test_raw_provider_ignores_nested_providers_on_decrypt_but_uses_nested_master_keys() -> None:
    inner = StaticProvider()
    data_key = inner.master_key(b"k1").generate_data_key(SUITE, CONTEXT)

    outer_with_provider = StaticProvider()
    outer_with_provider.add_master_key_provider(inner)
    with pytest.raises(DecryptKeyError):
        outer_with_provider.decrypt_data_key_from_list([_as_edk(data_key)], SUITE, CONTEXT)

    outer_with_key = StaticProvider()
    outer_with_key.add_master_key_provider(inner.master_key(b"k1"))
    assert outer_with_key.decrypt_data_key_from_list([_as_edk(data_key)], SUITE, CONTEXT).data_key == data_key.data_key


def test_custom_master_key_class_is_used_by_the_provider() -> None:
    class PinnedProvider(StaticProvider):
        _master_key_class = PinnedRawMasterKey

    master_key = PinnedProvider().master_key(b"k1")
    assert isinstance(master_key, PinnedRawMasterKey)
    assert master_key.generate_data_key(SUITE, CONTEXT).data_key == b"\x42" * 32
