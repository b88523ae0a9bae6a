"""Unit tests for ``aws_encryption_sdk.materials_managers.default`` (the default CMM).

The CMM is exercised through real raw AES master keys and a small recording provider.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from aws_encryption_sdk.exceptions import (
    ActionNotAllowedError,
    DecryptKeyError,
    InvalidParameterError,
    MasterKeyProviderError,
    SerializationError,
)
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.internal.utils._edk_set import OrderedSet
from aws_encryption_sdk.key_providers.base import MasterKey
from aws_encryption_sdk.key_providers.raw import RawMasterKey, RawMasterKeyProvider
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)
from aws_encryption_sdk.materials_managers import default as default_module
from aws_encryption_sdk.materials_managers.base import CryptoMaterialsManager
from aws_encryption_sdk.materials_managers.default import DefaultCryptoMaterialsManager
from aws_encryption_sdk.structures import EncryptedDataKey

SIGNED_P384 = AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384
SIGNED_P256 = AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256
COMMITTING_SIGNED = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
COMMITTING = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
UNSIGNED = AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256
FORBID = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
REQUIRE_ALLOW = CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
REQUIRE_REQUIRE = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
PUBLIC_KEY = "aws-crypto-public-key"


class RecordingProvider(RawMasterKeyProvider):
    """Raw AES provider that records every call the CMM makes into it."""

    provider_id = "raw-aes"

    def __init__(self, **kwargs: Any) -> None:
        self.calls: list[str] = []

    def _get_raw_key(self, key_id: bytes) -> WrappingKey:
        return WrappingKey(
            WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING, (key_id * 32)[:32], EncryptionKeyType.SYMMETRIC
        )

    def master_keys_for_encryption(
        self, encryption_context: dict[str, str], plaintext_rostream: Any, plaintext_length: int | None = None
    ) -> tuple[MasterKey, list[MasterKey]]:
        self.calls.append("master_keys_for_encryption")
        return super().master_keys_for_encryption(encryption_context, plaintext_rostream, plaintext_length)

    def decrypt_data_key_from_list(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append("decrypt_data_key_from_list")
        return super().decrypt_data_key_from_list(*args, **kwargs)


def _provider(*key_ids: bytes) -> RecordingProvider:
    provider = RecordingProvider()
    provider.add_master_keys_from_list(key_ids or (b"key-1",))
    return provider


def _encrypt_request(**overrides: Any) -> EncryptionMaterialsRequest:
    values: dict[str, Any] = {"encryption_context": {"purpose": "test"}, "frame_length": 4096}
    values.update(overrides)
    return EncryptionMaterialsRequest(**values)


def _decrypt_request(materials: EncryptionMaterials, **overrides: Any) -> DecryptionMaterialsRequest:
    values: dict[str, Any] = {
        "algorithm": materials.algorithm,
        "encrypted_data_keys": materials.encrypted_data_keys,
        "encryption_context": dict(materials.encryption_context),
        "commitment_policy": REQUIRE_ALLOW,
    }
    values.update(overrides)
    return DecryptionMaterialsRequest(**values)


# --- construction -----------------------------------------------------------------------------


def test_cmm_accepts_provider_positionally_or_by_keyword() -> None:
    provider = _provider()
    assert DefaultCryptoMaterialsManager(provider).master_key_provider is provider
    assert DefaultCryptoMaterialsManager(master_key_provider=provider).master_key_provider is provider


def test_cmm_is_a_crypto_materials_manager() -> None:
    assert isinstance(DefaultCryptoMaterialsManager(_provider()), CryptoMaterialsManager)


@pytest.mark.parametrize("value", [None, "provider", object()])
def test_cmm_rejects_anything_but_a_master_key_provider(value: Any) -> None:
    with pytest.raises(TypeError):
        DefaultCryptoMaterialsManager(value)


def test_cmm_equality_is_field_based_and_hash_is_identity() -> None:
    provider = _provider()
    first, second = DefaultCryptoMaterialsManager(provider), DefaultCryptoMaterialsManager(provider)
    assert first == second
    assert first != DefaultCryptoMaterialsManager(_provider())
    assert hash(first) == object.__hash__(first)
    assert len({first, second}) == 2


def test_module_constants() -> None:
    assert default_module.ALGORITHM is SIGNED_P384
    assert default_module.ALGORITHM_COMMIT_KEY is COMMITTING_SIGNED
    assert default_module.ENCODED_SIGNER_KEY == PUBLIC_KEY


# --- get_encryption_materials: suites and policy ----------------------------------------------


@pytest.mark.parametrize(
    "policy, expected",
    [
        (FORBID, SIGNED_P384),
        (None, SIGNED_P384),
        (REQUIRE_ALLOW, COMMITTING_SIGNED),
        (REQUIRE_REQUIRE, COMMITTING_SIGNED),
    ],
    ids=["forbid", "none", "require-allow", "require-require"],
)
def test_default_suite_follows_commitment_policy(policy: CommitmentPolicy | None, expected: AlgorithmSuite) -> None:
    cmm = DefaultCryptoMaterialsManager(_provider())
    materials = cmm.get_encryption_materials(_encrypt_request(commitment_policy=policy))
    assert materials.algorithm is expected


def test_requested_suite_is_used() -> None:
    cmm = DefaultCryptoMaterialsManager(_provider())
    materials = cmm.get_encryption_materials(_encrypt_request(algorithm=UNSIGNED, commitment_policy=FORBID))
    assert materials.algorithm is UNSIGNED
    assert len(materials.data_encryption_key.data_key) == UNSIGNED.kdf_input_len


@pytest.mark.parametrize(
    "policy, suite",
    [(FORBID, COMMITTING), (REQUIRE_ALLOW, UNSIGNED), (REQUIRE_REQUIRE, SIGNED_P384)],
    ids=["forbid-committing", "require-allow-non-committing", "require-require-non-committing"],
)
def test_requested_suite_forbidden_by_policy_is_refused_before_any_key_is_asked(
    policy: CommitmentPolicy, suite: AlgorithmSuite
) -> None:
    provider = _provider()
    with pytest.raises(ActionNotAllowedError, match="Configuration conflict"):
        DefaultCryptoMaterialsManager(provider).get_encryption_materials(
            _encrypt_request(algorithm=suite, commitment_policy=policy)
        )
    assert provider.calls == []


# --- get_encryption_materials: context and signing key ----------------------------------------


@pytest.mark.parametrize(
    "suite, encoded_length, curve",
    [(SIGNED_P256, 44, ec.SECP256R1), (SIGNED_P384, 68, ec.SECP384R1), (COMMITTING_SIGNED, 68, ec.SECP384R1)],
    ids=["p256", "p384", "p384-committing"],
)
def test_signing_suite_puts_public_key_of_the_signing_key_in_the_context(
    suite: AlgorithmSuite, encoded_length: int, curve: type[ec.EllipticCurve]
) -> None:
    policy = REQUIRE_ALLOW if suite.is_committing() else FORBID
    materials = DefaultCryptoMaterialsManager(_provider()).get_encryption_materials(
        _encrypt_request(algorithm=suite, commitment_policy=policy)
    )
    encoded = materials.encryption_context[PUBLIC_KEY]
    assert isinstance(encoded, str)
    assert len(encoded) == encoded_length

    assert materials.signing_key is not None
    private_key = serialization.load_der_private_key(materials.signing_key, password=None)
    assert isinstance(private_key, ec.EllipticCurvePrivateKey)
    assert isinstance(private_key.curve, curve)
    compressed = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )
    assert base64.b64decode(encoded) == compressed


def test_each_request_gets_a_fresh_signing_key() -> None:
    cmm = DefaultCryptoMaterialsManager(_provider())
    first = cmm.get_encryption_materials(_encrypt_request())
    second = cmm.get_encryption_materials(_encrypt_request())
    assert first.signing_key != second.signing_key
    assert first.encryption_context[PUBLIC_KEY] != second.encryption_context[PUBLIC_KEY]


def test_unsigned_suite_has_no_public_key_and_no_signing_key() -> None:
    materials = DefaultCryptoMaterialsManager(_provider()).get_encryption_materials(
        _encrypt_request(algorithm=COMMITTING, commitment_policy=REQUIRE_REQUIRE)
    )
    assert materials.signing_key is None
    assert materials.encryption_context == {"purpose": "test"}


def test_caller_context_is_copied_never_mutated() -> None:
    caller_context = {"purpose": "test", b"bytes-key": b"bytes-value"}
    materials = DefaultCryptoMaterialsManager(_provider()).get_encryption_materials(
        _encrypt_request(encryption_context=caller_context)
    )
    assert caller_context == {"purpose": "test", b"bytes-key": b"bytes-value"}
    assert materials.encryption_context is not caller_context
    assert materials.encryption_context[b"bytes-key"] == b"bytes-value"
    assert PUBLIC_KEY in materials.encryption_context


@pytest.mark.parametrize("reserved_key", [PUBLIC_KEY, "aws-crypto-anything", b"aws-crypto-public-key"])
@pytest.mark.parametrize("suite", [SIGNED_P384, UNSIGNED], ids=["signed", "unsigned"])
def test_reserved_context_keys_are_rejected_before_anything_is_generated(
    reserved_key: str | bytes, suite: AlgorithmSuite
) -> None:
    provider = _provider()
    with pytest.raises(InvalidParameterError, match="reserved"):
        DefaultCryptoMaterialsManager(provider).get_encryption_materials(
            _encrypt_request(encryption_context={reserved_key: "value"}, algorithm=suite)
        )
    assert provider.calls == []


def test_context_with_public_key_passed_to_the_master_keys() -> None:
    seen: list[dict[str, str]] = []

    class SpyingKey(RawMasterKey):
        def _generate_data_key(self, algorithm: AlgorithmSuite, encryption_context: dict[str, str]) -> Any:
            seen.append(dict(encryption_context))
            return super()._generate_data_key(algorithm, encryption_context)

    class SpyingProvider(RecordingProvider):
        _master_key_class = SpyingKey

    provider = SpyingProvider()
    provider.add_master_key(b"k1")
    materials = DefaultCryptoMaterialsManager(provider).get_encryption_materials(_encrypt_request())
    assert seen == [materials.encryption_context]
    assert PUBLIC_KEY in seen[0]


# --- get_encryption_materials: master keys and data keys --------------------------------------


def test_primary_generates_and_every_other_key_encrypts_in_key_order() -> None:
    provider = _provider(b"k1", b"k2", b"k3")
    materials = DefaultCryptoMaterialsManager(provider).get_encryption_materials(_encrypt_request())

    assert isinstance(materials.encrypted_data_keys, set)
    key_names = [edk.key_provider.key_info[:2] for edk in materials.encrypted_data_keys]
    assert key_names == [b"k1", b"k2", b"k3"]
    assert materials.data_encryption_key.key_provider.key_info[:2] == b"k1"
    for key_id in (b"k1", b"k2", b"k3"):
        single = _provider(key_id)
        decrypted = single.decrypt_data_key_from_list(
            materials.encrypted_data_keys, materials.algorithm, materials.encryption_context
        )
        assert decrypted.data_key == materials.data_encryption_key.data_key


def test_provider_without_master_keys_is_refused() -> None:
    with pytest.raises(MasterKeyProviderError, match=r"^No Master Keys available from Master Key Provider$"):
        DefaultCryptoMaterialsManager(RecordingProvider()).get_encryption_materials(_encrypt_request())


class _EmptyListProvider(RecordingProvider):
    def master_keys_for_encryption(self, *args: Any, **kwargs: Any) -> tuple[MasterKey, list[MasterKey]]:
        return self.master_key(b"k1"), []


class _ForeignPrimaryProvider(RecordingProvider):
    def master_keys_for_encryption(self, *args: Any, **kwargs: Any) -> tuple[MasterKey, list[MasterKey]]:
        return self.master_key(b"k1"), [self.master_key(b"k2")]


def test_empty_master_key_list_from_provider_is_refused() -> None:
    with pytest.raises(MasterKeyProviderError, match=r"^No Master Keys available from Master Key Provider$"):
        DefaultCryptoMaterialsManager(_EmptyListProvider()).get_encryption_materials(_encrypt_request())


def test_primary_outside_the_master_key_list_is_refused() -> None:
    with pytest.raises(MasterKeyProviderError, match=r"^Primary Master Key not in provided Master Keys$"):
        DefaultCryptoMaterialsManager(_ForeignPrimaryProvider()).get_encryption_materials(_encrypt_request())


def test_plaintext_length_and_stream_reach_the_provider() -> None:
    seen: dict[str, Any] = {}

    class LengthProvider(RecordingProvider):
        def master_keys_for_encryption(
            self, encryption_context: dict[str, str], plaintext_rostream: Any, plaintext_length: int | None = None
        ) -> tuple[MasterKey, list[MasterKey]]:
            seen.update(stream=plaintext_rostream, length=plaintext_length)
            return super().master_keys_for_encryption(encryption_context, plaintext_rostream, plaintext_length)

    provider = LengthProvider()
    provider.add_master_key(b"k1")
    DefaultCryptoMaterialsManager(provider).get_encryption_materials(_encrypt_request(plaintext_length=123))
    assert seen == {"stream": None, "length": 123}


# --- decrypt_materials ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "suite", [SIGNED_P256, SIGNED_P384, COMMITTING_SIGNED], ids=lambda s: f"0x{s.algorithm_id:04x}"
)
def test_decrypt_materials_return_data_key_and_der_verification_key(suite: AlgorithmSuite) -> None:
    provider = _provider()
    cmm = DefaultCryptoMaterialsManager(provider)
    policy = REQUIRE_ALLOW if suite.is_committing() else FORBID
    materials = cmm.get_encryption_materials(_encrypt_request(algorithm=suite, commitment_policy=policy))

    decryption = cmm.decrypt_materials(_decrypt_request(materials))
    assert decryption.data_key.data_key == materials.data_encryption_key.data_key
    assert materials.signing_key is not None
    expected = (
        serialization.load_der_private_key(materials.signing_key, password=None)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    assert decryption.verification_key == expected


def test_decrypt_materials_for_unsigned_suite_have_no_verification_key() -> None:
    cmm = DefaultCryptoMaterialsManager(_provider())
    materials = cmm.get_encryption_materials(_encrypt_request(algorithm=COMMITTING, commitment_policy=REQUIRE_REQUIRE))
    assert cmm.decrypt_materials(_decrypt_request(materials)).verification_key is None


# The raw AES keys bind the whole context, so these tests keep the context intact and change
# the suite the request claims instead (both suites take 32-byte data keys).


def test_signed_suite_without_public_key_in_context_is_a_serialization_error() -> None:
    cmm = DefaultCryptoMaterialsManager(_provider())
    unsigned = cmm.get_encryption_materials(_encrypt_request(algorithm=UNSIGNED))
    with pytest.raises(
        SerializationError, match=r"^No signature verification key found in header for signed algorithm\.$"
    ):
        cmm.decrypt_materials(_decrypt_request(unsigned, algorithm=SIGNED_P384))


def test_unsigned_suite_with_public_key_in_context_is_a_serialization_error() -> None:
    cmm = DefaultCryptoMaterialsManager(_provider())
    signed = cmm.get_encryption_materials(_encrypt_request(algorithm=SIGNED_P384))
    with pytest.raises(
        SerializationError, match=r"^Signature verification key found in header for non-signed algorithm\.$"
    ):
        cmm.decrypt_materials(_decrypt_request(signed, algorithm=UNSIGNED, commitment_policy=FORBID))


def test_decrypt_policy_is_checked_before_the_provider_is_asked() -> None:
    provider = _provider()
    cmm = DefaultCryptoMaterialsManager(provider)
    materials = cmm.get_encryption_materials(_encrypt_request(algorithm=UNSIGNED))
    provider.calls.clear()
    with pytest.raises(ActionNotAllowedError, match="Configuration conflict"):
        cmm.decrypt_materials(_decrypt_request(materials, commitment_policy=REQUIRE_REQUIRE))
    assert provider.calls == []


@pytest.mark.parametrize("policy", [None, FORBID, REQUIRE_ALLOW])
def test_non_committing_message_decrypts_under_permissive_policies(policy: CommitmentPolicy | None) -> None:
    cmm = DefaultCryptoMaterialsManager(_provider())
    materials = cmm.get_encryption_materials(_encrypt_request(algorithm=UNSIGNED))
    decryption = cmm.decrypt_materials(_decrypt_request(materials, commitment_policy=policy))
    assert decryption.data_key.data_key == materials.data_encryption_key.data_key


def test_decrypt_materials_fail_when_no_key_decrypts() -> None:
    materials = DefaultCryptoMaterialsManager(_provider(b"k1")).get_encryption_materials(_encrypt_request())
    with pytest.raises(DecryptKeyError, match=r"^Unable to decrypt any data key"):
        DefaultCryptoMaterialsManager(_provider(b"k2")).decrypt_materials(_decrypt_request(materials))


def test_decrypt_materials_try_edks_in_header_order() -> None:
    encrypting = DefaultCryptoMaterialsManager(_provider(b"k1", b"k2"))
    materials = encrypting.get_encryption_materials(_encrypt_request())
    reordered = OrderedSet(reversed(list(materials.encrypted_data_keys)))
    tried: list[bytes] = []

    class OrderProvider(RecordingProvider):
        def decrypt_data_key(self, encrypted_data_key: Any, algorithm: Any, encryption_context: Any) -> Any:
            tried.append(encrypted_data_key.key_provider.key_info[:2])
            return super().decrypt_data_key(encrypted_data_key, algorithm, encryption_context)

    provider = OrderProvider()
    provider.add_master_keys_from_list([b"k1", b"k2"])
    DefaultCryptoMaterialsManager(provider).decrypt_materials(
        _decrypt_request(materials, encrypted_data_keys=reordered)
    )
    assert tried == [b"k2"]


def test_malformed_public_key_in_context_is_a_serialization_error() -> None:
    provider = _provider()
    context = {PUBLIC_KEY: "bm90IGEgcG9pbnQ="}
    data_key = provider.master_key(b"key-1").generate_data_key(SIGNED_P384, context)
    edk = EncryptedDataKey(key_provider=data_key.key_provider, encrypted_data_key=data_key.encrypted_data_key)
    request = DecryptionMaterialsRequest(algorithm=SIGNED_P384, encrypted_data_keys={edk}, encryption_context=context)
    with pytest.raises(SerializationError):
        DefaultCryptoMaterialsManager(provider).decrypt_materials(request)


def test_a_single_master_key_works_as_the_provider() -> None:
    master_key = RawMasterKey(
        key_id=b"k1",
        provider_id="p",
        wrapping_key=WrappingKey(
            WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING, b"\x01" * 32, EncryptionKeyType.SYMMETRIC
        ),
    )
    cmm = DefaultCryptoMaterialsManager(master_key)
    materials = cmm.get_encryption_materials(_encrypt_request())
    assert [edk.key_provider.provider_id for edk in materials.encrypted_data_keys] == ["p"]
    assert cmm.decrypt_materials(_decrypt_request(materials)).data_key == materials.data_encryption_key
