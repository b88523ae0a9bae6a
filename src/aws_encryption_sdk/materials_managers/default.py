"""The default crypto materials manager, built on a master key provider."""

from __future__ import annotations

from typing import Any

import attrs

from aws_encryption_sdk.exceptions import MasterKeyProviderError, SerializationError
from aws_encryption_sdk.identifiers import AlgorithmSuite, CommitmentPolicy
from aws_encryption_sdk.internal._validators import instance_of
from aws_encryption_sdk.internal.crypto.authentication import Signer, Verifier
from aws_encryption_sdk.internal.crypto.elliptic_curve import generate_ecc_signing_key
from aws_encryption_sdk.internal.defaults import (
    ALGORITHM,
    ALGORITHM_COMMIT_KEY,
    ENCODED_SIGNER_KEY,
)
from aws_encryption_sdk.internal.str_ops import to_str
from aws_encryption_sdk.internal.utils import prepare_data_keys
from aws_encryption_sdk.internal.utils._context_rules import reject_reserved_keys
from aws_encryption_sdk.internal.utils.commitment import (
    validate_commitment_policy_on_decrypt,
    validate_commitment_policy_on_encrypt,
)
from aws_encryption_sdk.key_providers.base import MasterKeyProvider
from aws_encryption_sdk.materials_managers import (
    DecryptionMaterials,
    DecryptionMaterialsRequest,
    EncryptionMaterials,
    EncryptionMaterialsRequest,
)
from aws_encryption_sdk.materials_managers.base import CryptoMaterialsManager

__all__ = ["ALGORITHM", "ALGORITHM_COMMIT_KEY", "ENCODED_SIGNER_KEY", "DefaultCryptoMaterialsManager"]


def _default_algorithm(commitment_policy: CommitmentPolicy | None) -> AlgorithmSuite:
    """Return the suite to encrypt with when the caller names none."""
    if commitment_policy in (None, CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT):
        return ALGORITHM
    return ALGORITHM_COMMIT_KEY


@attrs.define(slots=False, unsafe_hash=False, order=True, on_setattr=attrs.setters.NO_OP)
class DefaultCryptoMaterialsManager(CryptoMaterialsManager):
    """Materials manager that gets data keys from a master key provider.

    For signing suites it also creates a fresh signing key per message and puts the public key
    in the encryption context under ``aws-crypto-public-key``.

    :param master_key_provider: the master key provider to get data keys from
    """

    master_key_provider: MasterKeyProvider = attrs.field(
        # mypy wants a concrete class here; an isinstance check against the abstract base is the point.
        validator=instance_of(MasterKeyProvider)
    )

    def _generate_signing_key_and_update_encryption_context(
        self, algorithm: AlgorithmSuite, encryption_context: dict[Any, Any]
    ) -> bytes | None:
        """Create a signing key for a signing suite and record its public key in the context.

        :param algorithm: the suite to encrypt with
        :param encryption_context: the context to update in place
        :returns: the DER (PKCS#8) private signing key, or None for a non-signing suite
        """
        if not algorithm.is_signing():
            return None
        signer = Signer(algorithm, key=generate_ecc_signing_key(algorithm))
        encryption_context[ENCODED_SIGNER_KEY] = to_str(signer.encoded_public_key())
        signing_key: bytes = signer.key_bytes()
        return signing_key

    def get_encryption_materials(self, request: EncryptionMaterialsRequest) -> EncryptionMaterials:
        """Return the materials to encrypt one message.

        The suite is the requested one or the commitment policy's default. The caller's
        encryption context is copied, never modified.

        :param request: the encryption request
        :returns: the encryption materials
        :raises ActionNotAllowedError: when the commitment policy forbids the requested suite
        :raises InvalidParameterError: when the encryption context uses a key reserved for the SDK
        :raises MasterKeyProviderError: when the provider offers no master keys, or a primary
            master key that is not among them
        """
        algorithm = (
            request.algorithm if request.algorithm is not None else _default_algorithm(request.commitment_policy)
        )
        validate_commitment_policy_on_encrypt(request.commitment_policy, request.algorithm)
        reject_reserved_keys(request.encryption_context)

        encryption_context = request.encryption_context.copy()
        signing_key = self._generate_signing_key_and_update_encryption_context(algorithm, encryption_context)

        primary_master_key, master_keys = self.master_key_provider.master_keys_for_encryption(
            encryption_context=encryption_context,
            plaintext_rostream=request.plaintext_rostream,
            plaintext_length=request.plaintext_length,
        )
        if not master_keys:
            raise MasterKeyProviderError("No Master Keys available from Master Key Provider")
        if primary_master_key not in master_keys:
            raise MasterKeyProviderError("Primary Master Key not in provided Master Keys")

        data_key, encrypted_data_keys = prepare_data_keys(
            primary_master_key=primary_master_key,
            master_keys=master_keys,
            algorithm=algorithm,
            encryption_context=encryption_context,
        )
        return EncryptionMaterials(
            algorithm=algorithm,
            data_encryption_key=data_key,
            encrypted_data_keys=encrypted_data_keys,
            encryption_context=encryption_context,
            signing_key=signing_key,
        )

    def _load_verification_key_from_encryption_context(
        self, algorithm: AlgorithmSuite, encryption_context: dict[Any, Any]
    ) -> bytes | None:
        """Read the signature verification key a message's context must (or must not) carry.

        :param algorithm: the suite of the message
        :param encryption_context: the context from the message header
        :returns: the DER (SubjectPublicKeyInfo) verification key, or None for a non-signing suite
        :raises SerializationError: when a signing suite has no key or a non-signing suite has one
        """
        encoded_verification_key = encryption_context.get(ENCODED_SIGNER_KEY)
        if not algorithm.is_signing():
            if encoded_verification_key is not None:
                raise SerializationError("Signature verification key found in header for non-signed algorithm.")
            return None
        if encoded_verification_key is None:
            raise SerializationError("No signature verification key found in header for signed algorithm.")
        verifier = Verifier.from_encoded_point(algorithm=algorithm, encoded_point=encoded_verification_key)
        verification_key: bytes = verifier.key_bytes()
        return verification_key

    def decrypt_materials(self, request: DecryptionMaterialsRequest) -> DecryptionMaterials:
        """Return the materials to decrypt one message.

        :param request: the decryption request
        :returns: the decryption materials
        :raises ActionNotAllowedError: when the commitment policy forbids the message's suite
        :raises DecryptKeyError: when no encrypted data key could be decrypted
        :raises SerializationError: when the signature verification key is missing, unexpected
            or malformed
        """
        validate_commitment_policy_on_decrypt(request.commitment_policy, request.algorithm)
        data_key = self.master_key_provider.decrypt_data_key_from_list(
            encrypted_data_keys=request.encrypted_data_keys,
            algorithm=request.algorithm,
            encryption_context=request.encryption_context,
        )
        verification_key = self._load_verification_key_from_encryption_context(
            algorithm=request.algorithm, encryption_context=request.encryption_context
        )
        return DecryptionMaterials(data_key=data_key, verification_key=verification_key)
