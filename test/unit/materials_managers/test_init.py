"""Unit tests for the request and materials classes of ``aws_encryption_sdk.materials_managers``."""

from __future__ import annotations

import io
import types
from typing import Any

import pytest

from aws_encryption_sdk import materials_managers
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from aws_encryption_sdk.internal.utils.streams import ROStream
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey, MasterKeyInfo, RawDataKey

SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY
KEY_PROVIDER = MasterKeyInfo(provider_id="p", key_info=b"k")
PLAINTEXT_KEY = b"\x5a" * 32
DATA_KEY = DataKey(key_provider=KEY_PROVIDER, data_key=PLAINTEXT_KEY, encrypted_data_key=b"wrapped")
EDK = EncryptedDataKey(key_provider=KEY_PROVIDER, encrypted_data_key=b"wrapped")


def _encryption_request(**overrides: Any) -> EncryptionMaterialsRequest:
    values: dict[str, Any] = {"encryption_context": {"a": "b"}, "frame_length": 4096}
    values.update(overrides)
    return EncryptionMaterialsRequest(**values)


def _encryption_materials(**overrides: Any) -> EncryptionMaterials:
    values: dict[str, Any] = {
        "algorithm": SUITE,
        "data_encryption_key": DATA_KEY,
        "encrypted_data_keys": {EDK},
        "encryption_context": {"a": "b"},
    }
    values.update(overrides)
    return EncryptionMaterials(**values)


def _decryption_request(**overrides: Any) -> DecryptionMaterialsRequest:
    values: dict[str, Any] = {"algorithm": SUITE, "encrypted_data_keys": {EDK}, "encryption_context": {"a": "b"}}
    values.update(overrides)
    return DecryptionMaterialsRequest(**values)


def _decryption_materials(**overrides: Any) -> DecryptionMaterials:
    values: dict[str, Any] = {"data_key": DATA_KEY}
    values.update(overrides)
    return DecryptionMaterials(**values)


# --- EncryptionMaterialsRequest ---------------------------------------------------------------


def test_encryption_request_defaults_to_forbid_policy_and_no_stream_suite_or_length() -> None:
    request = _encryption_request()
    assert request.commitment_policy is CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    assert request.plaintext_rostream is None
    assert request.algorithm is None
    assert request.plaintext_length is None


def test_encryption_request_accepts_positional_arguments_in_field_order() -> None:
    stream = ROStream(io.BytesIO(b"data"))
    request = EncryptionMaterialsRequest(
        {"a": "b"}, 128, CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT, stream, SUITE, 4
    )
    assert request.encryption_context == {"a": "b"}
    assert request.frame_length == 128
    assert request.commitment_policy is CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT
    assert request.plaintext_rostream is stream
    assert request.algorithm is SUITE
    assert request.plaintext_length == 4


def test_encryption_request_accepts_none_commitment_policy() -> None:
    assert _encryption_request(commitment_policy=None).commitment_policy is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("encryption_context", [("a", "b")]),
        ("frame_length", "4096"),
        ("commitment_policy", 0),
        ("plaintext_rostream", io.BytesIO(b"not read-only")),
        ("algorithm", 0x0478),
        ("plaintext_length", 4.0),
    ],
)
def test_encryption_request_rejects_wrong_field_types_with_type_error(field: str, value: Any) -> None:
    with pytest.raises(TypeError):
        _encryption_request(**{field: value})


# --- EncryptionMaterials ----------------------------------------------------------------------


def test_encryption_materials_signing_key_defaults_to_none() -> None:
    assert _encryption_materials().signing_key is None


def test_encryption_materials_accept_positional_arguments_in_field_order() -> None:
    materials = EncryptionMaterials(SUITE, DATA_KEY, {EDK}, {"a": "b"}, b"der")
    assert (materials.algorithm, materials.data_encryption_key, materials.encrypted_data_keys) == (
        SUITE,
        DATA_KEY,
        {EDK},
    )
    assert materials.encryption_context == {"a": "b"}
    assert materials.signing_key == b"der"


@pytest.mark.parametrize(
    "field, value",
    [
        ("algorithm", 0x0478),
        ("data_encryption_key", RawDataKey(key_provider=KEY_PROVIDER, data_key=PLAINTEXT_KEY)),
        ("encrypted_data_keys", [EDK]),
        ("encryption_context", None),
        ("signing_key", "der"),
    ],
)
def test_encryption_materials_reject_wrong_field_types_with_type_error(field: str, value: Any) -> None:
    with pytest.raises(TypeError):
        _encryption_materials(**{field: value})


