"""Requests to and materials from crypto materials managers.

The submodules ``base``, ``default`` and ``caching`` hold the managers themselves; they are
imported on first attribute access so that importing this package never creates an import cycle.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import attrs

from aws_encryption_sdk.identifiers import Algorithm, AlgorithmSuite, CommitmentPolicy
from aws_encryption_sdk.internal._validators import instance_of, optional_instance_of, optional_non_negative
from aws_encryption_sdk.internal.utils.streams import ROStream
from aws_encryption_sdk.structures import DataKey, EncryptedDataKey

__all__ = [
    "Algorithm",
    "CommitmentPolicy",
    "DataKey",
    "DecryptionMaterials",
    "DecryptionMaterialsRequest",
    "EncryptionMaterials",
    "EncryptionMaterialsRequest",
    "ROStream",
]


#: Default commitment policy of the requests (typed Optional: callers may pass None).
_DEFAULT_COMMITMENT_POLICY: CommitmentPolicy | None = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT

_SUBMODULES = ("base", "caching", "default")


def __getattr__(name: str) -> ModuleType:
    """Import the ``base``, ``default`` and ``caching`` submodules on first access."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@attrs.define(slots=False, unsafe_hash=False, order=True, on_setattr=attrs.setters.NO_OP)
class EncryptionMaterialsRequest:
    """What a crypto materials manager needs to produce encryption materials.

    :param encryption_context: the caller's encryption context
    :param frame_length: plaintext bytes per frame (0 for a non-framed message)
    :param commitment_policy: the client's commitment policy
    :param plaintext_rostream: a read-only view of the plaintext source
    :param algorithm: the algorithm suite the caller asked for, if any
    :param plaintext_length: length of the plaintext, if known
    """

    encryption_context: dict[Any, Any] = attrs.field(validator=instance_of(dict))
    frame_length: int = attrs.field(validator=instance_of(int))
    commitment_policy: CommitmentPolicy | None = attrs.field(
        default=_DEFAULT_COMMITMENT_POLICY, validator=optional_instance_of(CommitmentPolicy)
    )
    plaintext_rostream: ROStream | None = attrs.field(default=None, validator=optional_instance_of(ROStream))
    algorithm: AlgorithmSuite | None = attrs.field(default=None, validator=optional_instance_of(AlgorithmSuite))
    plaintext_length: int | None = attrs.field(
        default=None, validator=[optional_instance_of(int), optional_non_negative]
    )


@attrs.define(slots=False, unsafe_hash=False, order=True, on_setattr=attrs.setters.NO_OP)
class EncryptionMaterials:
    """Everything needed to encrypt one message.

    :param algorithm: the algorithm suite to encrypt with
    :param data_encryption_key: the plaintext data key (and its encrypted form)
    :param encrypted_data_keys: the encrypted data keys to write in the header
    :param encryption_context: the encryption context to write in the header
    :param signing_key: DER-encoded (PKCS#8) private signing key, for signing suites (not shown in ``repr``)
    """

    algorithm: AlgorithmSuite = attrs.field(validator=instance_of(AlgorithmSuite))
    data_encryption_key: DataKey = attrs.field(validator=instance_of(DataKey, secret=True))
    encrypted_data_keys: set[EncryptedDataKey] = attrs.field(validator=instance_of(set))
    encryption_context: dict[Any, Any] = attrs.field(validator=instance_of(dict))
    # A private key: kept out of repr so that logging the materials never leaks it.
    signing_key: bytes | None = attrs.field(
        default=None, repr=False, validator=optional_instance_of(bytes, secret=True)
    )


@attrs.define(slots=False, unsafe_hash=False, order=True, on_setattr=attrs.setters.NO_OP)
class DecryptionMaterialsRequest:
    """What a crypto materials manager needs to produce decryption materials.

    :param algorithm: the algorithm suite of the message
    :param encrypted_data_keys: the encrypted data keys from the header
    :param encryption_context: the encryption context from the header
    :param reproduced_encryption_context: context the caller expects (used only by keyring-based managers)
    :param commitment_policy: the client's commitment policy
    """

    algorithm: AlgorithmSuite = attrs.field(validator=instance_of(AlgorithmSuite))
    encrypted_data_keys: set[EncryptedDataKey] = attrs.field(validator=instance_of(set))
    encryption_context: dict[Any, Any] = attrs.field(validator=instance_of(dict))
    reproduced_encryption_context: dict[Any, Any] | None = attrs.field(
        default=None, validator=optional_instance_of(dict)
    )
    commitment_policy: CommitmentPolicy | None = attrs.field(
        default=_DEFAULT_COMMITMENT_POLICY, validator=optional_instance_of(CommitmentPolicy)
    )


@attrs.define(slots=False, unsafe_hash=False, order=True, on_setattr=attrs.setters.NO_OP)
class DecryptionMaterials:
    """Everything needed to decrypt one message.

    :param data_key: the decrypted data key
    :param verification_key: DER-encoded (SubjectPublicKeyInfo) signature verification key, for signing suites
    """

    data_key: DataKey = attrs.field(validator=instance_of(DataKey, secret=True))
    verification_key: bytes | None = attrs.field(default=None, validator=optional_instance_of(bytes))
