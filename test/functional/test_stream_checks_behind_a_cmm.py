"""Rules the streams enforce themselves, whatever the crypto materials manager does.

The default CMM applies most of these rules too, so a test through it cannot tell whether the
stream checks. Each test here uses a caller's CMM that skips the rule, so the stream's own check is
the only thing between the caller and a bad message (found by mutation testing: removing any of
these checks left the rest of the suite passing).
"""

from __future__ import annotations

from typing import Any, Optional

import attrs
import pytest

from aws_encryption_sdk import EncryptionSDKClient
from aws_encryption_sdk.exceptions import ActionNotAllowedError, InvalidParameterError, SerializationError
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)
from aws_encryption_sdk.materials_managers.base import CryptoMaterialsManager
from aws_encryption_sdk.materials_managers.default import DefaultCryptoMaterialsManager

from .raw_keys import aes_master_key

KEY = aes_master_key()
REQUIRE = EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
FORBID = EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
RESERVED = b"aws-crypto-"


def _is_reserved(key: Any) -> bool:
    return (key.encode() if isinstance(key, str) else key).startswith(RESERVED)


def _lenient_policy(suite: Optional[AlgorithmSuite]) -> CommitmentPolicy:
    """A policy under which the default CMM accepts ``suite`` (the default suite when None)."""
    if suite is not None and not suite.is_committing():
        return CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
    return CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT


@attrs.define
class PermissiveCMM(CryptoMaterialsManager):
    """A caller's CMM that enforces neither the commitment policy nor the reserved context prefix.

    It answers with the suite ``force`` when given, whatever was requested, and records every request.
    """

    force: Optional[AlgorithmSuite] = None
    requests: list[Any] = attrs.field(factory=list)

    def get_encryption_materials(self, request: EncryptionMaterialsRequest) -> EncryptionMaterials:
        self.requests.append(request)
        suite = self.force or request.algorithm
        reserved = {k: v for k, v in request.encryption_context.items() if _is_reserved(k)}
        inner = attrs.evolve(
            request,
            encryption_context={k: v for k, v in request.encryption_context.items() if k not in reserved},
            algorithm=suite,
            commitment_policy=_lenient_policy(suite),
        )
        materials = DefaultCryptoMaterialsManager(KEY).get_encryption_materials(inner)
        return attrs.evolve(materials, encryption_context={**materials.encryption_context, **reserved})

    def decrypt_materials(self, request: DecryptionMaterialsRequest) -> DecryptionMaterials:
        self.requests.append(request)
        inner = attrs.evolve(request, commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        return DefaultCryptoMaterialsManager(KEY).decrypt_materials(inner)


class NoVerificationKeyCMM(CryptoMaterialsManager):
    """A caller's CMM that decrypts the data key but leaves out the verification key of signed suites."""

    def get_encryption_materials(self, request: EncryptionMaterialsRequest) -> EncryptionMaterials:
        return DefaultCryptoMaterialsManager(KEY).get_encryption_materials(request)

    def decrypt_materials(self, request: DecryptionMaterialsRequest) -> DecryptionMaterials:
        materials = DefaultCryptoMaterialsManager(KEY).decrypt_materials(request)
        return DecryptionMaterials(data_key=materials.data_key, verification_key=None)


# Encrypt --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client", "algorithm"),
    [
        (REQUIRE, AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256),
        (FORBID, AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY),
    ],
    ids=["require-non-committing", "forbid-committing"],
)
def test_a_requested_suite_the_policy_forbids_is_refused_before_the_cmm_is_asked(
    client: EncryptionSDKClient, algorithm: AlgorithmSuite
) -> None:
    cmm = PermissiveCMM()
    with pytest.raises(ActionNotAllowedError, match="Cannot encrypt"):
        client.encrypt(source=b"x", materials_manager=cmm, algorithm=algorithm)
    assert cmm.requests == []  # no data key was made (no KMS GenerateDataKey) for a refused request


@pytest.mark.parametrize(
    ("client", "forced"),
    [
        (REQUIRE, AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256),
        (REQUIRE, AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384),
        (FORBID, AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY),
    ],
    ids=["require-0x0178", "require-0x0378", "forbid-0x0478"],
)
def test_the_suite_a_cmm_chose_is_checked_against_the_policy(
    client: EncryptionSDKClient, forced: AlgorithmSuite
) -> None:
    with pytest.raises(ActionNotAllowedError, match="Cannot encrypt"):
        client.encrypt(source=b"x", materials_manager=PermissiveCMM(force=forced))


@pytest.mark.parametrize(
    ("requested", "forced"),
    [
        (
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
        ),
        (
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
            AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
        ),
    ],
    ids=["signed-requested-unsigned-returned", "unsigned-requested-signed-returned"],
)
def test_a_cmm_answering_with_another_suite_than_requested_is_refused(
    requested: AlgorithmSuite, forced: AlgorithmSuite
) -> None:
    with pytest.raises(ActionNotAllowedError, match="differs from algorithm suite in request"):
        REQUIRE.encrypt(source=b"x", materials_manager=PermissiveCMM(force=forced), algorithm=requested)


@pytest.mark.parametrize("key", ["aws-crypto-foo", b"aws-crypto-foo"], ids=["str", "bytes"])
def test_a_reserved_context_key_is_refused_before_the_cmm_is_asked(key: Any) -> None:
    cmm = PermissiveCMM()
    with pytest.raises(InvalidParameterError, match="reserved"):
        REQUIRE.encrypt(source=b"x", materials_manager=cmm, encryption_context={key: "v", "tenant": "a"})
    assert cmm.requests == []


# Decrypt --------------------------------------------------------------------------------------------------


def test_require_require_refuses_a_non_committing_message_before_the_cmm_is_asked() -> None:
    ciphertext, _ = FORBID.encrypt(
        source=b"legacy", key_provider=KEY, algorithm=AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256
    )
    cmm = PermissiveCMM()
    with pytest.raises(ActionNotAllowedError, match="Cannot decrypt"):
        REQUIRE.decrypt(source=ciphertext, materials_manager=cmm)
    with pytest.raises(ActionNotAllowedError, match="Cannot decrypt"):
        REQUIRE.stream(mode="d", source=ciphertext, materials_manager=cmm).read()
    assert cmm.requests == []  # refused once the header was parsed, before any key was asked for


def test_a_signed_message_is_refused_when_the_cmm_returns_no_verification_key() -> None:
    suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
    ciphertext, _ = REQUIRE.encrypt(source=b"signed data", key_provider=KEY, algorithm=suite)
    forged = ciphertext[:-1] + bytes([ciphertext[-1] ^ 1])  # a broken signature must not go unnoticed either
    for message in (ciphertext, forged):
        # Streaming, without the check read() returns the plaintext and the signature is never read.
        stream = REQUIRE.stream(mode="d", source=message, materials_manager=NoVerificationKeyCMM())
        with pytest.raises(SerializationError, match="returned no verification key"):
            stream.read()
        with pytest.raises(SerializationError, match="returned no verification key"):
            REQUIRE.decrypt(source=message, materials_manager=NoVerificationKeyCMM())