@pytest.mark.parametrize("kind", [RawDataKey, DataKey])
def test_data_key_reprs_never_show_the_plaintext_key(kind: type) -> None:
    fields: dict[str, Any] = {"key_provider": KEY_PROVIDER, "data_key": PLAINTEXT_KEY}
    if kind is DataKey:
        fields["encrypted_data_key"] = b"wrapped"
    text = repr(kind(**fields))
    assert repr(PLAINTEXT_KEY) not in text
    assert PLAINTEXT_KEY.hex() not in text
    assert text.startswith(f"{kind.__name__}(")


def test_encryption_materials_repr_shows_neither_data_key_nor_signing_key() -> None:
    materials = _encryption_materials(signing_key=b"PRIVATE-SIGNING-KEY")
    text = repr(materials)
    assert "PRIVATE-SIGNING-KEY" not in text
    assert repr(PLAINTEXT_KEY) not in text
    assert "EncryptionMaterials(" in text


# --- DecryptionMaterialsRequest ---------------------------------------------------------------


def test_decryption_request_defaults() -> None:
    request = _decryption_request()
    assert request.reproduced_encryption_context is None
    assert request.commitment_policy is CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT


def test_decryption_request_takes_reproduced_context_before_policy_positionally() -> None:
    request = DecryptionMaterialsRequest(
        SUITE, {EDK}, {"a": "b"}, {"a": "b"}, CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT
    )
    assert request.reproduced_encryption_context == {"a": "b"}
    assert request.commitment_policy is CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT


def test_decryption_request_accepts_none_commitment_policy() -> None:
    assert _decryption_request(commitment_policy=None).commitment_policy is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("algorithm", "0x0478"),
        ("encrypted_data_keys", (EDK,)),
        ("encryption_context", [("a", "b")]),
        ("reproduced_encryption_context", "a=b"),
        ("commitment_policy", "FORBID_ENCRYPT_ALLOW_DECRYPT"),
    ],
)
def test_decryption_request_rejects_wrong_field_types_with_type_error(field: str, value: Any) -> None:
    with pytest.raises(TypeError):
        _decryption_request(**{field: value})


# --- DecryptionMaterials ----------------------------------------------------------------------


def test_decryption_materials_verification_key_defaults_to_none() -> None:
    assert _decryption_materials().verification_key is None
    assert DecryptionMaterials(DATA_KEY, b"spki").verification_key == b"spki"


@pytest.mark.parametrize(
    "field, value",
    [("data_key", EDK), ("verification_key", "spki")],
)
def test_decryption_materials_reject_wrong_field_types_with_type_error(field: str, value: Any) -> None:
    with pytest.raises(TypeError):
        _decryption_materials(**{field: value})


def test_decryption_materials_repr_hides_the_data_key() -> None:
    assert repr(PLAINTEXT_KEY) not in repr(_decryption_materials())


# --- equality and hashing, pinned for every class ---------------------------------------------

FACTORIES = [_encryption_request, _encryption_materials, _decryption_request, _decryption_materials]


@pytest.mark.parametrize("factory", FACTORIES)
def test_equal_fields_compare_equal(factory: Any) -> None:
    assert factory() == factory()


@pytest.mark.parametrize("factory", FACTORIES)
def test_hash_is_identity_based(factory: Any) -> None:
    first, second = factory(), factory()
    assert hash(first) == object.__hash__(first)
    assert len({first, second}) == 2


@pytest.mark.parametrize("factory", FACTORIES)
def test_instances_are_mutable(factory: Any) -> None:
    instance = factory()
    field = next(iter(instance.__attrs_attrs__)).name
    setattr(instance, field, getattr(instance, field))


def test_encryption_materials_with_different_contexts_differ() -> None:
    assert _encryption_materials() != _encryption_materials(encryption_context={"a": "c"})


# --- module surface ---------------------------------------------------------------------------


def test_package_exposes_helper_names_users_import_from_it() -> None:
    for name in ("Algorithm", "CommitmentPolicy", "ROStream", "DataKey"):
        assert hasattr(materials_managers, name)


def test_submodules_are_importable_as_package_attributes() -> None:
    assert isinstance(materials_managers.base, types.ModuleType)
    assert materials_managers.base.__name__ == "aws_encryption_sdk.materials_managers.base"


def test_unknown_package_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError):
        materials_managers.no_such_thing  # noqa: B018
